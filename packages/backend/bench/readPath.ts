/*
 * `yarn bench` (the read path): the app's real backend (bench wiring: benchBackend.ts)
 * on a sandbox this script starts, every route timed side by side in ONE run, so the figures are
 * ratios within the run (the machine is 2 shared cores; absolute figures drift between runs):
 *   - catalog by-name            GET  /api/catalog/entities/by-name/component/default/search-service
 *   - peer kubernetes-backend    POST /api/kubernetes/resources/custom/query (same entity, same
 *                                custom resource; asserted to return elastic-cloud/example)
 *   - ours: entity Resources     GET  /api/kratix/entities/component/default/search-service/resources
 *   - ours: one-Resource timeline GET .../resources/sandbox/default/elastic-cloud/example
 *   - direct client-node GET of the Resource (reference: what the Kubernetes API itself costs)
 * each with a closed-loop load at concurrency 1 and 10 (req/s, p50, p99); then
 *   - change → live stream: the sandbox store writes a change, the SSE frame carrying it arrives;
 *   - scale: entity read latency and process memory with 1,000 and 10,000 Resources loaded, and the
 *     cluster service's cache size alone (clusterCacheMemory.ts, in a fresh process per size).
 * Writes .cache/bench/read-path.json (scripts/bench/results.js) and prints a table. No assertion on time; it fails
 * only when a route answers wrongly (a benchmark of error pages measures nothing).
 *
 *   --requests N   requests per route per concurrency level (default 2000)
 *   --cpu-prof     also profile the entity-read load (concurrency 10) and print the top 15
 *                  self-time functions; the profile is written to .cache/bench/entity-read.cpuprofile
 *   --no-scale     skip the 1,000 / 10,000 Resources part
 * The backend logs at LOG_LEVEL=warn unless LOG_LEVEL is set.
 */
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { startSandbox } from '@kratix-backstage/sandbox';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseAllDocuments } from 'yaml';
import {
  cachedResourceCount,
  createBenchBackend,
  type BenchProbe,
} from './benchBackend';
import {
  closedLoop,
  formatSelfTime,
  quantile,
  send,
  topSelfTime,
  withCpuProfile,
  type BenchRequest,
  type LoadResult,
} from './load';
import { loadBenchResources, PER_PROMISE } from './scaleData';
import { guestHeaders } from './guestSignIn';
// Not a package: the one results writer every workspace's benchmark shares (repo tooling).
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  benchResultsDir,
  writeBenchResult,
} from '../../../scripts/bench/results';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const option = (name: string, fallback: number) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const REQUESTS = option('--requests', 2000);
const WARMUP = 100;
const CHANGES = 30;
const PORT = 7178;
const base = `http://127.0.0.1:${PORT}`;
const repoRoot = path.resolve(__dirname, '../../..');
const ENTITY = 'component:default/search-service';
const ELASTIC = { group: 'workshop.kratix.io', plural: 'elastic-clouds' };

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/** The example catalog with search-service annotated for the peer (bench copy only). */
function benchEntitiesFile(dir: string): string {
  const source = fs.readFileSync(
    path.join(repoRoot, 'examples/entities.yaml'),
    'utf8',
  );
  const docs = parseAllDocuments(source).map(d => d.toJS());
  const search = docs.find(
    d => d?.kind === 'Component' && d.metadata?.name === 'search-service',
  );
  if (!search) throw new Error('examples/entities.yaml: no search-service');
  search.metadata.annotations = {
    ...search.metadata.annotations,
    'backstage.io/kubernetes-id': 'search-service',
  };
  const file = path.join(dir, 'entities.yaml');
  fs.writeFileSync(
    file,
    docs.map(d => `---\n${JSON.stringify(d, null, 1)}\n`).join(''),
  );
  return file;
}

interface RouteRow {
  name: string;
  c1: LoadResult;
  c10: LoadResult;
}

