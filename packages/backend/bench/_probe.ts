/* local probe, not committed */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createAppBackend } from '../src/backend';

const PORT = 7188;
const base = `http://127.0.0.1:${PORT}`;
const q = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[
    Math.min(xs.length - 1, Math.floor(p * xs.length))
  ];

async function load(url: string, headers: any, conc: number, total: number) {
  const samples: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: conc }, async () => {
      while (next < total) {
        next++;
        const t = performance.now();
        const res = await fetch(url, { headers });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`${url} ${res.status}`);
        samples.push(performance.now() - t);
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  return { rps: total / secs, p50: q(samples, 0.5), p99: q(samples, 0.99) };
}

async function main() {
  process.env.NODE_ENV = 'development';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kratix-probe-'));
  const config = path.join(dir, 'c.yaml');
  fs.writeFileSync(
    config,
    JSON.stringify({
      backend: { baseUrl: base, listen: { host: '127.0.0.1', port: PORT } },
      kratix: {
        sandbox: {
          enabled: true,
          port: 0,
          stepDelayMs: 0,
          kubeconfigPath: path.join(dir, 'kc'),
          workDir: path.join(dir, 'work'),
        },
      },
    }),
  );
  process.argv.push(
    '--config',
    path.resolve('../../app-config.yaml'),
    '--config',
    config,
  );
  const backend = createAppBackend();
  await backend.start();
  const signIn = async () => {
    const auth = await fetch(`${base}/api/auth/guest/refresh?env=development`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    return {
      Authorization: `Bearer ${
        ((await auth.json()) as any).backstageIdentity.token
      }`,
    };
  };
  const entityRoute = `${base}/api/kratix/entities/component/default/search-service/resources`;
  let headers = await signIn();
  for (let i = 0; ; i++) {
    headers = await signIn();
    const res = await fetch(entityRoute, { headers });
    const body = res.ok ? ((await res.json()) as any) : undefined;
    if (body?.items?.[0]?.workflowCompletion?.state === 'completed') break;
    if (i > 300) throw new Error(`not ready ${res.status}`);
    await new Promise(r => setTimeout(r, 200));
  }
  const routes: Record<string, string> = {
    catalog: `${base}/api/catalog/entities/by-name/component/default/search-service`,
    entity: entityRoute,
    timeline: `${entityRoute}/sandbox/default/elastic-cloud/example`,
    promises: `${base}/api/kratix/promises`,
  };
  for (const conc of [1, 10]) {
    for (const [name, url] of Object.entries(routes)) {
      await load(url, headers, conc, 200);
      const r = await load(url, headers, conc, conc === 1 ? 500 : 2000);
      console.log(
        `c=${conc} ${name.padEnd(9)} ${r.rps
          .toFixed(0)
          .padStart(6)} req/s p50 ${r.p50.toFixed(2)} p99 ${r.p99.toFixed(2)}`,
      );
    }
  }
  await backend.stop();
}
main().then(
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  },
);
