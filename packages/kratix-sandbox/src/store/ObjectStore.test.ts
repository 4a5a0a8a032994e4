import { KubeApiError } from './errors';
import { NAMESPACE_TYPE } from './builtinTypes';
import { REDIS, redis, storeWithRedis } from './testFixtures';
import type { KubeObject } from './types';

function caught(fn: () => unknown): KubeApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof KubeApiError) return error;
    throw error;
  }
  throw new Error('expected a KubeApiError');
}

describe('ObjectStore writes', () => {
  it('creates with uid, timestamp, generation 1 and an increasing resourceVersion', () => {
    const store = storeWithRedis();
    const before = Number(store.currentResourceVersion());
    const created = store.create(REDIS, redis('a', { size: 'large' }));
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata.creationTimestamp).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    );
    expect(created.metadata.generation).toBe(1);
    expect(Number(created.metadata.resourceVersion)).toBe(before + 1);
    expect(store.get(REDIS, 'default', 'a')).toBe(created);
    expect(Object.isFrozen(created.metadata)).toBe(true);
  });

  it('answers 409 AlreadyExists and supports generateName', () => {
    const store = storeWithRedis();
    store.create(REDIS, redis('a'));
    const error = caught(() => store.create(REDIS, redis('a')));
    expect(error.code).toBe(409);
    expect(error.reason).toBe('AlreadyExists');
    expect(error.message).toBe(
      'redis.marketplace.kratix.io "a" already exists',
    );
    const generated = store.create(REDIS, {
      ...redis(''),
      metadata: { name: '', generateName: 'cache-', namespace: 'default' },
    });
    expect(generated.metadata.name).toMatch(/^cache-[a-z0-9]{5}$/);
  });

  it('rejects invalid names and missing namespaces like Kubernetes', () => {
    const store = storeWithRedis();
    const bad = caught(() => store.create(REDIS, redis('Bad_Name')));
    expect(bad.code).toBe(422);
    expect(bad.details?.causes?.[0]).toMatchObject({
      field: 'metadata.name',
      reason: 'FieldValueInvalid',
    });
    expect(bad.details?.causes?.[0].message).toContain(
      'a lowercase RFC 1123 subdomain must consist of',
    );
    const long = caught(() => store.create(REDIS, redis('a'.repeat(64))));
    expect(long.details?.causes?.[0]).toMatchObject({
      field: 'metadata.name',
      reason: 'FieldValueTooLong',
    });
    const missing = caught(() =>
      store.create(REDIS, redis('a', {}, 'nowhere')),
    );
    expect(missing.code).toBe(404);
    expect(missing.message).toBe('namespaces "nowhere" not found');
  });

  it('bumps generation only on spec changes and skips no-op updates', () => {
    const store = storeWithRedis();
    const created = store.create(REDIS, redis('a', { size: 'small' }));
    const labelled = store.update(REDIS, {
      ...structuredClone(created),
      metadata: { ...structuredClone(created.metadata), labels: { team: 'x' } },
    });
    expect(labelled.metadata.generation).toBe(1);
    expect(labelled.metadata.resourceVersion).not.toBe(
      created.metadata.resourceVersion,
    );
    const same = store.update(REDIS, structuredClone(labelled));
    expect(same.metadata.resourceVersion).toBe(
      labelled.metadata.resourceVersion,
    );
    const resized = store.update(REDIS, {
      ...structuredClone(labelled),
      spec: { size: 'large' },
    });
    expect(resized.metadata.generation).toBe(2);
  });

  it('answers 409 Conflict for a stale resourceVersion, allows unconditional updates', () => {
    const store = storeWithRedis();
    const created = store.create(REDIS, redis('a'));
    store.update(REDIS, {
      ...structuredClone(created),
      spec: { size: 'large' },
    });
    const error = caught(() =>
      store.update(REDIS, {
        ...structuredClone(created),
        spec: { size: 'small' },
      }),
    );
    expect(error.code).toBe(409);
    expect(error.reason).toBe('Conflict');
    expect(error.message).toBe(
      'Operation cannot be fulfilled on redis.marketplace.kratix.io "a": the object has been modified; please apply your changes to the latest version and try again',
    );
    const unconditional = redis('a', { size: 'small' });
    expect(store.update(REDIS, unconditional).metadata.generation).toBe(3);
  });

  it('keeps status and spec apart with the status subresource', () => {
    const store = storeWithRedis();
    const created = store.create(REDIS, {
      ...redis('a'),
      status: { message: 'ignored on create' },
    });
    expect(created.status).toBeUndefined();
    const withStatus = store.update(
      REDIS,
      {
        ...structuredClone(created),
        spec: { size: 'large' },
        status: { message: 'hello' },
      },
      { subresource: 'status' },
    );
    expect(withStatus.status).toEqual({ message: 'hello' });
    expect((withStatus.spec as any).size).toBe('small');
    expect(withStatus.metadata.generation).toBe(1);
    const main = store.update(REDIS, {
      ...structuredClone(withStatus),
      status: { message: 'nope' },
    });
    expect(main.status).toEqual({ message: 'hello' });
  });

  it('patches with merge, JSON and apply patches', () => {
    const store = storeWithRedis();
    store.create(REDIS, redis('a', { size: 'small', replicas: 2 }));
    const merged = store.patch(REDIS, 'default', 'a', 'merge', {
      spec: { replicas: null, size: 'large' },
    });
    expect(merged.spec).toEqual({ size: 'large', replicas: 1 }); // null removes, default refills
    const json = store.patch(REDIS, 'default', 'a', 'json', [
      { op: 'replace', path: '/spec/replicas', value: 5 },
    ]);
    expect((json.spec as any).replicas).toBe(5);
    const stale = caught(() =>
      store.patch(REDIS, 'default', 'a', 'merge', {
        metadata: { resourceVersion: '1' },
        spec: { replicas: 3 },
      }),
    );
    expect(stale.code).toBe(409);
    const applied = store.patch(
      REDIS,
      'default',
      'b',
      'apply',
      redis('b', { size: 'large' }),
    );
    expect(applied.metadata.generation).toBe(1);
    const status = store.patch(
      REDIS,
      'default',
      'a',
      'merge',
      { status: { message: 'ok' } },
      { subresource: 'status' },
    );
    expect(status.status).toEqual({ message: 'ok' });
  });

  it('dry-runs without storing', () => {
    const store = storeWithRedis();
    const rv = store.currentResourceVersion();
    const dry = store.create(REDIS, redis('a'), { dryRun: true });
    expect(dry.metadata.uid).toBeDefined();
    expect(store.get(REDIS, 'default', 'a')).toBeUndefined();
    expect(store.currentResourceVersion()).toBe(rv);
  });

  it('waits for finalizers before deleting and collects dependents', () => {
    const store = storeWithRedis();
    const owner = store.create(REDIS, {
      ...redis('owner'),
      metadata: { name: 'owner', namespace: 'default', finalizers: ['x/y'] },
    });
    const dependent: KubeObject = redis('dep');
    dependent.metadata.ownerReferences = [
      {
        apiVersion: owner.apiVersion,
        kind: 'redis',
        name: 'owner',
        uid: owner.metadata.uid,
      },
    ];
    store.create(REDIS, dependent);
    const marked = store.delete(REDIS, 'default', 'owner');
    expect(marked.metadata.deletionTimestamp).toBeDefined();
    expect(store.get(REDIS, 'default', 'owner')).toBeDefined();
    store.update(REDIS, {
      ...structuredClone(marked),
      metadata: { ...structuredClone(marked.metadata), finalizers: [] },
    });
    expect(store.get(REDIS, 'default', 'owner')).toBeUndefined();
    expect(store.get(REDIS, 'default', 'dep')).toBeUndefined();
  });

  it('terminates namespaces with their content', () => {
    const store = storeWithRedis();
    store.create(NAMESPACE_TYPE, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team' },
    });
    expect(store.get(NAMESPACE_TYPE, undefined, 'team')?.status).toEqual({
      phase: 'Active',
    });
    store.create(REDIS, redis('a', {}, 'team'));
    store.delete(NAMESPACE_TYPE, undefined, 'team');
    expect(store.get(REDIS, 'team', 'a')).toBeUndefined();
    expect(store.get(NAMESPACE_TYPE, undefined, 'team')).toBeUndefined();
  });

  it('delivers changes made by subscribers in order', () => {
    const store = storeWithRedis();
    const seen: string[] = [];
    store.subscribe(change => {
      if (change.type === 'ADDED' && change.object.metadata.name === 'a') {
        store.create(REDIS, redis('b'));
      }
    });
    store.subscribe(change =>
      seen.push(`${change.type} ${change.object.metadata.name}`),
    );
    store.create(REDIS, redis('a'));
    expect(seen).toEqual(['ADDED a', 'ADDED b']);
  });

  it('snapshots and restores types, objects and the resourceVersion', () => {
    const store = storeWithRedis();
    store.create(REDIS, redis('a', { size: 'large' }));
    const snapshot = JSON.parse(JSON.stringify(store.snapshot()));
    const restored = storeWithRedis();
    restored.restore(snapshot);
    expect(restored.get(REDIS, 'default', 'a')?.spec).toEqual({
      size: 'large',
      replicas: 1,
    });
    expect(restored.currentResourceVersion()).toBe(
      store.currentResourceVersion(),
    );
  });
});