async function main() {
  // Guest sign-in only works in development mode.
  process.env.NODE_ENV = process.env.NODE_ENV ?? 'development';
  // One log line per request would flood the table and cost every route the same; LOG_LEVEL=info
  // brings it back.
  process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'warn';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kratix-readpath-'));
  const kubeconfigPath = path.join(dir, 'kubeconfig');
  const sandbox = await startSandbox({ stepDelayMs: 0, kubeconfigPath });
  await sandbox.ready;
  // The peer finds an entity's objects by the label backstage.io/kubernetes-id.
  sandbox.store.patch(ELASTIC, 'default', 'example', 'merge', {
    metadata: { labels: { 'backstage.io/kubernetes-id': 'search-service' } },
  });
  const caData = Buffer.from(sandbox.certificate ?? '').toString('base64');
  const config = path.join(dir, 'bench-config.yaml');
  const examples = (f: string) => path.join(repoRoot, 'examples', f);
  fs.writeFileSync(
    config,
    JSON.stringify({
      backend: { baseUrl: base, listen: { host: '127.0.0.1', port: PORT } },
      kratix: {
        sandbox: { enabled: false },
        clusters: [
          {
            name: 'sandbox',
            url: sandbox.url,
            auth: { type: 'serviceAccount', token: sandbox.token },
            caData,
            requestTimeoutMs: 30_000,
          },
        ],
      },
      kubernetes: {
        serviceLocatorMethod: { type: 'multiTenant' },
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: 'sandbox',
                url: sandbox.url,
                authProvider: 'serviceAccount',
                serviceAccountToken: sandbox.token,
                caData,
                skipMetricsLookup: true,
              },
            ],
          },
        ],
      },
      catalog: {
        // Arrays replace those of app-config.yaml: the same locations, with the bench copy of
        // entities.yaml.
        locations: [
          { type: 'file', target: benchEntitiesFile(dir) },
          { type: 'file', target: examples('org.yaml') },
          {
            type: 'file',
            target: examples('templates/elastic-cloud.yaml'),
            rules: [{ allow: ['Template'] }],
          },
          {
            type: 'file',
            target: examples('templates/redis.yaml'),
            rules: [{ allow: ['Template'] }],
          },
        ],
      },
    }),
  );
  process.argv.push(
    '--config',
    path.join(repoRoot, 'app-config.yaml'),
    '--config',
    config,
  );

  const probe: BenchProbe = {};
  const backend = createBenchBackend(probe);
  await backend.start();
  const results: Record<string, unknown> = { requestsPerLevel: REQUESTS };
  try {
    const signIn = () => guestHeaders(base);
    const entityRoute = `${base}/api/kratix/entities/component/default/search-service/resources`;
    const timelineRoute = `${entityRoute}/sandbox/default/elastic-cloud/example`;

    // The catalog has read the examples (the guest's teams come from it at sign-in) and the
    // entity read shows the completed Resource.
    let headers = await signIn();
    await until(
      'the entity read',
      async () => {
        headers = await signIn();
        const res = await fetch(entityRoute, { headers });
        const body = res.ok ? ((await res.json()) as any) : undefined;
        return body?.items?.[0]?.workflowCompletion?.state === 'completed'
          ? true
          : undefined;
      },
      120_000,
    );
    const peerRequest: BenchRequest = {
      method: 'POST',
      url: `${base}/api/kubernetes/resources/custom/query`,
      headers,
      body: {
        entityRef: ENTITY,
        customResources: [
          {
            group: 'workshop.kratix.io',
            apiVersion: 'v1alpha1',
            plural: 'elastic-clouds',
          },
        ],
      },
    };
    // The peer must really return the Resource, or its figures mean nothing.
    const peerAnswer = await until(
      'the peer to return elastic-cloud/example',
      async () => {
        const agent = new http.Agent();
        const res = await send(agent, peerRequest);
        agent.destroy();
        const body = JSON.parse(res.body);
        const found = (body.items ?? []).some((item: any) =>
          (item.resources ?? []).some((r: any) =>
            (r.resources ?? []).some(
              (o: any) =>
                o.metadata?.name === 'example' && o.kind === 'elastic-cloud',
            ),
          ),
        );
        return found ? res.body : undefined;
      },
      60_000,
    ).catch(async error => {
      const agent = new http.Agent();
      const res = await send(agent, peerRequest);
      agent.destroy();
      throw new Error(
        `${error.message}: the peer answered HTTP ${
          res.status
        } ${res.body.slice(0, 500)}`,
      );
    });
    const entityAnswer = JSON.parse(
      (await send(new http.Agent(), { url: entityRoute, headers })).body,
    );
    console.log(
      `readPath: peer returns elastic-cloud/example (${peerAnswer.length} bytes); ours returns ${entityAnswer.items.length} Resource(s)`,
    );

    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    const k8s = kc.makeApiClient(CustomObjectsApi);

    const routes: Array<{ name: string; req: BenchRequest }> = [
      {
        name: 'catalog by-name',
        req: {
          url: `${base}/api/catalog/entities/by-name/component/default/search-service`,
          headers,
        },
      },
      { name: 'peer kubernetes-backend', req: peerRequest },
      { name: 'ours: entity Resources', req: { url: entityRoute, headers } },
      {
        name: 'ours: one-Resource timeline',
        req: { url: timelineRoute, headers },
      },
    ];
    const rows: RouteRow[] = [];
    const profiling = flag('--cpu-prof');
    const profileFile = path.join(benchResultsDir, 'entity-read.cpuprofile');
    for (const { name, req } of routes) {
      const c1 = await closedLoop(req, {
        concurrency: 1,
        requests: REQUESTS,
        warmup: WARMUP,
      });
      const load = () =>
        closedLoop(req, {
          concurrency: 10,
          requests: REQUESTS,
          warmup: WARMUP,
        });
      const c10 =
        profiling && name === 'ours: entity Resources'
          ? (fs.mkdirSync(path.dirname(profileFile), { recursive: true }),
            await withCpuProfile(profileFile, load))
          : await load();
      rows.push({ name, c1, c10 });
      console.log(
        `  ${name}: c1 ${c1.rps.toFixed(0)} req/s p50 ${c1.p50.toFixed(
          2,
        )} ms; c10 ${c10.rps.toFixed(0)} req/s p50 ${c10.p50.toFixed(2)} ms`,
      );
    }
    // Reference: the Kubernetes API itself (client-node, as the plugins use it), no Backstage.
    const direct = async (concurrency: number) => {
      const samples: number[] = [];
      const run = async (count: number, record: boolean) => {
        let next = 0;
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            while (next < count) {
              next++;
              const t = performance.now();
              await k8s.getNamespacedCustomObject({
                group: 'workshop.kratix.io',
                version: 'v1alpha1',
                namespace: 'default',
                plural: 'elastic-clouds',
                name: 'example',
              });
              if (record) samples.push(performance.now() - t);
            }
          }),
        );
      };
      await run(WARMUP, false);
      const start = performance.now();
      await run(REQUESTS, true);
      const wall = performance.now() - start;
      samples.sort((a, b) => a - b);
      return {
        concurrency,
        requests: samples.length,
        rps: (samples.length / wall) * 1000,
        p50: quantile(samples, 0.5),
        p95: quantile(samples, 0.95),
        p99: quantile(samples, 0.99),
        max: samples[samples.length - 1],
      };
    };
    rows.push({
      name: 'direct client-node GET (reference)',
      c1: await direct(1),
      c10: await direct(10),
    });
    results.routes = rows;

    const row = (name: string) => rows.find(r => r.name === name)!;
    const catalog = row('catalog by-name');
    const peer = row('peer kubernetes-backend');
    const ours = row('ours: entity Resources');
    const timeline = row('ours: one-Resource timeline');
    const ratios = {
      entityP50OverCatalogP50: ours.c10.p50 / catalog.c10.p50,
      entityRpsOverPeerRps: ours.c10.rps / peer.c10.rps,
      timelineP50OverCatalogP50: timeline.c10.p50 / catalog.c10.p50,
    };
    results.ratios = ratios;

    // Change → live stream: the sandbox writes, the SSE frame carrying the change arrives.
    const streamLatency = await measureStream(
      sandbox.store,
      entityRoute,
      headers,
    );
    results.liveStream = streamLatency;

    let profileTop: string | undefined;
    if (profiling) {
      const top = topSelfTime(profileFile, 15);
      results.cpuProfile = { file: profileFile, top };
      profileTop = formatSelfTime(top);
    }

    // Scale: 1,000 then 10,000 Resources in the sandbox; entity read (c10) and process memory.
    if (!flag('--no-scale')) {
      results.scale = await measureScale(
        sandbox,
        probe,
        { url: entityRoute, headers },
        {
          url: `${base}/api/catalog/entities/by-name/component/default/search-service`,
          headers,
        },
        headers,
      );
    }

    writeBenchResult('read-path', results);
    printTable(
      rows,
      ratios,
      streamLatency,
      results.scale as ScaleRow[] | undefined,
    );
    if (profileTop) {
      console.log(
        `\nTop 15 self-time functions, entity Resources read at concurrency 10 (${path.relative(
          repoRoot,
          profileFile,
        )}):\n${profileTop}`,
      );
    }
  } finally {
    await backend.stop();
    await sandbox.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface StreamLatency {
  changes: number;
  median: number;
  p95: number;
  max: number;
}

/** Opens the entity's event stream and times CHANGES writes to the frames that carry them. */
async function measureStream(
  store: import('@kratix-backstage/sandbox').Store,
  entityRoute: string,
  headers: Record<string, string>,
): Promise<StreamLatency> {
  const waiting = new Map<string, (at: number) => void>();
  const agent = new http.Agent({ keepAlive: false });
  const req = http.get(`${entityRoute.replace(/\/resources$/, '')}/events`, {
    agent,
    headers: { ...headers, Accept: 'text/event-stream' },
  });
  const opened = new Promise<void>((resolve, reject) => {
    req.on('error', reject);
    req.on('response', res => {
      if (res.statusCode !== 200) {
        reject(new Error(`events: HTTP ${res.statusCode}`));
        return;
      }
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const at = performance.now();
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (frame.startsWith('event: resources')) {
            if (waiting.size === 0) resolve(); // the initial frame
            for (const [marker, done] of waiting) {
              if (frame.includes(marker)) {
                waiting.delete(marker);
                done(at);
              }
            }
          }
          end = buffer.indexOf('\n\n');
        }
      });
    });
  });
  await opened;
  const samples: number[] = [];
  try {
    for (let i = 0; i < CHANGES; i++) {
      const marker = `bench change ${i} ${Date.now()}`;
      const arrived = new Promise<number>((resolve, reject) => {
        waiting.set(marker, resolve);
        setTimeout(() => reject(new Error(`no frame for "${marker}"`)), 10_000);
      });
      const written = performance.now();
      store.patch(
        ELASTIC,
        'default',
        'example',
        'merge',
        { status: { message: marker } },
        { subresource: 'status' },
      );
      samples.push((await arrived) - written);
      // Changes further apart than the stream's debounce, so each is its own frame.
      await sleep(250);
    }
  } finally {
    req.destroy();
    agent.destroy();
  }
  samples.sort((a, b) => a - b);
  return {
    changes: samples.length,
    median: quantile(samples, 0.5),
    p95: quantile(samples, 0.95),
    max: samples[samples.length - 1],
  };
}

