/*
 * Who owns a Kratix Resource for permission decisions made on the Resource itself (search results,
 * the Resource page): the owners of the entity its own `kratix.backstage.io/entity-ref` names, when
 * the Resource is bound to that entity and not merely to its name (EntityBinding: recorded uid, or
 * platform owner and trusted location), read with this plugin's credentials (the permission system
 * evaluating a rule, not a read on a user's behalf); and the groups `kratix.namespaceOwners` maps its
 * namespace to. A ref naming no entity, or an entity that took the name later, gives no owner.
 */
import type { AuthService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { KRATIX_ENTITY_REF_ANNOTATION } from '@kratix-backstage/plugin-kratix-common';
import type { ResolvedResource } from '@kratix-backstage/plugin-kratix-node';
import { entityOwners } from '@kratix-backstage/plugin-kratix-node';
import type { LinkTrust } from './linkTrust';

export type ResourceOwners = ((
  resolved: ResolvedResource,
) => Promise<string[]>) & {
  /** The owners of many Resources, with one catalog call for all their entities. */
  many?: (resolved: ResolvedResource[]) => Promise<string[][]>;
};

/** The entity a Resource is bound to (when any) and everyone who owns the Resource. */
export interface ResourceAudience {
  /** The bound entity's ref, as the Resource's entity-ref annotation names it. */
  boundEntityRef?: string;
  /** Lower-cased refs: the bound entity's owners and the namespace's mapped owners. */
  owners: string[];
}

export type ResourceAudienceOf = (
  resolved: ResolvedResource,
) => Promise<ResourceAudience>;

export type ResourceAudiencesOf = (
  resolved: ResolvedResource[],
) => Promise<ResourceAudience[]>;

/**
 * The audiences of many Resources with one catalog call for all the entities they name (a search
 * page asks about up to 100 Resources in one permission call).
 */
export function createResourceAudiences(deps: {
  catalog: CatalogService;
  auth: AuthService;
  trust: LinkTrust;
}): ResourceAudiencesOf {
  const { catalog, auth, trust } = deps;
  return async resolvedList => {
    const refs = resolvedList.map(
      r => r.object.metadata.annotations?.[KRATIX_ENTITY_REF_ANNOTATION],
    );
    const distinct = [...new Set(refs.filter((r): r is string => !!r))];
    const entities = new Map<string, Entity>();
    if (distinct.length > 0) {
      const { items } = await catalog
        .getEntitiesByRefs(
          { entityRefs: distinct },
          { credentials: await auth.getOwnServiceCredentials() },
        )
        .catch(() => ({ items: [] as Array<Entity | undefined> }));
      items.forEach((entity, i) => {
        if (entity) entities.set(distinct[i], entity);
      });
    }
    return resolvedList.map((resolved, i) => {
      const owners = new Set(
        trust.ownersOfNamespace(
          resolved.kind.cluster,
          resolved.object.metadata.namespace ?? 'default',
        ),
      );
      const entityRef = refs[i];
      const entity = entityRef ? entities.get(entityRef) : undefined;
      let boundEntityRef: string | undefined;
      if (entity && trust.binding.check(entity, resolved.object).bound) {
        boundEntityRef = entityRef;
        entityOwners(entity).forEach(owner => owners.add(owner));
      }
      return { boundEntityRef, owners: [...owners] };
    });
  };
}

export function createResourceAudience(deps: {
  catalog: CatalogService;
  auth: AuthService;
  trust: LinkTrust;
}): ResourceAudienceOf {
  const audiencesOf = createResourceAudiences(deps);
  return async resolved => (await audiencesOf([resolved]))[0];
}

export function createResourceOwners(deps: {
  catalog: CatalogService;
  auth: AuthService;
  trust: LinkTrust;
}): ResourceOwners {
  const audiencesOf = createResourceAudiences(deps);
  const owners: ResourceOwners = async resolved =>
    (await audiencesOf([resolved]))[0].owners;
  owners.many = async resolvedList =>
    (await audiencesOf(resolvedList)).map(a => a.owners);
  return owners;
}
