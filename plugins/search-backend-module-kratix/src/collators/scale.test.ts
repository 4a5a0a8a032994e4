/*
 * 10,000 Resources (50 Promises x 200, loaded straight into the sandbox's store as the sandbox bench
 * does) collate completely, as a stream: the collator works one batch ahead of its reader, never the
 * whole cluster, and the heap stays bounded while the index drains it.
 */
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { KratixResourceSearchDocument } from '@kratix-backstage/plugin-kratix-common';
import type { DefaultKratixClusterService } from '@kratix-backstage/plugin-kratix-node';
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import { clusterServiceFor, ListeningLogger } from '../__testUtils__/clusters';
import {
  entityOfResource,
  entityUid,
  fillSandbox,
  SCALE,
} from '../__testUtils__/scale';
import { KratixResourceCollatorFactory } from './KratixResourceCollatorFactory';

jest.setTimeout(120_000);

describe('collating 10,000 Resources', () => {
  let sandbox: Sandbox;
  let clusters: DefaultKratixClusterService;
  const lookups: number[] = [];
  const logger = new ListeningLogger();

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: false, stepDelayMs: 0 });
    await fillSandbox(sandbox);
    // A list of 10,000 Resources took over 5 s with the other core busy: the cluster read failed
    // and the collator (rightly) indexed nothing. The bound here is the test's, not the product's.
    clusters = await clusterServiceFor({ platform: sandbox }, logger, 60_000);
  });
  afterAll(async () => {
    await clusters.stop();
    await sandbox.close();
  });

  it('streams every document while holding one batch at a time', async () => {
    const total = SCALE.promises * SCALE.perPromise;
    const names = new Set(
      Array.from({ length: total }, (_, i) => entityOfResource(i)),
    );
    const entities: Entity[] = [...names].map(name => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name, namespace: 'default', uid: entityUid(name) },
      spec: { owner: `team-${name}` },
    }));
    const real = catalogServiceMock({ entities });
    // The real in-memory catalog, counting how many Resources each lookup was for.
    const catalog: CatalogService = Object.assign(Object.create(real), {
      getEntitiesByRefs: (
        ...args: Parameters<CatalogService['getEntitiesByRefs']>
      ) => {
        lookups.push(args[0].entityRefs.length);
        return real.getEntitiesByRefs(...args);
      },
    });
    const factory = new KratixResourceCollatorFactory({
      clusters,
      catalog,
      auth: mockServices.auth(),
      logger,
    });

    const stream = await factory.getCollator();
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    // A cluster read that failed says why here rather than as an empty stream.
    expect(
      logger.lines.filter(
        l => l.level === 'warn' && l.message.startsWith('Kratix search:'),
      ),
    ).toEqual([]);
    expect(first.done).toBe(false);
    // One batch looked up so far, not the cluster.
    expect(lookups).toHaveLength(1);

    const heapStart = process.memoryUsage().heapUsed;
    let peak = heapStart;
    let count = 1;
    const owners = new Set<string>();
    for (
      let next = await iterator.next();
      !next.done;
      next = await iterator.next()
    ) {
      const doc = next.value as KratixResourceSearchDocument;
      count += 1;
      owners.add(doc.owner);
      if (count % 500 === 0) {
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      }
    }
    expect(count).toBe(total);
    expect(owners.size).toBe(names.size);
    // One catalog lookup per batch of 500 Resources, each entity fetched once in the run.
    expect(lookups).toHaveLength(total / 500);
    expect(lookups.reduce((a, b) => a + b, 0)).toBe(names.size);
    // Documents are ~1 KB; holding all 10,000 at once (plus copies) would add far more than this.
    expect(peak - heapStart).toBeLessThan(64 * 1024 * 1024);
  });
});