interface ScaleRow {
  resources: number;
  entityRead: LoadResult;
  catalogRead: LoadResult;
  /** The whole bench process (backend + in-process sandbox store + catalog), after global.gc(). */
  processHeapDeltaMB?: number;
  processRssDeltaMB?: number;
  /** The cluster service's caches alone (clusterCacheMemory.ts, fresh process). */
  clusterCache?: { heapDeltaMB: number; rssDeltaMB: number; warmMs: number };
  catalogIngested: boolean;
}

async function measureScale(
  sandbox: import('@kratix-backstage/sandbox').Sandbox,
  probe: BenchProbe,
  entityRead: BenchRequest,
  catalogRead: BenchRequest,
  headers: Record<string, string>,
): Promise<ScaleRow[]> {
  const gc = (global as { gc?: () => void }).gc;
  const memory = async () => {
    if (!gc) return undefined;
    for (let i = 0; i < 3; i++) {
      gc();
      await sleep(100);
    }
    return process.memoryUsage();
  };
  const mb = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;
  const baseline = await memory();
  const seeded = await cachedResourceCount(probe.clusters!, 'sandbox');
  const resourceEntities = async () => {
    const res = await fetch(
      `${base}/api/catalog/entities/by-query?filter=kind=resource&limit=1`,
      { headers },
    );
    return ((await res.json()) as { totalItems?: number }).totalItems ?? 0;
  };
  const seededEntities = await resourceEntities();
  const rows: ScaleRow[] = [];
  let promises = 0;
  for (const resources of [1000, 10_000]) {
    const target = Math.ceil(resources / PER_PROMISE);
    await loadBenchResources(sandbox, promises, target, false);
    promises = target;
    await until(
      `the cluster service to cache ${resources} Resources`,
      async () =>
        (await cachedResourceCount(probe.clusters!, 'sandbox')) >=
        seeded + resources
          ? true
          : undefined,
      300_000,
    );
    // The Kratix catalog module turns Resources into entities; measure once it has caught up, so
    // the figure is the app serving N Resources, not the app ingesting them.
    const catalogIngested = await until(
      `the catalog to serve ${resources} bench Resources`,
      async () =>
        (await resourceEntities()) >= seededEntities + resources
          ? true
          : undefined,
      600_000,
    ).catch(() => false);
    await sleep(2000);
    const entity = await closedLoop(entityRead, {
      concurrency: 10,
      requests: 1000,
      warmup: WARMUP,
    });
    const catalog = await closedLoop(catalogRead, {
      concurrency: 10,
      requests: 1000,
      warmup: WARMUP,
    });
    const now = await memory();
    const child = spawnSync(
      process.execPath,
      [
        '--expose-gc',
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        path.join(__dirname, 'clusterCacheMemory.ts'),
        String(resources),
      ],
      { encoding: 'utf8', timeout: 600_000 },
    );
    if (child.status !== 0) {
      throw new Error(`clusterCacheMemory ${resources}: ${child.stderr}`);
    }
    const cache = JSON.parse(child.stdout.trim().split('\n').pop()!);
    rows.push({
      resources,
      entityRead: entity,
      catalogRead: catalog,
      processHeapDeltaMB:
        baseline && now ? mb(now.heapUsed - baseline.heapUsed) : undefined,
      processRssDeltaMB:
        baseline && now ? mb(now.rss - baseline.rss) : undefined,
      clusterCache: {
        heapDeltaMB: cache.heapDeltaMB,
        rssDeltaMB: cache.rssDeltaMB,
        warmMs: cache.warmMs,
      },
      catalogIngested,
    });
    console.log(
      `  scale ${resources}: entity c10 p50 ${entity.p50.toFixed(
        2,
      )} ms, catalog c10 p50 ${catalog.p50.toFixed(2)} ms, cache ${
        cache.heapDeltaMB
      } MB heap`,
    );
  }
  return rows;
}

