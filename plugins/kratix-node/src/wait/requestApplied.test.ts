/*
 * watchRequestApplied against the sandbox platform over HTTPS through the real cluster service
 * (watch-fed caches). The platform applying a request delivered through Git is played by writing
 * the Resource, carrying the request id, into the sandbox's store (what its Git sync does). A
 * deleted change and a Work change that carry the id cannot be produced without the watch seeing
 * the id first, so those two are handed to the watch's listener alongside the real changes.
 */
import { mockServices } from '@backstage/backend-test-utils';
import {
  KRATIX_REQUEST_ID_ANNOTATION,
  type KratixResourceObject,
} from '@kratix-backstage/plugin-kratix-common';
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import { sandboxClusterDetails } from '@kratix-backstage/sandbox/backend';
import {
  DefaultKratixClusterService,
  type ResolvedResource,
  type ResourceChange,
} from '../KratixClusterService';
import {
  watchRequestApplied,
  type KratixRequestAppliedHandlers,
  type KratixRequestTarget,
} from './requestApplied';

jest.setTimeout(60_000);

const REDIS = { group: 'marketplace.kratix.io', plural: 'redis' };
const target = (name: string, promise = 'redis'): KratixRequestTarget => ({
  cluster: 'sandbox',
  promise,
  namespace: 'default',
  name,
});

/** Handlers that record every call, and a promise of the first `applied`. */
function recorder() {
  const calls = {
    applied: [] as ResolvedResource[],
    changed: [] as ResourceChange[],
    failed: [] as unknown[],
  };
  let onApplied: (resource: ResolvedResource) => void = () => {};
  const applied = new Promise<ResolvedResource>(resolve => {
    onApplied = resolve;
  });
  let onFailed: (error: unknown) => void = () => {};
  const failed = new Promise<unknown>(resolve => {
    onFailed = resolve;
  });
  const handlers: Required<KratixRequestAppliedHandlers> = {
    applied: resource => {
      calls.applied.push(resource);
      onApplied(resource);
    },
    changed: change => {
      calls.changed.push(change);
    },
    failed: error => {
      calls.failed.push(error);
      onFailed(error);
    },
  };
  return { calls, handlers, applied, failed };
}

