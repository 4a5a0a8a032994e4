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
  it('confirms a named link only for the entity itself (its uid), in any letter case', () => {
    const strict = trust();
    expect(strict.mode).toBe('platform');
    const named = (extra: Record<string, string> = {}) =>
      resource({
        'kratix.backstage.io/entity-ref': 'Component:default/Shop',
        ...extra,
      });
    const original = entity({ uid: 'uid-1' });
    expect(
      strict.confirm(
        original,
        named({ 'kratix.backstage.io/entity-uid': 'uid-1' }),
      ),
    ).toBe('entity-ref');
    // The same name, a different entity (deleted and registered again, or taken over).
    const successor = entity({ uid: 'uid-2' });
    const recorded = named({ 'kratix.backstage.io/entity-uid': 'uid-1' });
    expect(strict.confirm(successor, recorded)).toBeUndefined();
    expect(strict.isStale(successor, recorded)).toBe(true);
    // A name alone is a claim, not a proof (a dangling ref, or one made outside Backstage).
    expect(strict.confirm(original, named())).toBeUndefined();
    expect(strict.isStale(original, named())).toBe(false);
    expect(
      strict.confirm(
        original,
        resource({
          'kratix.backstage.io/entity-ref': 'component:default/other',
          'kratix.backstage.io/entity-uid': 'uid-1',
        }),
      ),
    ).toBeUndefined();
    expect(strict.confirm(original, resource())).toBeUndefined();
    expect(
      strict.confirm(
        original,
        resource({ 'kratix.backstage.io/entity-ref': 'not a ref' }),
      ),
    ).toBeUndefined();
  });

  it('confirms a named link the platform vouches for: its owner, from a trusted location', () => {
    const vouching = trust({
      trustedLocations: ['url:https://git.example.com/platform/catalog/*'],
    });
    const from = (origin: string, owner = 'team-a') => ({
      ...entity({
        uid: 'uid-9',
        annotations: { 'backstage.io/managed-by-origin-location': origin },
      }),
      spec: { owner },
      relations: [],
    });
    const trusted = 'url:https://git.example.com/platform/catalog/shop.yaml';
    const usersOwn = 'url:https://git.example.com/someone/catalog.yaml';
    const vouched = (extra: Record<string, string> = {}) =>
      resource({
        'kratix.backstage.io/entity-ref': 'component:default/shop',
        'kratix.backstage.io/owner': 'team-a',
        ...extra,
      });
    expect(vouching.confirm(from(trusted), vouched())).toBe('entity-ref');
    // Another owner holding the name, or the right owner from a user's own location: nothing.
    expect(
      vouching.confirm(from(trusted, 'team-b'), vouched()),
    ).toBeUndefined();
    expect(vouching.confirm(from(usersOwn), vouched())).toBeUndefined();
    // The location recorded at creation counts: the same entity re-ingested keeps its link.
    expect(
      vouching.confirm(
        from(usersOwn),
        vouched({ 'kratix.backstage.io/entity-origin': usersOwn }),
      ),
    ).toBe('entity-ref');
    // A label works too (labels cannot hold ':' or '/': a bare group name).
    const labelled = resource({
      'kratix.backstage.io/entity-ref': 'component:default/shop',
    });
    expect(vouching.confirm(from(trusted), labelled)).toBeUndefined();
    labelled.object.metadata.labels = { 'kratix.backstage.io/owner': 'team-a' };
    expect(vouching.confirm(from(trusted), labelled)).toBe('entity-ref');
    expect(() => trust({ trustedLocations: ['github.com/acme'] })).toThrow(
      /kratix.trustedLocations\[0\]: "github.com\/acme" must be <type>:<target>/,
    );
  });

  it('trusts the catalog’s own configured locations by default', () => {
    const fromCatalogConfig = LinkTrust.fromConfig(
      new ConfigReader({
        catalog: {
          locations: [
            { type: 'file', target: '/srv/catalog/entities.yaml' },
            { type: 'url', target: 'https://git.example.com/org.yaml' },
          ],
        },
      }),
    );
    expect(
      fromCatalogConfig.binding.trustsLocation(
        'file:/srv/catalog/entities.yaml',
      ),
    ).toBe(true);
    expect(
      fromCatalogConfig.binding.trustsLocation(
        'url:https://git.example.com/org.yaml',
      ),
    ).toBe(true);
    expect(
      fromCatalogConfig.binding.trustsLocation('file:/tmp/mine.yaml'),
    ).toBe(false);
    expect(fromCatalogConfig.binding.trustsLocation(undefined)).toBe(false);
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

  it("links a Resource the entity does not claim only when it names the entity and binds or its namespace is the owner's", () => {
    const named = (
      extra: Record<string, string> = {},
      where?: { cluster: string; namespace: string },
    ) =>
      resource(
        {
          'kratix.backstage.io/entity-ref': 'component:default/shop',
          ...extra,
        },
        where,
      );
    const shop = entity({ uid: 'uid-1' });
    const strict = trust();
    expect(
      strict.platformLink(
        shop,
        named({ 'kratix.backstage.io/entity-uid': 'uid-1' }),
      ),
    ).toBe('entity-ref');
    // Named but not bound: another uid, or nothing vouching.
    expect(
      strict.platformLink(
        shop,
        named({ 'kratix.backstage.io/entity-uid': 'uid-2' }),
      ),
    ).toBeUndefined();
    expect(strict.platformLink(shop, named())).toBeUndefined();
    // The catalog-side sources confirm claims only: they list nothing unclaimed.
    expect(
      trust({ linkTrust: 'catalog' }).platformLink(shop, named()),
    ).toBeUndefined();
    // kratix.namespaceOwners vouches for a Resource that names the entity, in a namespace of its owner…
    const mapped = trust({
      namespaceOwners: [{ namespace: 'apps', owners: ['team-a'] }],
    });
    expect(mapped.platformLink(shop, named())).toBe('namespace-owner');
    expect(
      mapped.platformLink(
        shop,
        named({}, { cluster: 'eu', namespace: 'other' }),
      ),
    ).toBeUndefined();
    // …but does not make every Resource of the namespace the entity's.
    expect(mapped.platformLink(shop, resource())).toBeUndefined();
  });
});
