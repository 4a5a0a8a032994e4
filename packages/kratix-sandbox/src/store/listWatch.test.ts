import { KubeApiError } from './errors';
import { ObjectStore } from './ObjectStore';
import { REDIS, redis, storeWithRedis } from './testFixtures';
import type { KubeObject, WatchEvent } from './types';

function labelled(
  name: string,
  labels: Record<string, string>,
  namespace = 'default',
): KubeObject {
  const object = redis(name, {}, namespace);
  object.metadata.labels = labels;
  return object;
}

function seed(store: ObjectStore) {
  store.create(
    { group: '', plural: 'namespaces' },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } },
  );
  store.create(REDIS, labelled('c', { tier: 'cache', env: 'prod' }));
  store.create(REDIS, labelled('a', { tier: 'db', env: 'dev' }));
  store.create(REDIS, labelled('b', { tier: 'cache' }));
  store.create(REDIS, labelled('a', { tier: 'db', env: 'prod' }, 'other'));
}

const names = (items: KubeObject[]) =>
  items.map(o => `${o.metadata.namespace}/${o.metadata.name}`);

describe('list', () => {
  it('sorts by namespace/name and filters by namespace', () => {
    const store = storeWithRedis();
    seed(store);
    expect(names(store.list(REDIS).items)).toEqual([
      'default/a',
      'default/b',
      'default/c',
      'other/a',
    ]);
    expect(names(store.list(REDIS, { namespace: 'other' }).items)).toEqual([
      'other/a',
    ]);
  });

  it.each([
    ['tier=cache', ['default/b', 'default/c']],
    ['tier==db,env=prod', ['other/a']],
    ['env!=prod', ['default/a', 'default/b']],
    ['env in (dev, prod),tier notin (cache)', ['default/a', 'other/a']],
    ['env', ['default/a', 'default/c', 'other/a']],
    ['!env', ['default/b']],
  ])('label selector %s', (selector, expected) => {
    const store = storeWithRedis();
    seed(store);
    expect(names(store.list(REDIS, { labelSelector: selector }).items)).toEqual(
      expected,
    );
  });

  it('field selectors on name and namespace, 400 on unknown fields', () => {
    const store = storeWithRedis();
    seed(store);
    expect(
      names(store.list(REDIS, { fieldSelector: 'metadata.name=a' }).items),
    ).toEqual(['default/a', 'other/a']);
    expect(
      names(
        store.list(REDIS, { fieldSelector: 'metadata.namespace!=default' })
          .items,
      ),
    ).toEqual(['other/a']);
    expect(() =>
      store.list(REDIS, { fieldSelector: 'spec.size=small' }),
    ).toThrow('field label not supported: spec.size');
    expect(() => store.list(REDIS, { labelSelector: 'a in b' })).toThrow(
      KubeApiError,
    );
  });

  it('paginates over a consistent snapshot with continue tokens', () => {
    const store = storeWithRedis();
    seed(store);
    const first = store.list(REDIS, { limit: 2 });
    expect(names(first.items)).toEqual(['default/a', 'default/b']);
    expect(first.remainingItemCount).toBe(2);
    // Changes after the first page do not show in the rest of the same list.
    store.create(REDIS, redis('bb'));
    store.delete(REDIS, 'default', 'c');
    const second = store.list(REDIS, { limit: 2, continue: first.continue });
    expect(names(second.items)).toEqual(['default/c', 'other/a']);
    expect(second.resourceVersion).toBe(first.resourceVersion);
    expect(second.continue).toBeUndefined();
  });

  it('answers 410 Expired for a continue token older than the history', () => {
    const store = storeWithRedis({ historyLimit: 2 });
    seed(store);
    const first = store.list(REDIS, { limit: 1 });
    for (const n of ['x', 'y', 'z']) store.create(REDIS, redis(n));
    let error: KubeApiError | undefined;
    try {
      store.list(REDIS, { limit: 1, continue: first.continue });
    } catch (e) {
      error = e as KubeApiError;
    }
    expect(error?.code).toBe(410);
    expect(error?.reason).toBe('Expired');
  });
});

