/*
 * Loads Kratix Resources for the permission framework, when a decision on `kratix.resource.read`
 * is asked with a resourceRef (`<cluster>:<promise>/<namespace>/<name>`) — e.g. by search's
 * permission filter. The Resource comes from the watch-fed cache; its owners are computed by
 * resourceOwners.ts (entity-ref entity's owners + `kratix.namespaceOwners`).
 */
import { parseKratixPermissionRef } from '@kratix-backstage/plugin-kratix-common';
import type {
  KratixClusterService,
  KratixPermissionResource,
} from '@kratix-backstage/plugin-kratix-node';
import { EntityResources } from './EntityResources';
import type { ResourceOwners } from './resourceOwners';

export function createPermissionResourceLoader(deps: {
  clusters: KratixClusterService;
  ownersOf: ResourceOwners;
}) {
  const { clusters, ownersOf } = deps;
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
    return EntityResources.permissionResource(
      resolved,
      await ownersOf(resolved),
    );
  };
  return (refs: string[]) => Promise.all(refs.map(load));
}
