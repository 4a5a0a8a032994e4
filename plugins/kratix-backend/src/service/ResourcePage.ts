/*
 * One Resource read on its own, not through an entity (the Resource page search links to when no
 * entity's tab shows it): `kratix.resource.read` is decided on the Resource itself with the owners
 * resourceOwners.ts computes, the same decision search's permission filter makes. A Resource the
 * caller may not read answers exactly like one that does not exist, so nothing leaks.
 */
import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type { ResourceDetailsResponse } from '@kratix-backstage/plugin-kratix-common';
import type {
  KratixClusterService,
  RefNotFoundReason,
  ResolvedResource,
} from '@kratix-backstage/plugin-kratix-node';
import type { HistoryStore } from '../history/HistoryStore';
import { EntityResources, type ResourceAddress } from './EntityResources';
import { mayReadResources } from './readDecision';
import type { ResourceOwners } from './resourceOwners';
import { resourceDetails } from './resourceDetails';

export class ResourcePage {
  constructor(
    private readonly permissions: PermissionsService,
    private readonly clusters: KratixClusterService,
    private readonly history: HistoryStore,
    private readonly ownersOf: ResourceOwners,
  ) {}

  async details(
    address: ResourceAddress,
    credentials: BackstageCredentials,
  ): Promise<ResourceDetailsResponse> {
    const notFound = () =>
      new NotFoundError(
        `No Kratix Resource ${address.cluster}:${address.promise}/${address.namespace}/${address.name} that you may read`,
      );
    let resolved: ResolvedResource;
    try {
      resolved = await this.clusters.resolveResource(address);
    } catch (error) {
      if ((error as { reason?: RefNotFoundReason }).reason) throw notFound();
      throw error;
    }
    if (resolved.kind.promise !== address.promise) throw notFound();
    const [allowed] = await mayReadResources(this.permissions, credentials, [
      EntityResources.permissionResource(
        resolved,
        await this.ownersOf(resolved),
      ),
    ]);
    if (!allowed) throw notFound();
    return resourceDetails(this.clusters, this.history, address, resolved);
  }
}
