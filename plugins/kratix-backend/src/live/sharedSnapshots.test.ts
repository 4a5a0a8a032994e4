/*
 * One read per caller and entity for all of that caller's open streams (issue 28): shared only
 * while in flight and within one generation of cluster changes; never across callers or entity
 * versions. And the refresh phase that makes a caller's streams tick together.
 */
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { mockCredentials } from '@backstage/backend-test-utils';
import type { EntityResourcesResponse } from '@kratix-backstage/plugin-kratix-common';
import type { ResourceChange } from '@kratix-backstage/plugin-kratix-node';
import { phaseDelay } from './entityStream';
import { SharedSnapshots } from './sharedSnapshots';

const entity = (etag = 'e1'): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'search-service', namespace: 'default', uid: 'u1', etag },
  spec: {},
});

/** A reader whose reads wait until the test lets them finish; it counts them. */
function heldReader() {
  const reads: Array<{
    credentials: BackstageCredentials;
    finish: (body: Partial<EntityResourcesResponse>) => void;
  }> = [];
  return {
    reads,
    list: (_entity: Entity, credentials: BackstageCredentials) =>
      new Promise<EntityResourcesResponse>(resolve =>
        reads.push({
          credentials,
          finish: body =>
            resolve({
              items: [],
              refErrors: [],
              annotationErrors: [],
              clusters: [],
              errors: [],
              observedAt: new Date().toISOString(),
              ...body,
            }),
        }),
      ),
  };
}

function changes() {
  const listeners = new Set<(change: ResourceChange) => void>();
  return {
    onResourceChange: (listener: (change: ResourceChange) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit: () => listeners.forEach(l => l({} as ResourceChange)),
  };
}

describe('SharedSnapshots', () => {
  const jane = mockCredentials.user('user:default/jane');
  const janeAgain = mockCredentials.user('user:default/jane');
  const joe = mockCredentials.user('user:default/joe');

  it('gives a caller’s streams on an entity one read and one serialized frame', async () => {
    const reader = heldReader();
    const shared = new SharedSnapshots(reader, changes());
    const first = shared.read(entity(), jane);
    const second = shared.read(entity(), janeAgain);
    expect(reader.reads).toHaveLength(1);
    reader.reads[0].finish({ annotationErrors: ['x'] as any });
    const [a, b] = await Promise.all([first, second]);
    expect(b).toBe(a);
    expect(a.frame).toBe(
      `event: resources\ndata: ${JSON.stringify(a.data)}\n\n`,
    );
    expect(a.bytes).toBe(Buffer.byteLength(a.frame));
    expect(a.signature).not.toContain('observedAt');
    expect(shared.pending).toBe(0);
  });

  it('never shares between callers or entity versions', () => {
    const reader = heldReader();
    const shared = new SharedSnapshots(reader, changes());
    shared.read(entity(), jane);
    shared.read(entity(), joe);
    shared.read(entity('e2'), jane);
    expect(
      reader.reads.map(r => (r.credentials.principal as any).userEntityRef),
    ).toEqual(['user:default/jane', 'user:default/joe', 'user:default/jane']);
  });

  it('does not hand a read that started before a change to a stream asking after it', () => {
    const reader = heldReader();
    const cluster = changes();
    const shared = new SharedSnapshots(reader, cluster);
    shared.read(entity(), jane);
    cluster.emit();
    shared.read(entity(), jane);
    expect(reader.reads).toHaveLength(2);
  });

  it('reads afresh once a read has finished (the refresh must see policy and ledger changes)', async () => {
    const reader = heldReader();
    const shared = new SharedSnapshots(reader, changes());
    const first = shared.read(entity(), jane);
    reader.reads[0].finish({});
    await first;
    shared.read(entity(), jane);
    expect(reader.reads).toHaveLength(2);
  });

  it('shares no failed read after it failed, and passes the failure to every stream sharing it', async () => {
    const failing = {
      calls: 0,
      list(): Promise<EntityResourcesResponse> {
        this.calls += 1;
        return Promise.reject(new Error('forbidden'));
      },
    };
    const shared = new SharedSnapshots(failing, changes());
    const reads = [shared.read(entity(), jane), shared.read(entity(), jane)];
    await expect(reads[0]).rejects.toThrow('forbidden');
    await expect(reads[1]).rejects.toThrow('forbidden');
    expect(failing.calls).toBe(1);
    await expect(shared.read(entity(), jane)).rejects.toThrow('forbidden');
    expect(failing.calls).toBe(2);
  });
});

describe('phaseDelay', () => {
  it('puts every stream of a caller on an entity at the same moment of the cycle', () => {
    const period = 10_000;
    const key = 'user:default/jane\ncomponent:default/search-service';
    const at = (now: number) => now + phaseDelay(key, period, now);
    // Streams opened at different times tick together.
    expect(at(1_000_003) % period).toBe(at(1_007_777) % period);
    expect(at(1_000_003)).toBeGreaterThan(1_000_003);
    expect(at(1_000_003) - 1_000_003).toBeLessThanOrEqual(period);
    // Another caller ticks at another moment (for these keys).
    const other = 'user:default/joe\ncomponent:default/search-service';
    expect(
      (1_000_003 + phaseDelay(other, period, 1_000_003)) % period,
    ).not.toBe(at(1_000_003) % period);
  });
});
