/*
 * Whether a Resource's own annotations bind it to a catalog entity: the platform side of a link.
 *
 * A name is not an identity: whoever registers `component:default/billing-service` after the
 * original is gone (or while it is being deleted) must not inherit its Resources. So
 * `kratix.backstage.io/entity-ref` alone proves nothing. It binds when, besides naming the entity,
 *   1. `kratix.backstage.io/entity-uid` equals the entity's `metadata.uid` (creation through
 *      Backstage records it; a platform engineer may set it by hand), or
 *   2. `kratix.backstage.io/owner` (annotation or label, set by creation through Backstage, by a
 *      pipeline or by hand) is one of the entity's owners, and the entity comes from a location the
 *      platform trusts: the origin recorded at creation (`kratix.backstage.io/entity-origin`) or one
 *      of `kratix.trustedLocations` (default: the catalog's own configured locations). This keeps a
 *      link through a delete and re-ingestion of the same entity from the same place, and lets
 *      Resources made outside Backstage be vouched for, without ever trusting a user's own location.
 * Anything else is unbound: `stale` when the Resource recorded a uid that no longer matches (the
 * entity was deleted, renamed or re-registered), `unvouched` when it names the entity but nothing
 * vouches for it.
 */
import {
  ANNOTATION_ORIGIN_LOCATION,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  KRATIX_ENTITY_ORIGIN_ANNOTATION,
  KRATIX_ENTITY_REF_ANNOTATION,
  KRATIX_ENTITY_UID_ANNOTATION,
  KRATIX_OWNER_ANNOTATION,
  normalizeEntityRef,
} from '@kratix-backstage/plugin-kratix-common';
import path from 'node:path';
import { entityOwners, specOwnerOf } from './entityRefs';

/**
 * The part of a Resource the binding reads.
 *
 * @public
 */
export interface BindableObject {
  metadata: {
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
  };
}

/**
 * How (or why not) a Resource is bound to an entity.
 *
 * @public
 */
export type EntityBindingResult =
  | { bound: true; via: 'entity-uid' | 'platform-owner' }
  | {
      bound: false;
      /**
       * `not-named`: the Resource names no entity, or another one. `stale`: it names this entity but
       * recorded another uid. `unvouched`: it names this entity and nothing vouches for it.
       */
      reason: 'not-named' | 'stale' | 'unvouched';
    };

/**
 * Decides whether a Resource's annotations bind it to an entity (see the file comment).
 *
 * @public
 */
export class EntityBinding {
  /**
   * `kratix.trustedLocations`, or when unset the catalog's configured locations
   * (`catalog.locations`, file targets resolved as the catalog resolves them).
   */
  static fromConfig(config: Config): EntityBinding {
    const configured = config.getOptionalStringArray('kratix.trustedLocations');
    if (configured) {
      configured.forEach((pattern, index) => {
        if (!/^[a-z0-9-]+:.+/i.test(pattern)) {
          throw new InputError(
            `kratix.trustedLocations[${index}]: "${pattern}" must be <type>:<target>, e.g. url:https://github.com/acme/catalog/*`,
          );
        }
      });
      return new EntityBinding(configured);
    }
    const fromCatalog = (
      config.getOptionalConfigArray('catalog.locations') ?? []
    ).map(location => {
      const type = location.getString('type');
      const target = location.getString('target');
      return `${type}:${type === 'file' ? path.resolve(target) : target}`;
    });
    return new EntityBinding(fromCatalog);
  }

  private readonly exact = new Set<string>();
  private readonly prefixes: string[] = [];

  /** `patterns`: `<type>:<target>`, exact, or ending in `*` to trust every target below a prefix. */
  constructor(patterns: string[]) {
    for (const pattern of patterns) {
      if (pattern.endsWith('*')) this.prefixes.push(pattern.slice(0, -1));
      else this.exact.add(pattern);
    }
  }

  /** The annotations creation through Backstage records on a Resource for `entity`. */
  static annotationsFor(entity: Entity): Record<string, string> {
    const annotations: Record<string, string> = {
      [KRATIX_ENTITY_REF_ANNOTATION]: stringifyEntityRef(entity),
    };
    if (entity.metadata.uid) {
      annotations[KRATIX_ENTITY_UID_ANNOTATION] = entity.metadata.uid;
    }
    const origin = entity.metadata.annotations?.[ANNOTATION_ORIGIN_LOCATION];
    if (origin) annotations[KRATIX_ENTITY_ORIGIN_ANNOTATION] = origin;
    const owner = specOwnerOf(entity);
    if (owner) annotations[KRATIX_OWNER_ANNOTATION] = owner;
    return annotations;
  }

  /** Whether the catalog location an entity came from is one the platform trusts. */
  trustsLocation(origin: string | undefined): boolean {
    if (!origin) return false;
    return (
      this.exact.has(origin) || this.prefixes.some(p => origin.startsWith(p))
    );
  }

  check(entity: Entity, object: BindableObject): EntityBindingResult {
    const annotations = object.metadata.annotations ?? {};
    const named = annotations[KRATIX_ENTITY_REF_ANNOTATION];
    if (!named || normalizeEntityRef(named) !== normalizeEntityRef(entity)) {
      return { bound: false, reason: 'not-named' };
    }
    const recordedUid = annotations[KRATIX_ENTITY_UID_ANNOTATION]?.trim();
    if (recordedUid && recordedUid === entity.metadata.uid) {
      return { bound: true, via: 'entity-uid' };
    }
    const owner = platformOwnerOf(object);
    if (owner && entityOwners(entity).includes(owner)) {
      const origin = entity.metadata.annotations?.[ANNOTATION_ORIGIN_LOCATION];
      const recordedOrigin = annotations[KRATIX_ENTITY_ORIGIN_ANNOTATION];
      if (
        (recordedOrigin !== undefined && origin === recordedOrigin) ||
        this.trustsLocation(origin)
      ) {
        return { bound: true, via: 'platform-owner' };
      }
    }
    return { bound: false, reason: recordedUid ? 'stale' : 'unvouched' };
  }
}

/**
 * The owner the platform names on a Resource (`kratix.backstage.io/owner`, annotation before label),
 * normalized; a bare name is a group in the default namespace.
 *
 * @public
 */
export function platformOwnerOf(object: BindableObject): string | undefined {
  const value =
    object.metadata.annotations?.[KRATIX_OWNER_ANNOTATION] ??
    object.metadata.labels?.[KRATIX_OWNER_ANNOTATION];
  if (!value?.trim()) return undefined;
  return normalizeEntityRef(value, {
    defaultKind: 'group',
    defaultNamespace: 'default',
  });
}
