import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import type { ResolvedResource } from '@kratix-backstage/plugin-kratix-node';
import { LinkTrust } from './linkTrust';

const entity = (overrides: Partial<Entity['metadata']> = {}): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'shop', namespace: 'default', ...overrides },
  spec: { owner: 'team-a' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-a' }],
});

const resource = (
  annotations: Record<string, string> = {},
  where = { cluster: 'eu', namespace: 'apps' },
): ResolvedResource =>
  ({
    kind: { cluster: where.cluster, promise: 'redis' },
    object: {
      metadata: { name: 'cache', namespace: where.namespace, annotations },
    },
  } as unknown as ResolvedResource);

const trust = (config: object = {}) =>
  LinkTrust.fromConfig(new ConfigReader({ kratix: config }));

describe('LinkTrust', () => {
  it('confirms a link only when the Resource names the entity, in any letter case', () => {
    const strict = trust();
    expect(strict.mode).toBe('platform');
    expect(
      strict.confirm(
        entity(),
        resource({
          'kratix.backstage.io/entity-ref': 'Component:default/Shop',
        }),
      ),
    ).toBe('entity-ref');
    expect(
      strict.confirm(
        entity(),
        resource({
          'kratix.backstage.io/entity-ref': 'component:default/other',
        }),
      ),
    ).toBeUndefined();
    expect(strict.confirm(entity(), resource())).toBeUndefined();
    expect(
      strict.confirm(
        entity(),
        resource({ 'kratix.backstage.io/entity-ref': 'not a ref' }),
      ),
    ).toBeUndefined();
  });

  it('confirms entities the Kratix provider produced for that cluster only', () => {
    const produced = entity({
      annotations: { 'backstage.io/managed-by-location': 'kratix-platform:eu' },
    });
    expect(trust().confirm(produced, resource())).toBe('provider');
    expect(
      trust().confirm(
        produced,
        resource({}, { cluster: 'us', namespace: 'apps' }),
      ),
    ).toBeUndefined();
    const fromAFile = entity({
      annotations: {
        'backstage.io/managed-by-location': 'url:https://x/kratix-platform:eu',
      },
    });
    expect(trust().confirm(fromAFile, resource())).toBeUndefined();
  });

  it('confirms links into namespaces mapped to the entity’s owner, per cluster', () => {
    const mapped = trust({
      namespaceOwners: [
        { cluster: 'eu', namespace: 'apps', owners: ['team-a'] },
        { namespace: 'shared', owners: ['group:default/team-b'] },
      ],
    });
    expect(mapped.confirm(entity(), resource())).toBe('namespace-owner');
    expect(
      mapped.confirm(
        entity(),
        resource({}, { cluster: 'us', namespace: 'apps' }),
      ),
    ).toBeUndefined();
    expect(mapped.ownersOfNamespace('us', 'shared')).toEqual([
      'group:default/team-b',
    ]);
    expect(
      mapped.confirm(
        entity(),
        resource({}, { cluster: 'us', namespace: 'shared' }),
      ),
    ).toBeUndefined();
  });

  it('trusts every claim only when configured to, and refuses unknown modes', () => {
    expect(trust({ linkTrust: 'catalog' }).confirm(entity(), resource())).toBe(
      'catalog',
    );
    expect(() => trust({ linkTrust: 'annotations' })).toThrow(
      'kratix.linkTrust: must be "platform" or "catalog", not "annotations"',
    );
    expect(() =>
      trust({
        namespaceOwners: [{ namespace: 'x', owners: ['group:default/'] }],
      }),
    ).toThrow(/kratix.namespaceOwners\[0\].owners: "group:default\/"/);
  });
});
