/*
 * Loads Kratix Resources for the permission framework, when a decision on `kratix.resource.read`
 * is asked with a resourceRef (`<cluster>:<promise>/<namespace>/<name>`) — e.g. by search's
 * permission filter. The Resource comes from the watch-fed cache; its owners are those of the entity
 * its own `kratix.backstage.io/entity-ref` names (read with this plugin's credentials: this is the
 * permission system evaluating a rule, not a read on a user's behalf) and the groups
 * `kratix.namespaceOwners` maps its namespace to.
 */
import type { AuthService } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  KRATIX_ENTITY_REF_ANNOTATION,
  parseKratixPermissionRef,
} from '@kratix-backstage/plugin-kratix-common';
import type {
  KratixClusterService,
  KratixPermissionResource,
} from '@kratix-backstage/plugin-kratix-node';
import { entityOwners } from './entityOwners';
import { EntityResources } from './EntityResources';
import type { LinkTrust } from './linkTrust';

export function createPermissionResourceLoader(deps: {
  catalog: CatalogService;
  auth: AuthService;
  clusters: KratixClusterService;
  trust: LinkTrust;
}) {
  const { catalog, auth, clusters, trust } = deps;
  const load = async (
    value: string,
  ): Promise<KratixPermissionResource | undefined> => {
    const ref = parseKratixPermissionRef(value);
    if (!ref) return undefined;
    let resolved;
    try {
      resolved = await clusters.resolveResource(ref);
    } catch {
      return undefined;
    }
    if (resolved.kind.promise !== ref.promise) return undefined;
    const owners = new Set(trust.ownersOfNamespace(ref.cluster, ref.namespace));
    const entityRef =
      resolved.object.metadata.annotations?.[KRATIX_ENTITY_REF_ANNOTATION];
    if (entityRef) {
      const entity = await catalog
        .getEntityByRef(entityRef, {
          credentials: await auth.getOwnServiceCredentials(),
        })
        .catch(() => undefined);
      if (entity) entityOwners(entity).forEach(owner => owners.add(owner));
    }
    return EntityResources.permissionResource(resolved, [...owners]);
  };
  return (refs: string[]) => Promise.all(refs.map(load));
}
