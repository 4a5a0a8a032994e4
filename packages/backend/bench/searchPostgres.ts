/*
 * `yarn workspace backend bench:search-pg` (issue 28): portal search over 10,000 Kratix Resources
 * on PostgreSQL. The app's real backend (createAppBackend: on a pg database it searches with
 * Backstage's PostgreSQL engine) on a PostgreSQL server (KRATIX_TEST_POSTGRES_URL, else the one
 * scripts/postgres.sh starts) and a sandbox holding 50 load-test Promises x 200 Resources:
 *   - collation: the Kratix Resource collation is triggered through the search plugin's scheduler
 *     routes, as an operator would, and timed by the scheduler's own record of the run (start and
 *     end as the database stamped them): the documents stream from the cluster service's caches,
 *     entities are looked up in the catalog, and the engine writes its table in one transaction;
 *   - query: GET /api/search/query as the signed-in guest, one Promise's name per query in turn
 *     (200 Resources match, of which the guest may read 20; the engine matches by prefix, so
 *     bench1..bench4 also match the Promises bench10..bench49 and their Resources, ranked below),
 *     closed loop at concurrency 1 and 10. The search engine wrapper (the search module's
 *     createKratixReadableSearchEngine, which the app's engine module uses) asks the policy once per query and applies its
 *     conditions to each engine page of results in one call to the Kratix plugin.
 *   - the permission backend's own hop, for comparison: one authorize call as the guest on 1 and
 *     on 100 Resources (what search's generic filter would make per engine page).
 * Writes .cache/bench/search-pg.json (scripts/bench/results.js). No assertion on time; it fails only
 * when the index or a query answers wrongly.
 *
 *   --requests N   queries per concurrency level (default 100)
 * The backend logs at LOG_LEVEL=warn unless LOG_LEVEL is set.
 */
import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  kratixClusterServiceRef,
  type KratixClusterService,
} from '@kratix-backstage/plugin-kratix-node';
import { kratixResourceReadPermission } from '@kratix-backstage/plugin-kratix-common';
import { startSandbox } from '@kratix-backstage/sandbox';
import {
  addScaleResources,
  installScalePromises,
} from '@kratix-backstage/sandbox/testUtils';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createAppBackend } from '../src/backend';
import { dropDatabases } from '../src/integration/__testUtils__/postgres';
import type { KnexClient } from '../src/integration/__testUtils__/testBackend';
import { cachedResourceCount } from './benchBackend';
import { guestHeaders } from './guestSignIn';
import { closedLoop, closedLoopCalls, send, type LoadResult } from './load';
// Not a package: the one results writer every workspace's benchmark shares (repo tooling).
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { writeBenchResult } from '../../../scripts/bench/results';
import { until } from './until';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const REQUESTS = option('--requests', 100);
const WARMUP = 20;
const PROMISES = 50;
const PER_PROMISE = 200;
const RESOURCES = PROMISES * PER_PROMISE;
const PORT = 7186;
const base = `http://127.0.0.1:${PORT}`;
const repoRoot = path.resolve(__dirname, '../../..');
const TASK = 'search_index_kratix_resource';
const tasksRoute = `${base}/api/search/.backstage/scheduler/v1/tasks`;

/**
 * Who reads Resource r-<j> of each Promise: one in ten is linked to search-service (team-search,
 * the guest's team), four in ten to ci-platform (team-platform), the rest to no entity (the
 * platform team only).
 */
function linkOf(j: number): Record<string, string> | undefined {
  let link: [string, string] | undefined;
  if (j % 10 === 0) link = ['search-service', 'team-search'];
  else if (j % 10 <= 4) link = ['ci-platform', 'team-platform'];
  return link
    ? {
        'kratix.backstage.io/entity-ref': `component:default/${link[0]}`,
        'kratix.backstage.io/owner': `group:default/${link[1]}`,
      }
    : undefined;
}

function postgresUrl(): string {
  if (process.env.KRATIX_TEST_POSTGRES_URL) {
    return process.env.KRATIX_TEST_POSTGRES_URL;
  }
  const started = spawnSync(
    'bash',
    [path.join(repoRoot, 'scripts/postgres.sh')],
    {
      encoding: 'utf8',
    },
  );
  if (started.status !== 0) {
    throw new Error(`scripts/postgres.sh failed: ${started.stderr}`);
  }
  return started.stdout.trim();
}

interface Probe {
  clusters?: KratixClusterService;
  search?: KnexClient;
}

/** Hands the bench the Kratix cluster service and the search plugin's database. */
function probeFeatures(probe: Probe) {
  return [
    createBackendPlugin({
      pluginId: 'bench-probe',
      register(env) {
        env.registerInit({
          deps: { clusters: kratixClusterServiceRef },
          async init({ clusters }) {
            probe.clusters = clusters;
          },
        });
      },
    }),
    createBackendModule({
      pluginId: 'search',
      moduleId: 'bench-probe',
      register(env) {
        env.registerInit({
          deps: { database: coreServices.database },
          async init({ database }) {
            probe.search = await database.getClient();
          },
        });
      },
    }),
  ];
}

