/*
 * `yarn bench` (memory part, run by readPath.ts in a fresh process per size, under
 * `node --expose-gc`): how much the Kratix cluster service's watch-fed caches hold for N Resources.
 * The sandbox runs in this process, so its store is filled first and the heap measured (after
 * global.gc()) before the cluster service starts; the difference once the service's caches hold all
 * N Resources is the cache. Prints one JSON line: { resources, heapDeltaMB, rssDeltaMB, warmMs }.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import { DefaultKratixClusterService } from '@kratix-backstage/plugin-kratix-node';
import { startSandbox } from '@kratix-backstage/sandbox';
import { sandboxClusterDetails } from '@kratix-backstage/sandbox/backend';
import { performance } from 'node:perf_hooks';
import { cachedResourceCount } from './benchBackend';
import { loadBenchResources, PER_PROMISE } from './scaleData';

const silent: LoggerService = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child: () => silent,
};

const settle = async () => {
  const gc = (global as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise(r => setTimeout(r, 100));
  }
  return process.memoryUsage();
};

async function main() {
  const resources = Number(process.argv[2] ?? 10_000);
  const sandbox = await startSandbox({ seed: false, stepDelayMs: 0 });
  await loadBenchResources(sandbox, 0, Math.ceil(resources / PER_PROMISE));
  const before = await settle();
  const clusters = await DefaultKratixClusterService.create({
    clusters: [sandboxClusterDetails(sandbox, { requestTimeoutMs: 30_000 })],
    bounds: { allowedNamespaces: ['default'] },
    logger: silent,
  });
  const start = performance.now();
  clusters.start();
  for (let i = 0; ; i++) {
    const count = await cachedResourceCount(clusters, 'sandbox').catch(() => 0);
    if (count >= resources) break;
    if (i > 1200) throw new Error(`caches hold ${count} of ${resources}`);
    await new Promise(r => setTimeout(r, 100));
  }
  const warmMs = performance.now() - start;
  // Let the watches settle (informer re-list bookkeeping) before measuring.
  await new Promise(r => setTimeout(r, 1000));
  const after = await settle();
  const mb = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;
  console.log(
    JSON.stringify({
      resources,
      heapDeltaMB: mb(after.heapUsed - before.heapUsed),
      rssDeltaMB: mb(after.rss - before.rss),
      heapBeforeMB: mb(before.heapUsed),
      heapAfterMB: mb(after.heapUsed),
      warmMs: Math.round(warmMs),
    }),
  );
  await clusters.stop();
  await sandbox.close();
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
