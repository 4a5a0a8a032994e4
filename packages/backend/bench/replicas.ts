/*
 * `yarn bench:replicas` (issue 28): two backend replicas of the app on one PostgreSQL server and
 * one sandbox, behind Debian's HAProxy round robin (the integration test's setup:
 * src/integration/__testUtils__/replicaSet.ts). Checks the five properties the integration test
 * asserts (replicaChecks.ts: reads agree, a change reaches streams on both replicas, history and
 * notifications exactly once, the catalog provider once per schedule, no re-done work after a
 * restart), then times the entity read through the proxy (closed loop, concurrency 10), and the
 * same read straight to one replica for reference, in the same run.
 * Writes .cache/bench/replicas.json (scripts/bench/results.js). No assertion on time; the process
 * exits non-zero (after writing the file) when a property does not hold.
 *
 *   --requests N   reads timed through the proxy, and again direct (default 1000)
 * PostgreSQL: KRATIX_TEST_POSTGRES_URL, else scripts/postgres.sh starts one. HAProxy:
 * scripts/system-deps.sh installs it.
 */
import { startSandbox } from '@kratix-backstage/sandbox';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import {
  checkHistoryExactlyOnce,
  checkNoRedoAfterRestart,
  checkProviderOncePerSchedule,
  checkReadsAgree,
  checkStreamsOnEveryReplica,
  ENTITY_RESOURCES,
  type CheckResult,
} from '../src/integration/__testUtils__/replicaChecks';
import { startReplicaSet } from '../src/integration/__testUtils__/replicaSet';
import { closedLoop } from './load';
// Not a package: the one results writer every workspace's benchmark shares (repo tooling).
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { writeBenchResult } from '../../../scripts/bench/results';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const REQUESTS = option('--requests', 1000);
const CONCURRENCY = 10;
const WARMUP = 100;
const repoRoot = path.resolve(__dirname, '../../..');

function postgresUrl(): string {
  return (
    process.env.KRATIX_TEST_POSTGRES_URL ??
    execFileSync('bash', [path.join(repoRoot, 'scripts/postgres.sh')], {
      encoding: 'utf8',
    }).trim()
  );
}

async function main() {
  // Pipeline steps over a second, as in the test: notifications tell transitions apart by time.
  const sandbox = await startSandbox({ stepDelayMs: 1100 });
  await sandbox.ready;
  const set = await startReplicaSet({
    sandbox,
    postgresUrl: postgresUrl(),
    names: ['a', 'b'],
  });
  try {
    const report = (name: string, result: CheckResult<unknown>) => {
      const ok = result.violations.length === 0;
      console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${name}`);
      for (const v of result.violations) console.log(`         ${v}`);
      console.log(`         ${JSON.stringify(result.evidence)}`);
      return ok;
    };
    console.log(`replicas: 2 behind ${set.proxy.version}, round robin`);
    const readsAgree = report('readsAgree', await checkReadsAgree(set));
    const streamsOnBothReplicas = report(
      'streamsOnBothReplicas',
      await checkStreamsOnEveryReplica(set),
    );
    const history = await checkHistoryExactlyOnce(set, 'bench-cache');
    const historyExactlyOnce = report('historyExactlyOnce', history);
    const providerIngestsOncePerSchedule = report(
      'providerIngestsOncePerSchedule',
      await checkProviderOncePerSchedule(set),
    );
    const noRedoAfterRestart = history.evidence.uid
      ? report(
          'noRedoAfterRestart',
          await checkNoRedoAfterRestart(set, {
            uid: history.evidence.uid,
            name: 'bench-cache',
            as: 'c',
          }),
        )
      : false;
    const checks = {
      readsAgree,
      streamsOnBothReplicas,
      historyExactlyOnce,
      providerIngestsOncePerSchedule,
      noRedoAfterRestart,
    };

    // The read the entity page makes, through the proxy (alternating replicas), then straight to
    // one replica: what the extra hop costs, side by side.
    const headers = { Authorization: `Bearer ${await set.token('guest')}` };
    const load = {
      concurrency: CONCURRENCY,
      requests: REQUESTS,
      warmup: WARMUP,
    };
    const proxied = await closedLoop(
      { url: `${set.proxy.url}${ENTITY_RESOURCES}`, headers },
      load,
    );
    const [first] = set.running();
    const direct = await closedLoop(
      { url: `http://127.0.0.1:${first.port}${ENTITY_RESOURCES}`, headers },
      load,
    );
    const round = (ms: number) => Math.round(ms * 100) / 100;
    const file = writeBenchResult('replicas', {
      replicas: 2,
      proxy: `${set.proxy.version} roundrobin`,
      checks,
      readP50Ms: round(proxied.p50),
      concurrency: CONCURRENCY,
      requests: REQUESTS,
      readP99Ms: round(proxied.p99),
      readRps: Math.round(proxied.rps),
      directReadP50Ms: round(direct.p50),
    });
    console.log(
      `entity read at concurrency ${CONCURRENCY}, ${REQUESTS} requests: through the proxy p50 ${round(
        proxied.p50,
      )} ms (p99 ${round(proxied.p99)} ms, ${Math.round(
        proxied.rps,
      )} req/s); straight to replica ${first.name} p50 ${round(direct.p50)} ms`,
    );
    console.log(`wrote ${file}`);
    if (!Object.values(checks).every(Boolean)) process.exitCode = 1;
  } finally {
    await set.stop();
    await sandbox.close();
  }
}

main().then(
  // Stopped backends can leave pooled connections' timers behind: do not wait on them.
  () => process.exit(process.exitCode ?? 0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
