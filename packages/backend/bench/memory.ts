/*
 * `yarn workspace backend bench:memory`: where the backend's memory goes at 10,000 Resources. Each
 * variant of memoryPart.ts runs in a fresh `node --expose-gc` process and adds one part to the one
 * before (the sandbox alone; + the backend with the cluster service's caches and the Kratix plugin;
 * + the Kratix catalog provider and the catalog; + search), measuring the process before and after
 * the Resources are loaded. A part's figures are its variant's growth minus the variant before's:
 *   - heap: what stays on the JS heap once garbage is collected;
 *   - RSS: what the process holds from the system, including the heap's high-water mark (V8 keeps
 *     the pages it grew to while ingesting; Linux counts freed pages until it reclaims them);
 *   - peak heap: the most the heap held (garbage included) while the Resources were ingested;
 *   - the catalog's SQLite database, which the development app keeps in the process's memory
 *     (on PostgreSQL it is the database server's).
 * Writes .cache/bench/memory.json (scripts/bench/results.js) and prints a table.
 *
 *   --resources N   (default 10000)
 *   --only a,b      run only these variants (for working on one part; no file written); with
 *                   catalog and full, prints the search part (with BENCH_SEARCH_ONLY, one
 *                   collator's: memoryPart.ts)
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
// Not a package: the one results writer every workspace's benchmark shares (repo tooling).
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { writeBenchResult } from '../../../scripts/bench/results';

const VARIANTS = ['sandbox', 'caches', 'catalog', 'full'] as const;
type Variant = (typeof VARIANTS)[number];

interface Memory {
  heapUsedMB: number;
  heapCommittedMB?: number;
  rssMB: number;
}
interface PartResult {
  variant: Variant;
  resources: number;
  before: Memory;
  after: Memory;
  peak: { rssMB: number; heapUsedMB: number };
  catalogDbMB?: { before: number; after: number };
  ingestMs: number;
}

const argv = process.argv.slice(2);
const option = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const resources = Number(option('--resources') ?? 10_000);
const only = option('--only')?.split(',') as Variant[] | undefined;
const round = (n: number) => Math.round(n * 10) / 10;

function runPart(variant: Variant): PartResult {
  const child = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      path.join(__dirname, 'memoryPart.ts'),
      variant,
      String(resources),
    ],
    { encoding: 'utf8', timeout: 30 * 60_000, maxBuffer: 64 * 1024 * 1024 },
  );
  if (child.status !== 0) {
    throw new Error(`memoryPart ${variant}: ${child.stderr.slice(-2000)}`);
  }
  const line = child.stdout
    .trim()
    .split('\n')
    .reverse()
    .find(l => l.startsWith('{"variant"'));
  if (!line) throw new Error(`memoryPart ${variant}: no result line`);
  const result = JSON.parse(line) as PartResult;
  console.log(
    `  ${variant}: heap ${result.before.heapUsedMB} → ${result.after.heapUsedMB} MB (peak ${result.peak.heapUsedMB}), RSS ${result.before.rssMB} → ${result.after.rssMB} MB, ingested in ${result.ingestMs} ms`,
  );
  return result;
}

const growth = (r: PartResult) => ({
  heapMB: r.after.heapUsedMB - r.before.heapUsedMB,
  rssMB: r.after.rssMB - r.before.rssMB,
  peakHeapMB: r.peak.heapUsedMB - r.before.heapUsedMB,
});

function main() {
  const variants = only ?? [...VARIANTS];
  console.log(
    `memory: ${resources} Resources, ${variants.length} fresh processes`,
  );
  const results = new Map(variants.map(v => [v, runPart(v)]));
  const g = (v: Variant) => growth(results.get(v)!);
  if (only) {
    // Working on search (BENCH_SEARCH_ONLY=kratix|catalog, --only catalog,full): its part alone.
    if (results.has('catalog') && results.has('full')) {
      const [full, catalog] = [g('full'), g('catalog')];
      console.log(
        `  search part (full − catalog${
          process.env.BENCH_SEARCH_ONLY
            ? `, ${process.env.BENCH_SEARCH_ONLY} collator only`
            : ''
        }): heap +${round(full.heapMB - catalog.heapMB)} MB, RSS +${round(
          full.rssMB - catalog.rssMB,
        )} MB, peak heap ${round(full.peakHeapMB)} MB above start`,
      );
    }
    return;
  }
  /*
   * A part: what its variant grew by minus what the variant before grew by. The heap (after GC)
   * adds up; RSS does only between variants of the same process (a backend), so the caches' RSS is
   * their variant's own growth (its backend had reserved room the sandbox alone had to ask for).
   */
  const part = (v: Variant, previous?: Variant, rssOwn = false) => {
    const mine = g(v);
    const base = previous ? g(previous) : undefined;
    return {
      heapMB: round(mine.heapMB - (base?.heapMB ?? 0)),
      rssMB: round(mine.rssMB - (rssOwn ? 0 : base?.rssMB ?? 0)),
      // The most the heap held above its start while this variant ingested (garbage included).
      variantPeakHeapMB: round(mine.peakHeapMB),
    };
  };
  const full = results.get('full')!;
  const catalogDb = results.get('catalog')!.catalogDbMB;
  const figures = {
    resources,
    // The app's whole backend (with its in-process sandbox), as `yarn bench` runs it.
    rssGrowthMb: round(full.after.rssMB - full.before.rssMB),
    heapGrowthMb: round(full.after.heapUsedMB - full.before.heapUsedMB),
    peakHeapMb: full.peak.heapUsedMB,
    byPart: {
      // The bench's stand-in cluster; a real backend reads a real cluster.
      sandboxStore: part('sandbox'),
      clusterCachesAndKratixPlugin: part('caches', 'sandbox', true),
      catalogWithKratixProvider: {
        ...part('catalog', 'caches'),
        sqliteDbMB: catalogDb
          ? round(catalogDb.after - catalogDb.before)
          : undefined,
      },
      searchLunr: part('full', 'catalog'),
    },
    ingestMs: Object.fromEntries([...results].map(([v, r]) => [v, r.ingestMs])),
    variants: Object.fromEntries(results),
  };
  writeBenchResult('memory', figures);
  console.log(JSON.stringify(figures.byPart, null, 2));
  console.log(
    `memory: RSS +${figures.rssGrowthMb} MB, heap +${figures.heapGrowthMb} MB at ${resources} Resources (peak heap ${figures.peakHeapMb} MB)`,
  );
}

main();
