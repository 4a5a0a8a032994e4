/*
 * One measurement of bench/memory.ts, in a fresh `node --expose-gc` process:
 *   memoryPart.ts <variant> <resources> [--heap-snapshot <file>] [--heap-profile <file>]
 * Starts the sandbox (in this process, as the app and the benches run it), then for every variant
 * but `sandbox` the app's backend on it (bench wiring: benchBackend.ts), waits until it is ready,
 * and measures the process (heap, RSS, external memory after global.gc()). Then it loads
 * `resources` Resources into the sandbox (scaleData.ts: 50 Promises of 200), waits until what the
 * variant runs has taken them in, and measures again. Prints one JSON line with both, the catalog
 * database's own size (SQLite keeps it in this process's memory) and how long ingestion took.
 *
 * Variants, each adding one part to the one before:
 *   sandbox   the sandbox alone: its object store and emulator (the bench's stand-in cluster)
 *   caches    + the backend, the Kratix cluster service's watch-fed caches and the Kratix plugin;
 *             the catalog provider off (catalog.providers.kratix.clusters: []) and search
 *             collators not run (first run in 2 hours)
 *   catalog   + the Kratix catalog provider: a Resource entity per Resource in the catalog
 *   full      + search: the catalog's and the Kratix collators index everything (in-memory Lunr),
 *             as the app runs
 * For finding where: BENCH_SEARCH_ONLY=kratix|catalog (full: that collator alone),
 * BENCH_PROVIDER_SECONDS (the provider's full-run period; default the app's 30), --heap-profile
 * <file> (V8's sampling heap profile of the ingestion, every allocation; with BENCH_HEAP_PEAK_MB,
 * only what is alive when the heap first passes that size), --heap-snapshot <file> (at the end).
 */
import {
  createBackendModule,
  coreServices,
} from '@backstage/backend-plugin-api';
import { startSandbox } from '@kratix-backstage/sandbox';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { Session } from 'node:inspector/promises';
import type { Knex } from 'knex';
import {
  cachedResourceCount,
  createBenchBackend,
  type BenchProbe,
} from './benchBackend';
import { loadBenchResources, PER_PROMISE } from './scaleData';
import { sleep, until } from './until';

export const VARIANTS = ['sandbox', 'caches', 'catalog', 'full'] as const;
export type Variant = (typeof VARIANTS)[number];

const PORT = 7181;
const base = `http://127.0.0.1:${PORT}`;
const repoRoot = path.resolve(__dirname, '../../..');
const mb = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;