interface SearchAnswer {
  results: Array<{ type: string; document: { name: string; promise: string } }>;
  numberOfResults?: number;
  nextPageCursor?: string;
}

interface TaskState {
  status: 'running' | 'idle';
  startedAt?: string;
  lastRunEndedAt?: string;
  lastRunError?: string;
}

async function taskState(
  headers: Record<string, string>,
): Promise<TaskState | undefined> {
  const res = await fetch(tasksRoute, { headers });
  if (!res.ok) throw new Error(`${tasksRoute}: HTTP ${res.status}`);
  const body = (await res.json()) as { tasks: any[] };
  return body.tasks.find(t => t.taskId === TASK)?.taskState ?? undefined;
}

/** Triggers the Kratix Resource collation and returns its duration as the scheduler recorded it. */
async function collate(headers: Record<string, string>): Promise<number> {
  const before = await taskState(headers);
  const triggered = await fetch(`${tasksRoute}/${TASK}/trigger`, {
    method: 'POST',
    headers,
  });
  if (!triggered.ok) {
    throw new Error(`trigger ${TASK}: HTTP ${triggered.status}`);
  }
  let startedAt: string | undefined;
  const ended = await until(
    'the collation to end',
    async () => {
      const state = await taskState(headers);
      if (state?.status === 'running') startedAt = state.startedAt;
      return state?.status === 'idle' &&
        state.lastRunEndedAt !== before?.lastRunEndedAt
        ? state
        : undefined;
    },
    15 * 60_000,
    // Often enough to see the run's start stamp: a collation of 10,000 lasts seconds.
    100,
  );
  if (ended.lastRunError) {
    throw new Error(`the collation failed: ${ended.lastRunError}`);
  }
  if (!startedAt || !ended.lastRunEndedAt) {
    throw new Error('the scheduler did not show the run start and end');
  }
  return (Date.parse(ended.lastRunEndedAt) - Date.parse(startedAt)) / 1000;
}