describe('watch', () => {
  it('replays history after a resourceVersion, then streams live changes', () => {
    const store = storeWithRedis();
    const created = store.create(REDIS, redis('a'));
    const rv = created.metadata.resourceVersion!;
    store.patch(REDIS, 'default', 'a', 'merge', { spec: { size: 'large' } });
    const events: WatchEvent[] = [];
    const stop = store.watch(REDIS, { resourceVersion: rv }, e =>
      events.push(e),
    );
    store.delete(REDIS, 'default', 'a');
    stop();
    store.create(REDIS, redis('after-stop'));
    expect(events.map(e => e.type)).toEqual(['MODIFIED', 'DELETED']);
    expect(Number(events[1].object.metadata.resourceVersion)).toBeGreaterThan(
      Number(events[0].object.metadata.resourceVersion),
    );
  });

  it('starts with synthetic ADDED events without a resourceVersion', () => {
    const store = storeWithRedis();
    store.create(REDIS, redis('a'));
    store.create(REDIS, redis('b'));
    const events: string[] = [];
    store.watch(REDIS, { resourceVersion: '0' }, e =>
      events.push(`${e.type} ${e.object.metadata.name}`),
    );
    expect(events).toEqual(['ADDED a', 'ADDED b']);
  });

  it('turns selector transitions into ADDED and DELETED', () => {
    const store = storeWithRedis();
    store.create(REDIS, labelled('a', { tier: 'db' }));
    const events: string[] = [];
    store.watch(
      REDIS,
      {
        labelSelector: 'tier=cache',
        resourceVersion: store.currentResourceVersion(),
      },
      e => events.push(e.type),
    );
    store.patch(REDIS, 'default', 'a', 'merge', {
      metadata: { labels: { tier: 'cache' } },
    });
    store.patch(REDIS, 'default', 'a', 'merge', { spec: { size: 'large' } });
    store.patch(REDIS, 'default', 'a', 'merge', {
      metadata: { labels: { tier: 'db' } },
    });
    expect(events).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
  });

  it('answers 410 Gone for a resourceVersion older than the history', () => {
    const store = storeWithRedis({ historyLimit: 3 });
    const first = store.create(REDIS, redis('a'));
    for (const n of ['b', 'c', 'd', 'e']) store.create(REDIS, redis(n));
    let error: KubeApiError | undefined;
    try {
      store.watch(
        REDIS,
        { resourceVersion: first.metadata.resourceVersion },
        () => {},
      );
    } catch (e) {
      error = e as KubeApiError;
    }
    expect(error?.code).toBe(410);
    expect(error?.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
  });

  it('sends bookmarks when allowed', async () => {
    const store = storeWithRedis({ bookmarkIntervalMs: 10 });
    const bookmark = await new Promise<WatchEvent>(resolve => {
      const stop = store.watch(REDIS, { allowWatchBookmarks: true }, e => {
        if (e.type === 'BOOKMARK') {
          stop();
          resolve(e);
        }
      });
    });
    expect(bookmark.object).toEqual({
      kind: 'redis',
      apiVersion: 'marketplace.kratix.io/v1alpha1',
      metadata: { resourceVersion: store.currentResourceVersion() },
    });
  });

  it('ends watches when the type is removed, with DELETED for every object', () => {
    const store = storeWithRedis();
    store.create(REDIS, redis('a'));
    const events: string[] = [];
    let ended = false;
    store.watch(
      REDIS,
      { resourceVersion: store.currentResourceVersion() },
      e => events.push(e.type),
      () => {
        ended = true;
      },
    );
    store.delete(
      { group: 'apiextensions.k8s.io', plural: 'customresourcedefinitions' },
      undefined,
      'redis.marketplace.kratix.io',
    );
    expect(events).toEqual(['DELETED']);
    expect(ended).toBe(true);
    expect(store.getType(REDIS)).toBeUndefined();
  });
});

describe('scale', () => {
  it('lists 10,000 objects across 50 types quickly', () => {
    const store = new ObjectStore();
    store.defineType({
      group: '',
      versions: ['v1'],
      storageVersion: 'v1',
      kind: 'Namespace',
      listKind: 'NamespaceList',
      plural: 'namespaces',
      singular: 'namespace',
      namespaced: false,
      statusSubresource: false,
    });
    store.create(
      { group: '', plural: 'namespaces' },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } },
    );
    for (let t = 0; t < 50; t++) {
      store.defineType({
        group: 'g.io',
        versions: ['v1'],
        storageVersion: 'v1',
        kind: `K${t}`,
        listKind: `K${t}List`,
        plural: `k${t}s`,
        singular: `k${t}`,
        namespaced: true,
        statusSubresource: true,
      });
      for (let i = 0; i < 200; i++) {
        store.create(
          { group: 'g.io', plural: `k${t}s` },
          {
            apiVersion: 'g.io/v1',
            kind: `K${t}`,
            metadata: {
              name: `o${i}`,
              namespace: 'default',
              labels: { i: String(i) },
            },
            spec: { i },
          },
        );
      }
    }
    let total = 0;
    for (const type of store.listTypes())
      total += store.list(type).items.length;
    expect(total).toBe(10001);
  });
});
