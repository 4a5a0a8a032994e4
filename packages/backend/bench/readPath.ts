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
 *   - the backend's own health route GET /.backstage/health/v1/readiness (the floor: no plugin)
 * each with a closed-loop load at concurrency 1 and 10 (req/s, p50, p99); then
 *   - first reads: each of 1,000 users (User entities the bench adds to the catalog, signed in
 *     through the auth backend, one token each: benchUsers.ts) reads the entity once, at
 *     concurrency 10; then each reads the catalog by-name once, with another token of theirs;
 *   - change → live stream: the sandbox store writes a change, the SSE frame carrying it arrives;
 *   - scale: entity read latency and process memory with 1,000 and 10,000 Resources loaded, and the
 *     cluster service's cache size alone (clusterCacheMemory.ts, in a fresh process per size).
 * Before all of it, the cold read: a backend with both Kratix caches off (kratix.cache.decisionSeconds
 * and entitySeconds 0; requestsSeconds 0 too, so nothing is kept), in this process, on the same sandbox and catalog files, stopped before the
 * main one starts: the entity read and the catalog by-name read at concurrency 10, side by side, and
 * what each hop of the cold read costs alone (`hops`: the probe plugin's own services, same
 * implementations, timed at concurrency 10 with the same user).
 * Writes .cache/bench/read-path.json (scripts/bench/results.js) and prints a table. No assertion on time; it fails
 * only when a route answers wrongly (a benchmark of error pages measures nothing).
 *
 *   --requests N   requests per route per concurrency level (default 2000)
 *   --cpu-prof     also profile the warm and the cold entity-read loads (concurrency 10) and, with
 *                  --cold-path-only, first reads by a second pool of N users; prints the top
 *                  self-time functions of each; the profiles are written to .cache/bench/
 *                  entity-read.cpuprofile, entity-read-cold.cpuprofile, entity-first-read.cpuprofile
 *   --users N      first reads by N distinct users (default 1000)
 *   --cold-path-only  only the cold read, the warm pair and the first reads, printed, no file
 *                  written (for working on the read path)
 *   --no-scale     skip the 1,000 / 10,000 Resources part
 * The backend logs at LOG_LEVEL=warn unless LOG_LEVEL is set.
 */
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { kratixResourceReadPermission } from '@kratix-backstage/plugin-kratix-common';
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
  benchUserName,
  BENCH_USERS_PROVIDER,
  mintBenchUserTokens,
  signInBenchUser,
  writeBenchUsers,
} from './benchUsers';
import {
  closedLoop,
  closedLoopCalls,
  formatSelfTime,
  sideBySide,
  sideBySideHttp,
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
import { sleep, until } from './until';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const option = (name: string, fallback: number) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const REQUESTS = option('--requests', 2000);
const USERS = option('--users', 1000);
const WARMUP = 100;
/** Rounds of the side-by-side loads (load.ts sideBySide). */
const ROUNDS = 4;
const CHANGES = 30;
const PORT = 7178;
const base = `http://127.0.0.1:${PORT}`;
const repoRoot = path.resolve(__dirname, '../../..');
const ENTITY = 'component:default/search-service';
/** The guest's teams (app-config.yaml, examples/org.yaml): what the policy reads for it. */
const GUEST_GROUPS = [
  'group:default/team-search',
  'group:default/team-checkout',
];
const ELASTIC = { group: 'workshop.kratix.io', plural: 'elastic-clouds' };

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

const entityRoute = `${base}/api/kratix/entities/component/default/search-service/resources`;
const timelineRoute = `${entityRoute}/sandbox/default/elastic-cloud/example`;
const catalogByName = `${base}/api/catalog/entities/by-name/component/default/search-service`;
const healthRoute = `${base}/.backstage/health/v1/readiness`;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const profiling = flag('--cpu-prof');

/**
 * Waits until the backend's catalog has read the examples and the bench users (the last one can
 * sign in: the auth backend's resolver finds its User entity) and the guest's entity read shows the
 * completed Resource; returns the guest's headers.
 */
async function whenReady(): Promise<{ Authorization: string }> {
  await until(
    'the catalog to serve the bench users',
    async () =>
      (await signInBenchUser(base, benchUserName(USERS - 1)))
        ? true
        : undefined,
    300_000,
  );
  let headers = await guestHeaders(base);
  // The catalog has stitched every membership into team-search (its relations name each member):
  // until then it re-stitches the group on every user it processes, which would load the figures.
  await until(
    'the catalog to stitch the bench users into team-search',
    async () => {
      const res = await fetch(
        `${base}/api/catalog/entities/by-query?filter=kind=group,metadata.name=team-search&fields=relations`,
        { headers: await guestHeaders(base) },
      );
      const { items } = (await res.json()) as {
        items: Array<{ relations?: Array<{ type: string }> }>;
      };
      const members = (items[0]?.relations ?? []).filter(
        r => r.type === 'hasMember',
      ).length;
      return members >= USERS ? true : undefined;
    },
    300_000,
  );
  await until(
    'the entity read',
    async () => {
      // Signed in again each time: the guest's teams come from the catalog at sign-in.
      headers = await guestHeaders(base);
      const res = await fetch(entityRoute, { headers });
      const body = res.ok ? ((await res.json()) as any) : undefined;
      return body?.items?.[0]?.workflowCompletion?.state === 'completed'
        ? true
        : undefined;
    },
    120_000,
  );
  return headers;
}

interface Hop {
  name: string;
  p50Ms: number;
  p95Ms: number;
  rps: number;
  /** This process's CPU per call (every side of the hop runs in it). */
  cpuMsPerCall: number;
}

interface ColdFigures {
  catalog: LoadResult;
  entity: LoadResult;
  hops: Hop[];
  profileTop?: string;
}

/**
 * The cold read: a backend with both Kratix caches off, the entity read and the catalog by-name
 * read side by side at concurrency 10, then each hop of the cold read alone.
 */
async function measureCold(configPaths: string[]): Promise<ColdFigures> {
  const probe: BenchProbe = {};
  const backend = createBenchBackend(probe, { configPaths, peer: false });
  await backend.start();
  try {
    const headers = await whenReady();
    const { catalog, entity } = await sideBySideHttp(
      {
        catalog: { url: catalogByName, headers },
        entity: { url: entityRoute, headers },
      },
      { concurrency: 10, requests: REQUESTS, warmup: WARMUP, rounds: ROUNDS },
    );
    // Profiled on its own, after the figures: the profiler's overhead is not in them.
    const profileFile = path.join(
      benchResultsDir,
      'entity-read-cold.cpuprofile',
    );
    if (profiling) {
      fs.mkdirSync(path.dirname(profileFile), { recursive: true });
      await withCpuProfile(profileFile, () =>
        closedLoop(
          { url: entityRoute, headers },
          { concurrency: 10, requests: REQUESTS, warmup: 0 },
        ),
      );
    }
    console.log(
      `  cold (caches off): catalog by-name c10 p50 ${catalog.p50.toFixed(
        2,
      )} ms; entity Resources c10 p50 ${entity.p50.toFixed(2)} ms`,
    );
    const hops = await measureHops(probe, headers.Authorization.slice(7));
    return {
      catalog,
      entity,
      hops,
      profileTop: profiling
        ? formatSelfTime(topSelfTime(profileFile, 15))
        : undefined,
    };
  } finally {
    await backend.stop();
  }
}

/**
 * What each hop of the cold entity read costs alone, at concurrency 10, with the same user: the
 * probe plugin's own services, the implementations the Kratix plugin's read path calls.
 */
async function measureHops(probe: BenchProbe, token: string): Promise<Hop[]> {
  const auth = probe.auth!;
  const credentials: BackstageCredentials = await auth.authenticate(token);
  const own = await auth.getOwnServiceCredentials();
  const ref = {
    kind: 'component',
    namespace: 'default',
    name: 'search-service',
  };
  const opts = {
    concurrency: 10,
    requests: Math.min(REQUESTS, 1000),
    warmup: WARMUP,
    rounds: ROUNDS,
  };
  const named: Array<[string, () => Promise<unknown>]> = [
    [
      'token verification (the route guard, in process)',
      () => auth.authenticate(token),
    ],
    [
      'decisions: catalog.entity.read + kratix.resource.read, one permission round trip',
      () =>
        probe.permissions!.authorizeConditional(
          [
            { permission: catalogEntityReadPermission },
            { permission: kratixResourceReadPermission },
          ],
          { credentials },
        ),
    ],
    [
      "inside the decisions: the app policy's read of the user's groups (viewer roles), one catalog round trip with its own credentials; kept for kratix.cache.entitySeconds when that is on",
      () =>
        probe.catalog!.getEntitiesByRefs(
          // What the policy reads of a group (all but its relations, which name every member).
          {
            entityRefs: GUEST_GROUPS,
            fields: ['apiVersion', 'kind', 'metadata', 'spec'],
          },
          { credentials: own },
        ),
    ],
    [
      'the entity: one catalog round trip with the plugin credentials',
      () => probe.catalog!.getEntityByRef(ref, { credentials: own }),
    ],
    [
      'reference, not on the read path: the entity read as the caller (catalog round trip + its permission round trip)',
      () => probe.catalog!.getEntityByRef(ref, { credentials }),
    ],
  ];
  const figures = await sideBySide(
    Object.fromEntries(named) as Record<string, () => Promise<unknown>>,
    opts,
  );
  const hops: Hop[] = named.map(([name]) => ({
    name,
    p50Ms: figures[name].p50,
    p95Ms: figures[name].p95,
    rps: figures[name].rps,
    cpuMsPerCall: figures[name].cpuMsPerRequest,
  }));
  for (const h of hops) {
    console.log(`  hop: ${h.name}: p50 ${h.p50Ms.toFixed(2)} ms`);
  }
  return hops;
}

/** The warm goal's pair, side by side (the route table loads one route after another). */
async function measureWarm(headers: { Authorization: string }) {
  const warm = await sideBySideHttp(
    {
      entity: { url: entityRoute, headers },
      health: { url: healthRoute },
    },
    { concurrency: 10, requests: REQUESTS, warmup: WARMUP, rounds: ROUNDS },
  );
  console.log(
    `  warm, side by side: entity c10 p50 ${warm.entity.p50.toFixed(
      2,
    )} ms; health c10 p50 ${warm.health.p50.toFixed(2)} ms`,
  );
  return warm;
}

interface FirstReads {
  users: number;
  entity: LoadResult;
  catalog: LoadResult;
  /** Wall time to sign in every user twice (one token per read). */
  signInMs: number;
}

/**
 * First reads: each of USERS users reads the entity once (its decisions not yet asked: the
 * decision cache holds none of theirs), at concurrency 10; then each reads the catalog by-name
 * once, with a second token of their own. Every request carries a token the backend has not seen.
 */
async function measureFirstReads(): Promise<FirstReads> {
  const started = performance.now();
  const entityTokens = await mintBenchUserTokens(base, USERS);
  const catalogTokens = await mintBenchUserTokens(base, USERS);
  if (entityTokens.some(t => catalogTokens.includes(t))) {
    throw new Error('bench users: a token was issued twice');
  }
  const signInMs = performance.now() - started;
  const { entity, catalog } = await sideBySideHttp(
    {
      entity: (i: number) => ({
        url: entityRoute,
        headers: bearer(entityTokens[i]),
      }),
      catalog: (i: number) => ({
        url: catalogByName,
        headers: bearer(catalogTokens[i]),
      }),
    },
    { concurrency: 10, requests: USERS, warmup: 0, rounds: ROUNDS },
  );
  console.log(
    `  first reads, ${USERS} users: entity c10 p50 ${entity.p50.toFixed(
      2,
    )} ms; catalog by-name c10 p50 ${catalog.p50.toFixed(2)} ms`,
  );
  return { users: USERS, entity, catalog, signInMs };
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
      // The bench users' sign-in (benchUsers.ts); the bench backend only.
      auth: { providers: { [BENCH_USERS_PROVIDER]: {} } },
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
        // entities.yaml, and the bench users.
        locations: [
          { type: 'file', target: benchEntitiesFile(dir) },
          { type: 'file', target: examples('org.yaml') },
          // With --cpu-prof, a second pool that the profiled first reads use.
          {
            type: 'file',
            target: writeBenchUsers(dir, profiling ? USERS * 2 : USERS),
          },
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
  // Both Kratix caches off: every read asks the policy and reads the catalog. The ledger's rows
  // (no permission state) are not kept either: a cold read keeps nothing.
  const coldConfig = path.join(dir, 'cold-config.yaml');
  fs.writeFileSync(
    coldConfig,
    JSON.stringify({
      kratix: {
        cache: { decisionSeconds: 0, entitySeconds: 0, requestsSeconds: 0 },
      },
    }),
  );
  const configPaths = [path.join(repoRoot, 'app-config.yaml'), config];

  const results: Record<string, unknown> = { requestsPerLevel: REQUESTS };
  try {
    // The cold read first, on its own backend (stopped before the main one starts).
    const cold = await measureCold([...configPaths, coldConfig]);

    const probe: BenchProbe = {};
    const backend = createBenchBackend(probe, { configPaths });
    await backend.start();
    try {
      const headers = await whenReady();
      if (flag('--cold-path-only')) {
        const warm = await measureWarm(headers);
        const firstReads = await measureFirstReads();
        printColdPath(cold, firstReads, warm.entity, warm.health, {
          coldEntityP50OverCatalogP50: cold.entity.p50 / cold.catalog.p50,
          firstReadP50OverCatalogP50:
            firstReads.entity.p50 / firstReads.catalog.p50,
          warmEntityP50OverHealthP50: warm.entity.p50 / warm.health.p50,
        });
        if (cold.profileTop)
          console.log(`\nCold read profile:\n${cold.profileTop}`);
        if (profiling) {
          // First reads by the second pool of users (never seen before), entity only.
          const firstReadProfile = path.join(
            benchResultsDir,
            'entity-first-read.cpuprofile',
          );
          const tokens = await mintBenchUserTokens(base, USERS, 10, USERS);
          await withCpuProfile(firstReadProfile, () =>
            closedLoop(
              (i: number) => ({
                url: entityRoute,
                headers: bearer(tokens[i]),
              }),
              { concurrency: 10, requests: USERS, warmup: 0 },
            ),
          );
          console.log(
            `\nFirst-read profile:\n${formatSelfTime(
              topSelfTime(firstReadProfile, 25),
            )}`,
          );
          // The warm read, profiled on its own after the figures.
          const warmProfile = path.join(
            benchResultsDir,
            'entity-read.cpuprofile',
          );
          await withCpuProfile(warmProfile, () =>
            closedLoop(
              { url: entityRoute, headers },
              { concurrency: 10, requests: REQUESTS, warmup: WARMUP },
            ),
          );
          console.log(
            `\nWarm read profile:\n${formatSelfTime(
              topSelfTime(warmProfile, 25),
            )}`,
          );
        }
        return;
      }
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
          req: { url: catalogByName, headers },
        },
        { name: 'peer kubernetes-backend', req: peerRequest },
        { name: 'ours: entity Resources', req: { url: entityRoute, headers } },
        {
          name: 'ours: one-Resource timeline',
          req: { url: timelineRoute, headers },
        },
        { name: 'backend health (readiness)', req: { url: healthRoute } },
      ];
      const rows: RouteRow[] = [];
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
      const direct = async (concurrency: number) =>
        closedLoopCalls(
          () =>
            k8s.getNamespacedCustomObject({
              group: 'workshop.kratix.io',
              version: 'v1alpha1',
              namespace: 'default',
              plural: 'elastic-clouds',
              name: 'example',
            }),
          { concurrency, requests: REQUESTS, warmup: WARMUP },
        );
      rows.push({
        name: 'direct client-node GET (reference)',
        c1: await direct(1),
        c10: await direct(10),
      });
      results.routes = rows;

      const warm = await measureWarm(headers);
      const firstReads = await measureFirstReads();

      const row = (name: string) => rows.find(r => r.name === name)!;
      const catalog = row('catalog by-name');
      const peer = row('peer kubernetes-backend');
      const ours = row('ours: entity Resources');
      const timeline = row('ours: one-Resource timeline');
      results.cold = {
        entityP50: cold.entity.p50,
        catalogP50: cold.catalog.p50,
        concurrency: 10,
        entity: cold.entity,
        catalog: cold.catalog,
      };
      results.firstRead = {
        users: firstReads.users,
        entityP50: firstReads.entity.p50,
        catalogP50: firstReads.catalog.p50,
        concurrency: 10,
        entity: firstReads.entity,
        catalog: firstReads.catalog,
        signInMs: firstReads.signInMs,
      };
      results.warm = {
        entityP50: warm.entity.p50,
        healthP50: warm.health.p50,
        concurrency: 10,
        entity: warm.entity,
        health: warm.health,
      };
      results.hops = cold.hops;
      const ratios = {
        entityP50OverCatalogP50: ours.c10.p50 / catalog.c10.p50,
        entityRpsOverPeerRps: ours.c10.rps / peer.c10.rps,
        timelineP50OverCatalogP50: timeline.c10.p50 / catalog.c10.p50,
        coldEntityP50OverCatalogP50: cold.entity.p50 / cold.catalog.p50,
        firstReadP50OverCatalogP50:
          firstReads.entity.p50 / firstReads.catalog.p50,
        warmEntityP50OverHealthP50: warm.entity.p50 / warm.health.p50,
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
        results.cpuProfile = {
          file: profileFile,
          top,
          cold: {
            file: path.join(benchResultsDir, 'entity-read-cold.cpuprofile'),
          },
        };
        profileTop = formatSelfTime(top);
      }

      // Scale: 1,000 then 10,000 Resources in the sandbox; entity read (c10) and process memory.
      if (!flag('--no-scale')) {
        results.scale = await measureScale(
          sandbox,
          probe,
          { url: entityRoute, headers },
          { url: catalogByName, headers },
        );
      }

      writeBenchResult('read-path', results);
      printTable(
        rows,
        ratios,
        streamLatency,
        results.scale as ScaleRow[] | undefined,
      );
      printColdPath(cold, firstReads, warm.entity, warm.health, ratios);
      if (profileTop) {
        console.log(
          `\nTop 15 self-time functions, entity Resources read at concurrency 10 (${path.relative(
            repoRoot,
            profileFile,
          )}):\n${profileTop}`,
        );
      }
      if (cold.profileTop) {
        console.log(
          `\nTop 15 self-time functions, the cold entity read (caches off) at concurrency 10 (.cache/bench/entity-read-cold.cpuprofile):\n${cold.profileTop}`,
        );
      }
    } finally {
      await backend.stop();
    }
  } finally {
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
  resourcesRoute: string,
  headers: Record<string, string>,
): Promise<StreamLatency> {
  const waiting = new Map<string, (at: number) => void>();
  const agent = new http.Agent({ keepAlive: false });
  const req = http.get(`${resourcesRoute.replace(/\/resources$/, '')}/events`, {
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
  // Counted with the backend's own credentials: the app's policy shows kratix-resource entities to
  // their owners only, and the bench Resources belong to other teams than the guest's.
  const resourceEntities = async () => {
    const { totalItems } = await probe.catalog!.queryEntities(
      { filter: { kind: 'resource' }, limit: 1 },
      { credentials: await probe.auth!.getOwnServiceCredentials() },
    );
    return totalItems;
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

/** The cold path's figures (issue 28): caches off, first reads, warm against health, the hops. */
function printColdPath(
  cold: ColdFigures,
  first: FirstReads,
  warm: LoadResult,
  health: LoadResult,
  ratios: Record<string, number>,
) {
  const ms = (x: number) => `${x.toFixed(2)} ms`;
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const cpu = (r: LoadResult) =>
    `${r.cpuMsPerRequest.toFixed(2)} ms CPU/request`;
  console.log(
    '\nThe cold path, concurrency 10 (p50, side by side in this run):',
  );
  console.log(
    `  caches off: entity ${ms(cold.entity.p50)} / catalog by-name ${ms(
      cold.catalog.p50,
    )} = ${ratios.coldEntityP50OverCatalogP50.toFixed(
      2,
    )}x  (target ≤ 1x: ${verdict(ratios.coldEntityP50OverCatalogP50 <= 1)})`,
  );
  console.log(
    `  first read of each of ${first.users} users: entity ${ms(
      first.entity.p50,
    )} / catalog by-name ${ms(
      first.catalog.p50,
    )} = ${ratios.firstReadP50OverCatalogP50.toFixed(
      2,
    )}x  (target ≤ 1x: ${verdict(ratios.firstReadP50OverCatalogP50 <= 1)}; ${
      first.users * 2
    } sign-ins took ${(first.signInMs / 1000).toFixed(1)} s)`,
  );
  console.log(
    `  warm: entity ${ms(warm.p50)} / health ${ms(
      health.p50,
    )} = ${ratios.warmEntityP50OverHealthP50.toFixed(
      2,
    )}x  (target ≤ 3x: ${verdict(ratios.warmEntityP50OverHealthP50 <= 3)})`,
  );
  console.log(
    "  the cold read's hops, each alone (same user, concurrency 10):",
  );
  for (const hop of cold.hops) {
    console.log(
      `    ${ms(hop.p50Ms).padStart(9)} p50 (p95 ${ms(
        hop.p95Ms,
      )}, ${hop.cpuMsPerCall.toFixed(2)} ms CPU/call)  ${hop.name}`,
    );
  }
  console.log(
    `  CPU per request: cold entity ${cpu(cold.entity)}, cold catalog ${cpu(
      cold.catalog,
    )}; first-read entity ${cpu(first.entity)}, catalog ${cpu(
      first.catalog,
    )}; warm entity ${cpu(warm)}, health ${cpu(health)}`,
  );
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
