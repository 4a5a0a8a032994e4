import type { Entity } from '@backstage/catalog-model';
import { normalizeEntityRef } from './entityRefs';

describe('normalizeEntityRef', () => {
  it('reads a string ref as the catalog compares it: canonical, lower-cased, trimmed', () => {
    expect(normalizeEntityRef(' Component:Default/Checkout-Service ')).toBe(
      'component:default/checkout-service',
    );
    expect(normalizeEntityRef('component:checkout-service')).toBe(
      'component:default/checkout-service',
    );
  });

  it('fills a kind or namespace the value leaves out from the defaults', () => {
    expect(
      normalizeEntityRef('Team-A', {
        defaultKind: 'group',
        defaultNamespace: 'Payments',
      }),
    ).toBe('group:payments/team-a');
    expect(normalizeEntityRef('user:bob', { defaultKind: 'group' })).toBe(
      'user:default/bob',
    );
  });

  it('answers undefined for a value that names no entity', () => {
    expect(normalizeEntityRef('checkout-service')).toBeUndefined();
    expect(normalizeEntityRef('')).toBeUndefined();
    expect(normalizeEntityRef('component:default/')).toBeUndefined();
  });

  it('normalizes an entity or a compound ref the same way as its string', () => {
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'Checkout-Service', namespace: 'Shop' },
    };
    expect(normalizeEntityRef(entity)).toBe('component:shop/checkout-service');
    expect(
      normalizeEntityRef({
        kind: 'Group',
        namespace: 'default',
        name: 'Team-A',
      }),
    ).toBe(normalizeEntityRef('group:default/team-a'));
  });
});