async function main() {
  // Guest sign-in only works in development mode.
  process.env.NODE_ENV = process.env.NODE_ENV ?? 'development';
  process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'warn';
  const url = postgresUrl();
  const prefix = `kratix_bench_search_${crypto
    .randomBytes(4)
    .toString('hex')}_`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kratix-search-pg-'));
  const sandbox = await startSandbox({ seed: false, stepDelayMs: 0 });
  await sandbox.ready;
  await installScalePromises(sandbox, { to: PROMISES });
  await addScaleResources(sandbox, {
    to: PROMISES,
    perPromise: PER_PROMISE,
    annotations: (_, j) => linkOf(j) ?? {},
  });
  const config = path.join(dir, 'bench-config.yaml');
  fs.writeFileSync(
    config,
    JSON.stringify({
      backend: {
        baseUrl: base,
        listen: { host: '127.0.0.1', port: PORT },
        database: { client: 'pg', connection: url, prefix },
      },
      kratix: {
        sandbox: { enabled: false },
        clusters: [
          {
            name: 'sandbox',
            url: sandbox.url,
            auth: { type: 'serviceAccount', token: sandbox.token },
            caData: Buffer.from(sandbox.certificate ?? '').toString('base64'),
            requestTimeoutMs: 60_000,
          },
        ],
      },
      search: {
        collators: {
          // Collated when the bench says, once the caches and the catalog are ready.
          kratix: {
            schedule: {
              frequency: { trigger: 'manual' },
              timeout: { minutes: 15 },
            },
          },
        },
      },
    }),
  );
  process.argv.push(
    '--config',
    path.join(repoRoot, 'app-config.yaml'),
    '--config',
    config,
  );

  const probe: Probe = {};
  const backend = createAppBackend();
  probeFeatures(probe).forEach(feature => backend.add(feature));
  await backend.start();
  try {
    const clusters = probe.clusters!;
    await until(
      'the cluster caches to hold every Resource',
      async () =>
        (await cachedResourceCount(clusters, 'sandbox')) === RESOURCES
          ? true
          : undefined,
      5 * 60_000,
    );
    // The catalog has read the examples: the guest's teams come from it at sign-in, and the
    // collator looks the linked entities up.
    const headers = await until(
      "the guest's team in the catalog",
      async () => {
        const signedIn = await guestHeaders(base);
        const res = await fetch(
          `${base}/api/catalog/entities/by-name/component/default/search-service`,
          { headers: signedIn },
        );
        return res.ok ? signedIn : undefined;
      },
      120_000,
    );

    // A manual task also runs once when first scheduled, perhaps before the caches were full:
    // start from an empty index, so the first timed run writes every document.
    await until(
      'the first scheduled collation to end',
      async () =>
        (await taskState(headers))?.status === 'idle' ? true : undefined,
      15 * 60_000,
    );
    await probe.search!('documents')
      .where({ type: 'kratix-resource' })
      .delete();
    const collationSeconds = await collate(headers);
    // Then the steady state: the same Resources again, the engine keeps unchanged documents.
    const recollationSeconds = await collate(headers);
    const [{ n }] = await probe.search!('documents')
      .where({ type: 'kratix-resource' })
      .count({ n: '*' });
    if (Number(n) !== RESOURCES) {
      throw new Error(`the index holds ${n} Resources, not ${RESOURCES}`);
    }

    // Each answer is checked: the 20 Resources of that Promise the guest may read, nothing else
    // (besides Promises, which every signed-in user reads). An answer is complete when it holds all
    // 20, or a full page of them and a next page. Search stops filtering after its latency budget
    // (search.permissions.queryLatencyBudgetMs, 1 s by default) and answers what it has: such an
    // answer is counted as cut short, not timed as a complete one.
    const readableNames = Array.from({ length: PER_PROMISE }, (_, j) => j)
      .filter(j => j % 10 === 0)
      .map(j => `r-${j}`)
      .sort();
    const readable = readableNames.join();
    const mayRead = new Set(readableNames);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });
    let truncated = 0;
    const PAGE = 25;
    const ask = async (i: number) => {
      const promise = `bench${i % PROMISES}`;
      const res = await send(agent, {
        url: `${base}/api/search/query?term=${promise}`,
        headers,
      });
      if (res.status !== 200) {
        throw new Error(`search: HTTP ${res.status} ${res.body.slice(0, 300)}`);
      }
      const body = JSON.parse(res.body) as SearchAnswer;
      const resources = body.results.filter(r => r.type === 'kratix-resource');
      const names = resources.map(r => r.document.name).sort();
      const leaked = resources.filter(
        r => r.document.promise !== promise || !mayRead.has(r.document.name),
      );
      if (leaked.length || body.numberOfResults !== undefined) {
        throw new Error(
          `the guest's search for ${promise} answered ${JSON.stringify({
            names,
            numberOfResults: body.numberOfResults,
          })}`,
        );
      }
      // bench1..bench4 also match 10 other Promises each, ranked first: a full page, then a cursor.
      const fullPage =
        body.results.length === PAGE &&
        body.nextPageCursor !== undefined &&
        names.every(name => mayRead.has(name));
      if (names.join() !== readable && !fullPage) truncated++;
    };
    // What the filter's one hop costs: the permission backend deciding kratix.resource.read on 1 and
    // on 100 Resources (an engine page) for the guest, in one call each.
    const authorizeP50 = async (count: number) => {
      const items = Array.from({ length: count }, (_, j) => ({
        id: `${j}`,
        permission: kratixResourceReadPermission,
        resourceRef: `sandbox:bench${j % PROMISES}/default/r-${j}`,
      }));
      const load = await closedLoop(
        {
          method: 'POST',
          url: `${base}/api/permission/authorize`,
          headers,
          body: { items },
        },
        { concurrency: 1, requests: 20, warmup: 3 },
      );
      return load.p50;
    };
    const authorize = {
      one: await authorizeP50(1),
      hundred: await authorizeP50(100),
    };
    const levels: Record<string, LoadResult & { truncated: number }> = {};
    try {
      for (const concurrency of [1, 10]) {
        const opts = { concurrency, warmup: 0 };
        await closedLoopCalls(ask, { ...opts, requests: WARMUP });
        truncated = 0;
        const load = await closedLoopCalls(ask, {
          ...opts,
          requests: REQUESTS,
        });
        levels[`c${concurrency}`] = { ...load, truncated };
      }
    } finally {
      agent.destroy();
    }
    const row = (l: LoadResult) =>
      `p50 ${l.p50.toFixed(1)} ms, p95 ${l.p95.toFixed(
        1,
      )} ms, p99 ${l.p99.toFixed(1)} ms, ${l.rps.toFixed(1)} queries/s`;
    console.log(
      `search on PostgreSQL: ${RESOURCES} Resources (${PROMISES} Promises x ${PER_PROMISE})`,
    );
    console.log(
      `  collation: ${collationSeconds.toFixed(
        2,
      )} s into an empty index, ${recollationSeconds.toFixed(
        2,
      )} s again with nothing changed`,
    );
    console.log(
      `  one permission call as the guest: ${authorize.one.toFixed(
        1,
      )} ms for 1 Resource, ${authorize.hundred.toFixed(1)} ms for 100 (p50)`,
    );
    for (const level of Object.values(levels)) {
      console.log(
        `  guest query, concurrency ${level.concurrency}: ${row(level)}; ${
          level.truncated
        } of ${level.requests} answers cut short (by the latency budget)`,
      );
    }
    const file = writeBenchResult('search-pg', {
      resources: RESOURCES,
      collationSeconds,
      recollationSeconds,
      queryP50Ms: levels.c1.p50,
      queries: levels.c1.requests,
      authorizeP50Ms: {
        oneResource: authorize.one,
        hundredResources: authorize.hundred,
      },
      query: {
        term: 'one Promise name per query (200 Resources match, 20 readable by the guest)',
        user: 'guest',
        c1: levels.c1,
        c10: levels.c10,
      },
    });
    console.log(`  written to ${file}`);
  } finally {
    await backend.stop();
    await sandbox.close();
    await dropDatabases(url, prefix);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