async function settledMemory() {
  const gc = (global as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  for (let i = 0; i < 3; i++) {
    gc();
    await sleep(200);
  }
  const m = process.memoryUsage();
  const heap = v8.getHeapStatistics();
  return {
    heapUsedMB: mb(m.heapUsed),
    // What V8 holds from the system for its heap, used or not (it gives pages back slowly).
    heapCommittedMB: mb(heap.total_physical_size),
    // Memory V8's allocator took outside the heap (buffers, zones).
    mallocedMB: mb(heap.malloced_memory),
    rssMB: mb(m.rss),
    externalMB: mb(m.external),
  };
}

/** The highest RSS and heap seen while `fn` runs (sampled every 250 ms). */
async function peakDuring<T>(fn: () => Promise<T>) {
  const peak = { rssMB: 0, heapUsedMB: 0, heapCommittedMB: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    peak.rssMB = Math.max(peak.rssMB, mb(m.rss));
    peak.heapUsedMB = Math.max(peak.heapUsedMB, mb(m.heapUsed));
    peak.heapCommittedMB = Math.max(
      peak.heapCommittedMB,
      mb(v8.getHeapStatistics().total_physical_size),
    );
  };
  const timer = setInterval(sample, 250);
  try {
    const value = await fn();
    sample();
    return { value, peak };
  } finally {
    clearInterval(timer);
  }
}

/**
 * V8's sampling heap profiler over the ingestion, counting every sampled allocation (also those
 * collected since): where the memory the process grew by was allocated.
 */
async function startHeapProfile(liveOnly = false) {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 256 * 1024,
    includeObjectsCollectedByMajorGC: !liveOnly,
    includeObjectsCollectedByMinorGC: !liveOnly,
  });
  let stopped = false;
  return {
    stop: async (file: string) => {
      if (stopped) return;
      stopped = true;
      const { profile } = await session.post('HeapProfiler.stopSampling');
      fs.writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/** The search log lines that say a collator finished, counted per document type. */
function watchCollations() {
  const done = new Map<string, number>();
  const write = process.stdout.write.bind(process.stdout);
  const pattern = /Collating documents for ([\w-]+) succeeded/;
  (process.stdout as any).write = (chunk: any, ...rest: any[]) => {
    const type = pattern.exec(String(chunk))?.[1];
    if (type) done.set(type, (done.get(type) ?? 0) + 1);
    // Only warnings and errors reach the terminal; the bench needs info for these lines.
    return /\b(warn|error)\b/.test(String(chunk))
      ? write(chunk, ...rest)
      : true;
  };
  return (type: string) => done.get(type) ?? 0;
}

/**
 * The search collators' schedules: as the app's development config (every 30 s) when `search`,
 * only `only` (kratix or catalog) when given; otherwise first run in two hours (not during the run).
 */
function collatorSchedules(
  search: boolean,
  only: string | undefined,
  later: { hours: number },
) {
  const schedule = (on: boolean) => ({
    schedule: on
      ? {
          frequency: { seconds: 30 },
          timeout: { minutes: 5 },
          initialDelay: { seconds: 5 },
        }
      : { frequency: later, timeout: { minutes: 5 }, initialDelay: later },
  });
  return {
    kratix: schedule(search && (!only || only === 'kratix')),
    catalog: schedule(search && (!only || only === 'catalog')),
  };
}

/** Hands the bench the catalog's own database client (the catalog plugin's, as it uses it). */
function catalogDatabaseProbe(into: { knex?: Knex }) {
  return createBackendModule({
    pluginId: 'catalog',
    moduleId: 'bench-memory-probe',
    register(reg) {
      reg.registerInit({
        deps: { database: coreServices.database },
        async init({ database }) {
          into.knex = await database.getClient();
        },
      });
    },
  });
}

/** The SQLite database's size in bytes (page count × page size); undefined on other engines. */
async function sqliteBytes(knex?: Knex): Promise<number | undefined> {
  if (!knex || !String(knex.client.config.client).includes('sqlite')) {
    return undefined;
  }
  const count = await knex.raw('PRAGMA page_count');
  const size = await knex.raw('PRAGMA page_size');
  return Number(count[0].page_count) * Number(size[0].page_size);
}

async function main() {
  const [variantArg, resourcesArg] = process.argv.slice(2);
  const variant = variantArg as Variant;
  if (!VARIANTS.includes(variant)) throw new Error(`variant: ${variantArg}`);
  const resources = Number(resourcesArg ?? 10_000);
  const snapshotAt = process.argv.indexOf('--heap-snapshot');
  const snapshotFile =
    snapshotAt >= 0 ? process.argv[snapshotAt + 1] : undefined;
  const profileAt = process.argv.indexOf('--heap-profile');
  const heapProfileFile =
    profileAt >= 0 ? process.argv[profileAt + 1] : undefined;
  process.env.LOG_LEVEL = 'info';
  const collated = watchCollations();
  const only = process.env.BENCH_SEARCH_ONLY;
  /** Whether this variant collates documents of `type`. */
  const collating = (type: string) =>
    variant === 'full' &&
    (!only ||
      type === (only === 'kratix' ? 'kratix-resource' : 'software-catalog'));

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kratix-memory-'));
  const sandbox = await startSandbox({ stepDelayMs: 0 });
  await sandbox.ready;
  const probe: BenchProbe = {};
  const catalogDb: { knex?: Knex } = {};
  let backend: ReturnType<typeof createBenchBackend> | undefined;
  try {
    if (variant !== 'sandbox') {
      const caData = Buffer.from(sandbox.certificate ?? '').toString('base64');
      const later = { hours: 2 };
      const config = path.join(dir, 'bench-config.yaml');
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
          catalog: {
            providers: {
              kratix: {
                ...(variant === 'caches' ? { clusters: [] } : {}),
                schedule: {
                  // The app's development schedule; BENCH_PROVIDER_SECONDS to try another.
                  frequency: {
                    seconds: Number(process.env.BENCH_PROVIDER_SECONDS ?? 30),
                  },
                  timeout: { minutes: 3 },
                  initialDelay: { seconds: 1 },
                },
              },
            },
          },
          search: {
            // Collated as the app does in the full variant only (BENCH_SEARCH_ONLY=kratix|catalog:
            // that collator alone, to tell whose part of search is whose).
            collators: collatorSchedules(variant === 'full', only, later),
          },
        }),
      );
      backend = createBenchBackend(probe, {
        configPaths: [path.join(repoRoot, 'app-config.yaml'), config],
        peer: false,
      });
      backend.add(catalogDatabaseProbe(catalogDb));
      await backend.start();
      await until(
        'the backend to be ready',
        async () =>
          (
            await fetch(`${base}/.backstage/health/v1/readiness`)
          ).ok
            ? true
            : undefined,
        180_000,
        500,
      );
      // The seeded Resources are in the caches, and (where it runs) the first collation is done.
      await until(
        'the seeded Resources in the caches',
        async () =>
          (await cachedResourceCount(probe.clusters!, 'sandbox')) > 0
            ? true
            : undefined,
        120_000,
        500,
      );
      if (variant === 'full') {
        await until(
          'the first collations',
          async () =>
            (!collating('kratix-resource') ||
              collated('kratix-resource') > 0) &&
            (!collating('software-catalog') || collated('software-catalog') > 0)
              ? true
              : undefined,
          300_000,
          500,
        );
      }
      await sleep(3000);
    }

    const resourceEntities = async () => {
      const { totalItems } = await probe.catalog!.queryEntities(
        { filter: { kind: 'resource' }, limit: 1 },
        { credentials: await probe.auth!.getOwnServiceCredentials() },
      );
      return totalItems;
    };
    const seededEntities =
      variant === 'catalog' || variant === 'full'
        ? await until('the catalog', resourceEntities, 120_000, 500)
        : 0;
    const seededCached =
      variant === 'sandbox'
        ? 0
        : await cachedResourceCount(probe.clusters!, 'sandbox');
    const before = await settledMemory();
    const catalogDbBefore = await sqliteBytes(catalogDb.knex);

    const started = performance.now();
    // With BENCH_HEAP_PEAK_MB: the objects alive when the heap first passes that size.
    const peakMb = Number(process.env.BENCH_HEAP_PEAK_MB ?? 0);
    const profile = heapProfileFile
      ? await startHeapProfile(peakMb > 0)
      : undefined;
    const watchPeak =
      profile && peakMb > 0
        ? setInterval(() => {
            if (process.memoryUsage().heapUsed / 1048576 > peakMb) {
              clearInterval(watchPeak);
              void profile.stop(heapProfileFile!);
            }
          }, 100)
        : undefined;
    const { peak } = await peakDuring(async () => {
      // Not waiting for the emulator to go idle: it never does on the seeded sandbox.
      await loadBenchResources(
        sandbox,
        0,
        Math.ceil(resources / PER_PROMISE),
        false,
      );
      if (variant !== 'sandbox') {
        await until(
          `the cluster service to cache ${resources} Resources`,
          async () =>
            (await cachedResourceCount(probe.clusters!, 'sandbox')) >=
            seededCached + resources
              ? true
              : undefined,
          600_000,
          500,
        );
      }
      if (variant === 'catalog' || variant === 'full') {
        await until(
          `the catalog to serve ${resources} Resource entities`,
          async () =>
            (await resourceEntities()) >= seededEntities + resources
              ? true
              : undefined,
          900_000,
          500,
        );
      }
      if (variant === 'full') {
        // Collations that started after every Resource entity was in the catalog.
        const kratix = collated('kratix-resource');
        const catalog = collated('software-catalog');
        await until(
          'collations of every Resource',
          async () =>
            (!collating('kratix-resource') ||
              collated('kratix-resource') >= kratix + 2) &&
            (!collating('software-catalog') ||
              collated('software-catalog') >= catalog + 2)
              ? true
              : undefined,
          900_000,
          500,
        );
      }
    });
    const ingestMs = Math.round(performance.now() - started);
    clearInterval(watchPeak);
    if (profile && heapProfileFile) await profile.stop(heapProfileFile);
    // Let the watches, the emulator and the catalog's stitching settle before measuring.
    await sleep(5000);
    const after = await settledMemory();
    const catalogDbAfter = await sqliteBytes(catalogDb.knex);
    if (snapshotFile) v8.writeHeapSnapshot(snapshotFile);
    process.stderr.write(''); // nothing buffered
    const line = JSON.stringify({
      variant,
      resources,
      before,
      after,
      peak,
      catalogDbMB:
        catalogDbBefore !== undefined && catalogDbAfter !== undefined
          ? { before: mb(catalogDbBefore), after: mb(catalogDbAfter) }
          : undefined,
      ingestMs,
    });
    // Past the stdout filter: the parent reads this line.
    fs.writeSync(1, `${line}\n`);
  } finally {
    await backend?.stop();
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
