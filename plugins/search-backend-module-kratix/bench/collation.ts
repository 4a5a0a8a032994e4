/*
 * `yarn bench` (search part): 10,000 Resources on a sandbox, read through a real cluster service;
 * times full collations (documents/s, median of several rounds) and samples the heap while the
 * documents stream out. Target: at least 5,000 documents/s. Then what the documents cost in the
 * in-memory Lunr engine the development app searches with: one collation indexed by Backstage's
 * LunrSearchEngine, its heap after GC (the index and its document store), the fields Lunr indexes
 * (every key of a document) and the documents' size. Writes the figures to
 * .cache/bench/search-collation.json (scripts/bench/results.js).
 */
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { startSandbox } from '@kratix-backstage/sandbox';
import { LunrSearchEngine } from '@backstage/plugin-search-backend-node';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import {
  clusterServiceFor,
  ListeningLogger,
} from '../src/__testUtils__/clusters';
import {
  entityOfResource,
  fillSandbox,
  SCALE,
} from '../src/__testUtils__/scale';
import { KratixResourceCollatorFactory } from '../src';
// Not a package: the one results writer every workspace's benchmark shares (repo tooling).
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { writeBenchResult } from '../../../scripts/bench/results';

const ROUNDS = 5;
const TARGET_DOCS_PER_SECOND = 5000;
const MB = 1024 * 1024;

async function main() {
  const sandbox = await startSandbox({ seed: false, stepDelayMs: 0 });
  await fillSandbox(sandbox);
  const clusters = await clusterServiceFor(
    { bench: sandbox },
    new ListeningLogger(),
  );
  const total = SCALE.promises * SCALE.perPromise;
  const names = new Set(
    Array.from({ length: total }, (_, i) => entityOfResource(i)),
  );
  const factory = new KratixResourceCollatorFactory({
    clusters,
    catalog: catalogServiceMock({
      entities: [...names].map(name => ({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name, namespace: 'default' },
        spec: { owner: `team-${name}` },
      })),
    }),
    auth: mockServices.auth(),
    logger: new ListeningLogger(),
  });
  try {
    const rates: number[] = [];
    let peakHeap = 0;
    let peakRss = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const start = performance.now();
      let count = 0;
      for await (const _doc of await factory.getCollator()) {
        count += 1;
        if (count % 250 === 0) {
          const { heapUsed, rss } = process.memoryUsage();
          peakHeap = Math.max(peakHeap, heapUsed);
          peakRss = Math.max(peakRss, rss);
        }
      }
      const seconds = (performance.now() - start) / 1000;
      if (count !== total)
        throw new Error(`collated ${count}, expected ${total}`);
      rates.push(count / seconds);
    }
    const median = [...rates].sort((a, b) => a - b)[rates.length >> 1];
    const lunr = await lunrCost(factory);
    console.log(
      `search collation: ${total} Resources (${SCALE.promises} Promises), ${ROUNDS} rounds`,
    );
    console.log(
      `  throughput: ${median.toFixed(
        0,
      )} documents/s (median; target ${TARGET_DOCS_PER_SECOND})`,
    );
    console.log(
      `  peak heap while collating: ${(peakHeap / MB).toFixed(
        0,
      )} MB, peak RSS ${(peakRss / MB).toFixed(0)} MB (watch caches included)`,
    );
    console.log(
      `  in Lunr: ${lunr.indexHeapMB.toFixed(0)} MB of heap after GC, ${
        lunr.fields
      } fields; documents ${lunr.documentBytes.toFixed(
        0,
      )} bytes on average (text ${lunr.textBytes.toFixed(0)})`,
    );
    writeBenchResult('search-collation', {
      promises: SCALE.promises,
      resources: total,
      rounds: ROUNDS,
      documentsPerSecond: median,
      targetDocumentsPerSecond: TARGET_DOCS_PER_SECOND,
      peakHeapMB: peakHeap / MB,
      peakRssMB: peakRss / MB,
      lunr,
    });
    if (median < TARGET_DOCS_PER_SECOND) {
      throw new Error(
        `below target: ${median.toFixed(
          0,
        )} < ${TARGET_DOCS_PER_SECOND} documents/s`,
      );
    }
  } finally {
    await clusters.stop();
    await sandbox.close();
  }
}

const gc = () => (global as { gc?: () => void }).gc?.();

/** One collation indexed by Backstage's Lunr engine: what the index holds once garbage is gone. */
async function lunrCost(factory: KratixResourceCollatorFactory) {
  let count = 0;
  let documentBytes = 0;
  let textBytes = 0;
  let fields = 0;
  const sizes = async function* measured(
    docs: AsyncIterable<Record<string, any>>,
  ) {
    for await (const doc of docs) {
      if (count++ === 0) fields = Object.keys(doc).length;
      documentBytes += JSON.stringify(doc).length;
      textBytes += doc.text.length;
      yield doc;
    }
  };
  gc();
  const before = process.memoryUsage().heapUsed;
  const engine = new LunrSearchEngine({ logger: new ListeningLogger() });
  const indexer = await engine.getIndexer(factory.type);
  await pipeline(await factory.getCollator(), sizes, indexer);
  // The engine takes the index when the indexer closes.
  if (!indexer.closed) await once(indexer, 'close');
  gc();
  const indexHeapMB = (process.memoryUsage().heapUsed - before) / MB;
  // Still searchable here, so the index was not collected before the measure.
  const { results } = await engine.query({ term: 'bench0', pageLimit: 1 });
  if (results.length !== 1) throw new Error('the Lunr index answered nothing');
  return {
    indexHeapMB,
    fields,
    documentBytes: documentBytes / count,
    textBytes: textBytes / count,
  };
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
