import type { KratixResourceObject } from '@kratix-backstage/plugin-kratix-common';
import { EntityRefIndex } from './EntityRefIndex';

const redis = (uid: string, name: string, entityRef?: string) =>
  ({
    apiVersion: 'marketplace.kratix.io/v1alpha1',
    kind: 'redis',
    metadata: {
      uid,
      name,
      namespace: 'default',
      annotations: entityRef
        ? { 'kratix.backstage.io/entity-ref': entityRef }
        : {},
    },
  } as KratixResourceObject);

const SHOP = 'component:default/shop';

describe('EntityRefIndex', () => {
  it('finds Resources by the normalized entity they name, and follows annotation changes and deletes', () => {
    const index = new EntityRefIndex();
    index.apply({
      type: 'added',
      object: redis('1', 'a', 'Component:default/Shop'),
    });
    index.apply({
      type: 'added',
      object: redis('2', 'b', 'component:default/other'),
    });
    index.apply({ type: 'added', object: redis('3', 'c') });
    expect(index.get(SHOP)).toEqual([{ namespace: 'default', name: 'a' }]);

    // Re-pointed to shop, then a's annotation removed: each is indexed under its current ref only.
    index.apply({ type: 'modified', object: redis('2', 'b', SHOP) });
    index.apply({ type: 'modified', object: redis('1', 'a') });
    expect(index.get(SHOP)).toEqual([{ namespace: 'default', name: 'b' }]);
    expect(index.get('component:default/other')).toEqual([]);

    index.apply({ type: 'deleted', object: redis('2', 'b', SHOP) });
    expect(index.get(SHOP)).toEqual([]);
  });
});
