/*
 * `yarn workspace backend bench:streams`: 500 open live streams (100 users × 5 tabs, each user a
 * real sign-in through the auth backend: benchUsers.ts) on search-service's Kratix tab, on the
 * app's real backend (bench wiring: benchBackend.ts) and a sandbox this script starts.
 *   - fan-out: the sandbox store writes a change to the entity's Resource (its status message
 *     carries a marker) and the clock stops, for each stream, when the `resources` frame holding
 *     the marker arrives; CHANGES changes, further apart than the stream's coalescing window. p50
 *     and p95 over every (stream, change) pair, and each change's slowest stream;
 *   - memory per open stream: the backend process's heap and RSS after global.gc() with no stream
 *     open and with all 500 open (and their first frames sent), divided by 500.
 * The clients run in a child process (streamClients.ts): parsing 500 streams would otherwise run on
 * the backend's event loop and count in its memory. Both stamp times with
 * `performance.timeOrigin + performance.now()`.
 * Writes .cache/bench/streams.json (scripts/bench/results.js). No assertion on time; it fails only
 * when a stream does not open or a change does not reach every stream.
 *
 *   --users N      users (default 100)
 *   --per-user N   streams per user (default 5; kratix.streams.maxPerUser is 20)
 *   --changes N    changes (default 30)
 *   --cpu-prof     profile the backend during the changes: .cache/bench/streams.cpuprofile
 */
import { startSandbox } from '@kratix-backstage/sandbox';
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createBenchBackend, type BenchProbe } from './benchBackend';
import {
  BENCH_USERS_PROVIDER,
  benchUserName,
  mintBenchUserTokens,
  signInBenchUser,
  writeBenchUsers,
} from './benchUsers';
import { formatSelfTime, quantile, topSelfTime, withCpuProfile } from './load';
// Not a package: the one results writer every workspace's benchmark shares (repo tooling).
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  benchResultsDir,
  writeBenchResult,
} from '../../../scripts/bench/results';
import { sleep, until } from './until';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const USERS = option('--users', 100);
const PER_USER = option('--per-user', 5);
const CHANGES = option('--changes', 30);
const profiling = argv.includes('--cpu-prof');
const PORT = 7179;
const base = `http://127.0.0.1:${PORT}`;
const repoRoot = path.resolve(__dirname, '../../..');
const ELASTIC = { group: 'workshop.kratix.io', plural: 'elastic-clouds' };
const eventsRoute = `${base}/api/kratix/entities/component/default/search-service/events`;
const resourcesRoute = `${base}/api/kratix/entities/component/default/search-service/resources`;

const clock = () => performance.timeOrigin + performance.now();