describe('watchRequestApplied', () => {
  let sandbox: Sandbox;
  let clusters: DefaultKratixClusterService;

  beforeAll(async () => {
    sandbox = await startSandbox({ stepDelayMs: 20 });
    await sandbox.ready;
    clusters = await DefaultKratixClusterService.create({
      clusters: [sandboxClusterDetails(sandbox, { requestTimeoutMs: 5000 })],
      bounds: { allowedNamespaces: ['default'] },
      logger: mockServices.logger.mock(),
      initialBackoffMs: 100,
    });
    clusters.start();
  });
  afterAll(async () => {
    await clusters?.stop();
    await sandbox?.close();
  });

  /** The first change of the named Resource the cluster watches see that `matches` (subscribe first). */
  const seen = (
    name: string,
    matches: (change: ResourceChange) => boolean = () => true,
  ) =>
    new Promise<ResourceChange>(resolve => {
      const unsubscribe = clusters.onResourceChange(change => {
        if (
          !change.work &&
          change.object.metadata.name === name &&
          matches(change)
        ) {
          unsubscribe();
          resolve(change);
        }
      });
    });

  const carrying = (requestId: string) => (change: ResourceChange) =>
    change.object.metadata.annotations?.[KRATIX_REQUEST_ID_ANNOTATION] ===
    requestId;

  /** What the platform does with a delivered request: the Resource appears, with its request id. */
  const apply = (name: string, requestId: string) =>
    sandbox.store.create(REDIS, {
      apiVersion: 'marketplace.kratix.io/v1alpha1',
      kind: 'redis',
      metadata: {
        name,
        namespace: 'default',
        annotations: { [KRATIX_REQUEST_ID_ANNOTATION]: requestId },
      },
      spec: {},
    });

  /** A later request applied to the same Resource: its id replaces the annotation. */
  const reapply = (name: string, requestId: string) =>
    sandbox.store.patch(REDIS, 'default', name, 'merge', {
      metadata: { annotations: { [KRATIX_REQUEST_ID_ANNOTATION]: requestId } },
    });

  const relabel = (name: string, value: string) =>
    sandbox.store.patch(REDIS, 'default', name, 'merge', {
      metadata: { labels: { 'test.kratix.io/touched': value } },
    });

  /** Applied and in the cache before anyone watches for it. */
  const appliedBefore = async (name: string, requestId: string) => {
    const inCache = seen(name, carrying(requestId));
    apply(name, requestId);
    await inCache;
  };

  /** The real cluster service, with the cache read observable (settled, whatever it answered). */
  const observed = () => {
    let read: Promise<unknown> = Promise.resolve();
    return {
      clusters: {
        resolveResource: (ref: KratixRequestTarget) => {
          const result = clusters.resolveResource(ref);
          read = result.catch(() => undefined);
          return result;
        },
        onResourceChange: (listener: (change: ResourceChange) => void) =>
          clusters.onResourceChange(listener),
      },
      /** The cache read has settled and its handlers have run. */
      cacheRead: async () => {
        await read;
        await Promise.resolve();
      },
    };
  };

  it('finds a request already applied in the cache at once, without a change', async () => {
    await appliedBefore('applied-cache', 'req-cache');
    const { calls, handlers, applied } = recorder();
    // A watch that hears no changes at all: only the cache can answer.
    watchRequestApplied(
      {
        resolveResource: ref => clusters.resolveResource(ref),
        onResourceChange: () => () => {},
      },
      target('applied-cache'),
      'req-cache',
      handlers,
    );
    const resource = await applied;
    expect(resource.kind.promise).toBe('redis');
    expect(resource.object.metadata).toMatchObject({
      name: 'applied-cache',
      annotations: { [KRATIX_REQUEST_ID_ANNOTATION]: 'req-cache' },
    });
    expect(calls.changed).toEqual([]);
    expect(calls.failed).toEqual([]);
  });

  it('is applied later through the change that brings the Resource carrying the id, once', async () => {
    const { calls, handlers, applied } = recorder();
    const watch = observed();
    const stop = watchRequestApplied(
      watch.clusters,
      target('applied-later'),
      'req-later',
      handlers,
    );
    await watch.cacheRead();
    // Not there yet is what the watch waits for: neither applied nor failed.
    expect(calls.applied).toEqual([]);
    expect(calls.failed).toEqual([]);

    apply('applied-later', 'req-later');
    const resource = await applied;
    expect(resource.object.metadata).toMatchObject({
      name: 'applied-later',
      annotations: { [KRATIX_REQUEST_ID_ANNOTATION]: 'req-later' },
    });

    // The watch ended with `applied`: a later change of the Resource is not heard.
    const touched = seen(
      'applied-later',
      c => c.object.metadata.labels?.['test.kratix.io/touched'] === 'yes',
    );
    relabel('applied-later', 'yes');
    await touched;
    expect(calls.applied).toHaveLength(1);
    expect(calls.changed).toEqual([]);
    stop();
  });

  it("does not take a change carrying another request's id as applied, but reports it", async () => {
    await appliedBefore('other-request', 'req-earlier');
    const { calls, handlers, applied } = recorder();
    const watch = observed();
    const stop = watchRequestApplied(
      watch.clusters,
      target('other-request'),
      'req-wanted',
      handlers,
    );
    await watch.cacheRead();
    // The cache holds the Resource, carrying the earlier request: not this one.
    expect(calls.applied).toEqual([]);

    const touched = seen(
      'other-request',
      c => c.object.metadata.labels?.['test.kratix.io/touched'] === 'once',
    );
    relabel('other-request', 'once');
    await touched;
    expect(calls.applied).toEqual([]);
    expect(calls.changed).toContainEqual(
      expect.objectContaining({
        type: 'modified',
        object: expect.objectContaining({
          metadata: expect.objectContaining({
            labels: expect.objectContaining({
              'test.kratix.io/touched': 'once',
            }),
            annotations: expect.objectContaining({
              [KRATIX_REQUEST_ID_ANNOTATION]: 'req-earlier',
            }),
          }),
        }),
      }),
    );
    // Only changes of the target Resource are reported.
    expect(
      calls.changed.every(
        c =>
          c.object.metadata.name === 'other-request' &&
          c.kind.promise === 'redis',
      ),
    ).toBe(true);

    reapply('other-request', 'req-wanted');
    const resource = await applied;
    expect(
      resource.object.metadata.annotations?.[KRATIX_REQUEST_ID_ANNOTATION],
    ).toBe('req-wanted');
    stop();
  });

  it('does not take a deleted change, or a change of its Works, carrying the id as applied', async () => {
    await appliedBefore('deleted-request', 'req-other');
    const { object, kind } = await clusters.resolveResource(
      target('deleted-request'),
    );
    const carryingWanted: KratixResourceObject = {
      ...object,
      metadata: {
        ...object.metadata,
        annotations: { [KRATIX_REQUEST_ID_ANNOTATION]: 'req-deleted' },
      },
    };
    // The real cache read; the changes are handed to the watch's listener (and only those, so the
    // Resource's workflow updating its status does not mix in).
    const listeners: Array<(change: ResourceChange) => void> = [];
    const { calls, handlers, applied } = recorder();
    const watch = observed();
    const stop = watchRequestApplied(
      {
        resolveResource: watch.clusters.resolveResource,
        onResourceChange: listener => {
          listeners.push(listener);
          return () => {};
        },
      },
      target('deleted-request'),
      'req-deleted',
      handlers,
    );
    await watch.cacheRead();
    expect(calls.applied).toEqual([]);
    expect(listeners).toHaveLength(1);
    const hand = (change: Omit<ResourceChange, 'cluster' | 'kind'>) =>
      listeners[0]({ cluster: 'sandbox', kind, ...change });

    const deleted = { type: 'deleted' as const, object: carryingWanted };
    hand(deleted);
    expect(calls.applied).toEqual([]);
    expect(calls.changed).toEqual([expect.objectContaining(deleted)]);

    // A Work changing says where the Resource landed: neither applied nor a change of the Resource.
    hand({
      type: 'modified',
      object: carryingWanted,
      work: { kind: 'Work', name: 'deleted-request-abc', conditions: [] },
    });
    expect(calls.applied).toEqual([]);
    expect(calls.changed).toHaveLength(1);

    // The same object as a change of the Resource itself is the request applied.
    hand({ type: 'modified', object: carryingWanted });
    expect((await applied).object).toBe(carryingWanted);
    stop();
  });

  it('calls nothing once unsubscribed: neither the cache read nor a later change', async () => {
    await appliedBefore('unsubscribed-cache', 'req-gone');
    const early = recorder();
    const earlyWatch = observed();
    // Ended before the cache (which holds it applied) answers.
    watchRequestApplied(
      earlyWatch.clusters,
      target('unsubscribed-cache'),
      'req-gone',
      early.handlers,
    )();
    await earlyWatch.cacheRead();
    expect(early.calls.applied).toEqual([]);

    const late = recorder();
    const lateWatch = observed();
    const stop = watchRequestApplied(
      lateWatch.clusters,
      target('unsubscribed-later'),
      'req-late',
      late.handlers,
    );
    await lateWatch.cacheRead();
    stop();
    stop();
    // Every listener hears a change in turn: once this one (subscribed later) has, the watch would have.
    const heard = seen('unsubscribed-later', carrying('req-late'));
    apply('unsubscribed-later', 'req-late');
    await heard;
    expect(late.calls).toEqual({ applied: [], changed: [], failed: [] });
  });

  it('reports an error reading the cache other than absence; without `failed` it ignores it and goes on', async () => {
    const { calls, handlers, failed } = recorder();
    watchRequestApplied(
      clusters,
      target('anything', 'no-such-promise'),
      'req-unknown',
      handlers,
    );
    expect(await failed).toMatchObject({ reason: 'unknown-promise' });
    expect(calls.applied).toEqual([]);

    // A cluster that cannot answer the cache read, then the Resource arrives on the watch.
    const quiet = recorder();
    const { applied, changed } = quiet.handlers;
    let read: Promise<unknown> = Promise.resolve();
    const stop = watchRequestApplied(
      {
        resolveResource: () => {
          const result = Promise.reject(
            new Error('Cluster sandbox did not answer in time'),
          );
          read = result.catch(() => undefined);
          return result;
        },
        onResourceChange: listener => clusters.onResourceChange(listener),
      },
      target('after-error'),
      'req-after-error',
      { applied, changed },
    );
    await read;
    await Promise.resolve();
    expect(quiet.calls).toEqual({ applied: [], changed: [], failed: [] });
    apply('after-error', 'req-after-error');
    expect((await quiet.applied).object.metadata.name).toBe('after-error');
    stop();
  });
});