function printTable(
  rows: RouteRow[],
  ratios: Record<string, number>,
  stream: StreamLatency,
  scale?: ScaleRow[],
) {
  const ms = (x: number) => `${x.toFixed(2)} ms`;
  const cell = (s: string, w: number) => s.padStart(w);
  console.log(
    `\nKratix read path vs catalog and peer — one run, ${REQUESTS} requests per route per concurrency level after ${WARMUP} warm-up; loopback; machine: ${
      os.cpus().length
    } cores, SHARED with other work (compare ratios within this run, not absolute figures)`,
  );
  console.log(
    `| ${'route'.padEnd(36)} | ${cell('c1 req/s', 9)} | ${cell(
      'c1 p50',
      10,
    )} | ${cell('c1 p99', 10)} | ${cell('c10 req/s', 9)} | ${cell(
      'c10 p50',
      10,
    )} | ${cell('c10 p99', 10)} |`,
  );
  console.log(
    `|${'-'.repeat(38)}|${'-'.repeat(11)}|${'-'.repeat(12)}|${'-'.repeat(
      12,
    )}|${'-'.repeat(11)}|${'-'.repeat(12)}|${'-'.repeat(12)}|`,
  );
  for (const r of rows) {
    console.log(
      `| ${r.name.padEnd(36)} | ${cell(r.c1.rps.toFixed(0), 9)} | ${cell(
        ms(r.c1.p50),
        10,
      )} | ${cell(ms(r.c1.p99), 10)} | ${cell(
        r.c10.rps.toFixed(0),
        9,
      )} | ${cell(ms(r.c10.p50), 10)} | ${cell(ms(r.c10.p99), 10)} |`,
    );
  }
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log('\nRatios at concurrency 10 (targets in docs/benchmarks.md):');
  console.log(
    `  entity Resources p50 / catalog by-name p50:   ${ratios.entityP50OverCatalogP50.toFixed(
      2,
    )}x  (target ≤ 0.5x: ${verdict(ratios.entityP50OverCatalogP50 <= 0.5)})`,
  );
  console.log(
    `  entity Resources req/s / peer req/s:          ${ratios.entityRpsOverPeerRps.toFixed(
      2,
    )}x  (target ≥ 3x: ${verdict(ratios.entityRpsOverPeerRps >= 3)})`,
  );
  console.log(
    `  timeline p50 / catalog by-name p50:           ${ratios.timelineP50OverCatalogP50.toFixed(
      2,
    )}x  (target ≤ 1x: ${verdict(ratios.timelineP50OverCatalogP50 <= 1)})`,
  );
  console.log(
    `\nChange → screen: sandbox store write → SSE frame on GET .../search-service/events, ${
      stream.changes
    } changes: median ${ms(stream.median)}, p95 ${ms(stream.p95)}, max ${ms(
      stream.max,
    )} (target ≤ 50 ms: ${verdict(
      stream.median <= 50,
    )}). The scaffolder's wait: actionWait.ts (below).`,
  );
  if (scale) {
    console.log(
      '\nScale (entity read and catalog by-name at concurrency 10, 1000 requests each; memory after global.gc()):',
    );
    console.log(
      `| ${'Resources'.padStart(9)} | ${cell('entity p50', 10)} | ${cell(
        'entity p99',
        10,
      )} | ${cell('catalog p50', 11)} | ${cell(
        'cluster-service cache heap',
        26,
      )} | ${cell('cache RSS', 9)} | ${cell('process heap Δ', 14)} | ${cell(
        'process RSS Δ',
        13,
      )} |`,
    );
    console.log(
      `|${'-'.repeat(11)}|${'-'.repeat(12)}|${'-'.repeat(12)}|${'-'.repeat(
        13,
      )}|${'-'.repeat(28)}|${'-'.repeat(11)}|${'-'.repeat(16)}|${'-'.repeat(
        15,
      )}|`,
    );
    for (const s of scale) {
      const m = (x?: number) => (x === undefined ? 'n/a' : `${x} MB`);
      console.log(
        `| ${String(s.resources).padStart(9)} | ${cell(
          ms(s.entityRead.p50),
          10,
        )} | ${cell(ms(s.entityRead.p99), 10)} | ${cell(
          ms(s.catalogRead.p50),
          11,
        )} | ${cell(m(s.clusterCache?.heapDeltaMB), 26)} | ${cell(
          m(s.clusterCache?.rssDeltaMB),
          9,
        )} | ${cell(m(s.processHeapDeltaMB), 14)} | ${cell(
          m(s.processRssDeltaMB),
          13,
        )} |${s.catalogIngested ? '' : ' (catalog still ingesting)'}`,
      );
    }
    const last = scale[scale.length - 1];
    if (last?.clusterCache) {
      console.log(
        `  cluster-service cache for ${last.resources} Resources: ${
          last.clusterCache.heapDeltaMB
        } MB heap (target ≤ 150 MB: ${verdict(
          last.clusterCache.heapDeltaMB <= 150,
        )}). Process Δ includes the in-process sandbox store and the catalog's entities.`,
      );
    }
  }
  console.log(
    '\nNot measured here: the entity tab in Chromium (50 Resources, 500 timeline entries, interactive within 1 s) — yarn bench:tab.',
  );
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