/** The process's heap and RSS once garbage is collected (needs node --expose-gc). */
async function settledMemory() {
  const gc = (global as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  for (let i = 0; i < 3; i++) {
    gc();
    await sleep(200);
  }
  return process.memoryUsage();
}

type ClientReply =
  | { opened: number }
  | { error: string }
  | { arrived: string; at: number[] };

/** The forked clients, and a way to wait for their next reply of a kind. */
function startClients() {
  const child = fork(path.join(__dirname, 'streamClients.ts'), [], {
    execArgv: [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T extends ClientReply>(
    accept: (m: ClientReply) => m is T,
    timeoutMs: number,
    what: string,
  ) =>
    new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const onMessage = (m: ClientReply) => {
        if ('error' in m) {
          clearTimeout(timer);
          child.off('message', onMessage);
          reject(new Error(m.error));
        } else if (accept(m)) {
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve(m);
        }
      };
      child.on('message', onMessage);
      timer = setTimeout(() => {
        child.off('message', onMessage);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
    });
  return { child, next };
}

async function main() {
  process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'warn';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kratix-streams-'));
  const sandbox = await startSandbox({ stepDelayMs: 0 });
  await sandbox.ready;
  const caData = Buffer.from(sandbox.certificate ?? '').toString('base64');
  const config = path.join(dir, 'bench-config.yaml');
  const examples = (f: string) => path.join(repoRoot, 'examples', f);
  fs.writeFileSync(
    config,
    JSON.stringify({
      backend: { baseUrl: base, listen: { host: '127.0.0.1', port: PORT } },
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
      catalog: {
        locations: [
          { type: 'file', target: examples('entities.yaml') },
          { type: 'file', target: examples('org.yaml') },
          { type: 'file', target: writeBenchUsers(dir, USERS) },
        ],
      },
    }),
  );
  const probe: BenchProbe = {};
  const backend = createBenchBackend(probe, {
    configPaths: [path.join(repoRoot, 'app-config.yaml'), config],
    peer: false,
  });
  await backend.start();
  const clients = startClients();
  try {
    await until(
      'the catalog to serve the bench users',
      async () =>
        (await signInBenchUser(base, benchUserName(USERS - 1)))
          ? true
          : undefined,
      300_000,
    );
    const tokens = await mintBenchUserTokens(base, USERS);
    // The Resource is there and completed before any stream opens.
    await until(
      'the entity read',
      async () => {
        const res = await fetch(resourcesRoute, {
          headers: { Authorization: `Bearer ${tokens[0]}` },
        });
        const body = res.ok ? ((await res.json()) as any) : undefined;
        return body?.items?.[0]?.workflowCompletion?.state === 'completed'
          ? true
          : undefined;
      },
      120_000,
    );
    // Every user's decisions are made (and cached) by a read of their own before the baseline:
    // what the streams add is the streams.
    for (const token of tokens) {
      await fetch(resourcesRoute, {
        headers: { Authorization: `Bearer ${token}` },
      });
    }

    const before = await settledMemory();
    const streams = USERS * PER_USER;
    const openStart = performance.now();
    clients.child.send({
      open: { url: eventsRoute, tokens, perUser: PER_USER },
    });
    await clients.next(
      (m): m is { opened: number } => 'opened' in m,
      180_000,
      `${streams} streams to open`,
    );
    const openMs = performance.now() - openStart;
    const open = await settledMemory();
    const mb = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;
    const memory = {
      heapBeforeMB: mb(before.heapUsed),
      heapOpenMB: mb(open.heapUsed),
      rssBeforeMB: mb(before.rss),
      rssOpenMB: mb(open.rss),
      heapBytesPerStream: Math.round(
        (open.heapUsed - before.heapUsed) / streams,
      ),
      rssBytesPerStream: Math.round((open.rss - before.rss) / streams),
    };
    console.log(
      `streams: ${streams} open in ${Math.round(openMs)} ms; heap ${
        memory.heapBeforeMB
      } → ${memory.heapOpenMB} MB (${
        memory.heapBytesPerStream
      } bytes a stream), RSS ${memory.rssBeforeMB} → ${memory.rssOpenMB} MB`,
    );

    const changes = async () => {
      const samples: number[] = [];
      const slowest: number[] = [];
      for (let i = 0; i < CHANGES; i++) {
        const marker = `bench-marker-${i}`;
        const arrived = clients.next(
          (m): m is { arrived: string; at: number[] } =>
            'arrived' in m && m.arrived === marker,
          30_000,
          `change ${i} to reach ${streams} streams`,
        );
        clients.child.send({ expect: marker });
        const written = clock();
        sandbox.store.patch(
          ELASTIC,
          'default',
          'example',
          'merge',
          { status: { message: `${marker} written` } },
          { subresource: 'status' },
        );
        const { at } = await arrived;
        const latencies = at.map(t => t - written);
        samples.push(...latencies);
        slowest.push(Math.max(...latencies));
        // Further apart than the stream's coalescing window (100 ms): each change is its own frame.
        await sleep(300);
      }
      return { samples, slowest };
    };
    const profileFile = path.join(benchResultsDir, 'streams.cpuprofile');
    let result: Awaited<ReturnType<typeof changes>>;
    if (profiling) {
      fs.mkdirSync(benchResultsDir, { recursive: true });
      result = await withCpuProfile(profileFile, changes);
    } else {
      result = await changes();
    }
    const sorted = [...result.samples].sort((a, b) => a - b);
    const round = (ms: number) => Math.round(ms * 100) / 100;
    const figures = {
      streams,
      users: USERS,
      perUser: PER_USER,
      changes: CHANGES,
      fanOutP50Ms: round(quantile(sorted, 0.5)),
      fanOutP95Ms: round(quantile(sorted, 0.95)),
      fanOutMaxMs: round(sorted[sorted.length - 1]),
      slowestStreamPerChangeMedianMs: round(
        quantile(
          [...result.slowest].sort((a, b) => a - b),
          0.5,
        ),
      ),
      targetP95Ms: 100,
      // The backend's heap held by an open stream (after global.gc(), 500 open vs none).
      bytesPerStream: memory.heapBytesPerStream,
      memory,
      openMs: Math.round(openMs),
    };
    writeBenchResult('streams', figures);
    console.log(
      `streams: one change → all ${streams} streams (${USERS} users × ${PER_USER}), ${CHANGES} changes: p50 ${figures.fanOutP50Ms} ms, p95 ${figures.fanOutP95Ms} ms, max ${figures.fanOutMaxMs} ms (target p95 ≤ 100 ms); ${figures.bytesPerStream} bytes of heap a stream`,
    );
    if (profiling) {
      console.log(
        `\nTop 15 self-time functions during the changes (${path.relative(
          repoRoot,
          profileFile,
        )}):\n${formatSelfTime(topSelfTime(profileFile, 15))}`,
      );
    }
  } finally {
    clients.child.send({ close: true });
    await backend.stop();
    await sandbox.close();
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
