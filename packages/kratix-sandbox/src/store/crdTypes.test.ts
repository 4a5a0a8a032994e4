import { CRD_KEY, resourceTypeFromCrd } from './crdTypes';
import { KubeApiError } from './errors';
import { createSandboxStore } from './index';
import { REDIS, redisCrd } from './testFixtures';

describe('CRDs', () => {
  it('maps a CRD to a resource type', () => {
    const type = resourceTypeFromCrd(redisCrd());
    expect(type).toMatchObject({
      group: 'marketplace.kratix.io',
      versions: ['v1alpha1'],
      storageVersion: 'v1alpha1',
      kind: 'redis',
      listKind: 'redisList',
      plural: 'redis',
      singular: 'redis',
      categories: ['kratix'],
      namespaced: true,
      statusSubresource: true,
    });
    expect(type.printerColumns?.v1alpha1?.map(c => c.name)).toEqual([
      'MESSAGE',
      'STATUS',
    ]);
  });

  it('defines the type on create, marks the CRD Established, removes the type on delete', () => {
    const store = createSandboxStore();
    store.create(CRD_KEY, redisCrd());
    expect(store.getType(REDIS)?.kind).toBe('redis');
    expect(
      store.resolveType('marketplace.kratix.io', 'v1alpha1', 'REDIS')?.plural,
    ).toBe('redis');
    const crd = store.get(CRD_KEY, undefined, 'redis.marketplace.kratix.io');
    const conditions = (crd?.status as any).conditions.map(
      (c: any) => `${c.type}=${c.status}`,
    );
    expect(conditions).toEqual(['NamesAccepted=True', 'Established=True']);
    expect((crd?.status as any).acceptedNames.kind).toBe('redis');
    store.delete(CRD_KEY, undefined, 'redis.marketplace.kratix.io');
    expect(store.getType(REDIS)).toBeUndefined();
  });

  it('rejects CRDs whose name is not plural.group', () => {
    const store = createSandboxStore();
    const crd = redisCrd();
    crd.metadata.name = 'wrong.marketplace.kratix.io';
    let error: KubeApiError | undefined;
    try {
      store.create(CRD_KEY, crd);
    } catch (e) {
      error = e as KubeApiError;
    }
    expect(error?.code).toBe(422);
    expect(error?.details?.causes?.[0]).toMatchObject({
      field: 'metadata.name',
    });
    expect(store.getType(REDIS)).toBeUndefined();
  });
});
