/*
 * Loads Kratix Resources for the permission framework, when a decision on `kratix.resource.read`
 * is asked with a resourceRef (`<cluster>:<promise>/<namespace>/<name>`) — e.g. by search's
 * permission filter. The Resource comes from the watch-fed cache; its owners are computed by
 * resourceOwners.ts (entity-ref entity's owners + `kratix.namespaceOwners`), with one catalog call
 * for the entities of all the Resources one decision asks about.
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
  const resolve = async (value: string) => {
    const ref = parseKratixPermissionRef(value);
    if (!ref) return undefined;
    try {
      const resolved = await clusters.resolveResource(ref);
      return resolved.kind.promise === ref.promise ? resolved : undefined;
    } catch {
      return undefined;
    }
  };
  return async (
    refs: string[],
  ): Promise<Array<KratixPermissionResource | undefined>> => {
    const resolved = await Promise.all(refs.map(resolve));
    const found = resolved.filter(
      (r): r is NonNullable<typeof r> => r !== undefined,
    );
    // One catalog call for the entities of every Resource asked about (a search page: up to 100).
    const owners = ownersOf.many
      ? await ownersOf.many(found)
      : await Promise.all(found.map(r => ownersOf(r)));
    const byResource = new Map(found.map((r, i) => [r, owners[i]]));
    return resolved.map(r =>
      r ? EntityResources.permissionResource(r, byResource.get(r)!) : undefined,
    );
  };
}
