/*
 * The catalog the plugin tests run against (served by catalogServiceMock): the example catalog's
 * entities that link the sandbox seed's Resources, their teams, and three users. Each entity is
 * written as the real catalog would hand it out — a uid, its origin location, and the ownedBy
 * relation (the catalog's isEntityOwner rule reads relations) — because catalogServiceMock stores
 * entities as given. The seed's Resources name their entity (`kratix.backstage.io/entity-ref`) and
 * its team (`kratix.backstage.io/owner`); with the origin below in `kratix.trustedLocations`, the
 * platform confirms each link (kratix-node's binding/EntityBinding.ts).
 */
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  RELATION_OWNED_BY,
  type Entity,
} from '@backstage/catalog-model';

/** Where the entities come from; trusted through `kratix.trustedLocations`. */
export const CATALOG_LOCATION = 'url:https://git.example.com/acme/catalog/';
export const TRUSTED_LOCATIONS = [`${CATALOG_LOCATION}*`];

/** Entities with this annotation (value `platform-team`) are read by their owners only (testPolicy.ts). */
export const VISIBILITY_ANNOTATION = 'example.com/visibility';

/** Member of team-checkout: reads its entities' Resources, may change none. */
export const READER = 'user:default/reader';
/** Member of team-search: sees team-checkout's entities, may read none of their Resources. */
export const OUTSIDER = 'user:default/outsider';
/** Member of team-platform: the only one who sees ci-platform (it owns it). */
export const PLATFORM_MEMBER = 'user:default/platform-member';
/** Member of no team: refused everything. */
export const DENIED = 'user:default/denied';

let uids = 0;
const located = (file: string) => {
  uids += 1;
  return {
    uid: `00000000-0000-4000-8000-${String(uids).padStart(12, '0')}`,
    namespace: 'default',
    annotations: {
      [ANNOTATION_LOCATION]: `${CATALOG_LOCATION}${file}`,
      [ANNOTATION_ORIGIN_LOCATION]: `${CATALOG_LOCATION}${file}`,
    },
  };
};

function component(
  name: string,
  owner: string,
  annotations: Record<string, string>,
): Entity {
  const base = located('entities.yaml');
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      ...base,
      name,
      annotations: { ...base.annotations, ...annotations },
    },
    spec: { type: 'service', lifecycle: 'production', owner },
    relations: [
      { type: RELATION_OWNED_BY, targetRef: `group:default/${owner}` },
    ],
  };
}

const group = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { ...located('org.yaml'), name },
  spec: { type: 'team', children: [] },
});

const user = (ref: string, memberOf: string[]): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { ...located('org.yaml'), name: ref.split('/')[1] },
  spec: { memberOf },
});

export const SEED_ENTITIES: Entity[] = [
  component('checkout-service', 'team-checkout', {
    'kratix.backstage.io/resources':
      'redis/default/example\nredis/default/slow-cache\nteam-database/default/orders\n',
  }),
  component('session-cache', 'team-checkout', {
    'kratix.backstage.io/resources': 'redis/default/paused-cache',
  }),
  component('search-service', 'team-search', {
    'kratix.backstage.io/resources': 'elastic-cloud/default/example',
  }),
  // The platform team's: hidden from everyone else, so its Resources are out of the reader's sight.
  component('ci-platform', 'team-platform', {
    'kratix.backstage.io/resources':
      'jenkins/default/example, jenkins/default/broken',
    [VISIBILITY_ANNOTATION]: 'platform-team',
  }),
  group('team-checkout'),
  group('team-search'),
  group('team-platform'),
  user(READER, ['team-checkout']),
  user(OUTSIDER, ['team-search']),
  user(PLATFORM_MEMBER, ['team-platform']),
  user(DENIED, []),
];

/**
 * A user's ownership claims as Backstage's sign-in computes them by default: the user and the
 * groups their catalog entity is a member of.
 */
export function ownershipOf(userEntityRef: string): string[] {
  const name = userEntityRef.split('/')[1];
  const entity = SEED_ENTITIES.find(
    e => e.kind === 'User' && e.metadata.name === name,
  );
  const memberOf = (entity?.spec?.memberOf as string[] | undefined) ?? [];
  return [userEntityRef, ...memberOf.map(g => `group:default/${g}`)];
}
