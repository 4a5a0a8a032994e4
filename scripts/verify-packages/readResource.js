/*
 * Waits for the generated app's backend, signs in as a guest and reads the Resources linked to the
 * verify entity through /api/kratix: elastic-cloud/example must be there, on the sandbox cluster.
 * Usage: node readResource.js <backend base URL> <backend log file>
 */
const fs = require('node:fs');

const [base, logFile] = process.argv.slice(2);
// Generous: the first start compiles the backend on the fly (2-core machines take minutes).
const DEADLINE = Date.now() + 10 * 60_000;

const pause = ms => new Promise(resolve => setTimeout(resolve, ms));

const backendLog = () => fs.readFileSync(logFile, 'utf8');

async function poll(what, fn) {
  let last;
  while (Date.now() < DEADLINE) {
    // The dev server keeps running after a failed start; stop waiting as soon as it says so.
    if (backendLog().includes('Backend startup failed')) {
      last = 'the backend failed to start';
      break;
    }
    try {
      const result = await fn();
      if (result !== undefined) return result;
    } catch (error) {
      last = error;
    }
    await pause(2000);
  }
  const tail = backendLog()
    .split('\n')
    .filter(line => !line.includes('/.backstage/health/'))
    .slice(-40);
  throw new Error(
    `${what}: gave up (${last ?? 'no answer'})\nbackend log:\n${tail.join(
      '\n',
    )}`,
  );
}

async function main() {
  await poll('backend readiness', async () => {
    const res = await fetch(`${base}/.backstage/health/v1/readiness`);
    return res.ok ? true : undefined;
  });
  console.log('backend ready');

  const token = await poll('guest sign-in', async () => {
    const res = await fetch(`${base}/api/auth/guest/refresh?env=development`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    if (!res.ok) throw new Error(`sign-in ${res.status}`);
    return (await res.json()).backstageIdentity.token;
  });
  const headers = { Authorization: `Bearer ${token}` };

  const promises = await poll('GET /api/kratix/promises', async () => {
    const res = await fetch(`${base}/api/kratix/promises`, { headers });
    if (!res.ok) throw new Error(`promises ${res.status}`);
    const body = await res.json();
    return body.items.some(p => p.name === 'elastic-cloud') ? body : undefined;
  });
  console.log(`promises: ${promises.items.map(p => p.name).join(', ')}`);

  // The catalog ingests the entity asynchronously; 404 until it has.
  const body = await poll("GET the entity's Resources", async () => {
    const res = await fetch(
      `${base}/api/kratix/entities/component/default/search-service/resources`,
      { headers },
    );
    if (res.status === 404) return undefined;
    if (!res.ok) throw new Error(`resources ${res.status} ${await res.text()}`);
    return res.json();
  });
  const resource = body.items.find(
    r => r.promise === 'elastic-cloud' && r.name === 'example',
  );
  if (!resource) {
    throw new Error(`elastic-cloud/example missing: ${JSON.stringify(body)}`);
  }
  const cluster = body.clusters.find(c => c.name === resource.cluster);
  if (!cluster || cluster.sandbox !== true) {
    throw new Error(
      `the Resource's cluster is not marked as the sandbox: ${JSON.stringify(
        body.clusters,
      )}`,
    );
  }
  console.log(
    `read elastic-cloud/example on cluster ${resource.cluster} (sandbox): ${resource.state} "${resource.message}"`,
  );
}

main().catch(error => {
  console.error(String(error.stack ?? error));
  process.exit(1);
});
