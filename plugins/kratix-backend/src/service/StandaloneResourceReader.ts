/*
 * One Resource read on its own by its address, not through an entity (for the Resource page search
 * links to when no entity's tab shows it): `kratix.resource.read` is decided on the Resource itself
 * with the owners resourceOwners.ts computes, the same decision search's permission filter makes. A
 * Resource the caller may not read answers exactly like one that does not exist, so nothing leaks.
 *
 * Service principals (other plugins, external access tokens) pass every permission policy
 * (Backstage allows them, within their token's access restrictions). Here they read only linked
 * Resources: those with an owner (an entity bound to them, or kratix.namespaceOwners). A Resource
 * linked to no entity is the platform team's business, and no token's.
 */
import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type {
  ResourceDetailsResponse,
  TimelinePageResponse,
} from '@kratix-backstage/plugin-kratix-common';
import type {
  KratixClusterService,
  RefNotFoundReason,
  ResolvedResource,
} from '@kratix-backstage/plugin-kratix-node';
import { EntityResources } from './EntityResources';
import type { ResourceAddress } from './types';
import { mayReadResources } from './readDecision';
import type { ResourceOwners } from './resourceOwners';
import type { TimelinePageRequest } from './resourceDetails';
import type { ResourceTimeline } from './ResourceTimeline';

export class StandaloneResourceReader {
  constructor(
    private readonly permissions: PermissionsService,
    private readonly clusters: KratixClusterService,
    private readonly timeline: ResourceTimeline,
    private readonly ownersOf: ResourceOwners,
  ) {}

  async details(
    address: ResourceAddress,
    credentials: BackstageCredentials,
    page: TimelinePageRequest = this.timeline.parse({}),
  ): Promise<ResourceDetailsResponse> {
    const resolved = await this.readable(address, credentials);
    return this.timeline.details(address, resolved, page);
  }

  async timelinePage(
    address: ResourceAddress,
    credentials: BackstageCredentials,
    page: TimelinePageRequest,
  ): Promise<TimelinePageResponse> {
    const resolved = await this.readable(address, credentials);
    return this.timeline.page(address, resolved, page);
  }

  /** The Resource when the caller may read it; the same NotFoundError otherwise. */
  private async readable(
    address: ResourceAddress,
    credentials: BackstageCredentials,
  ): Promise<ResolvedResource> {
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
    const owners = await this.ownersOf(resolved);
    const [allowed] = await mayReadResources(this.permissions, credentials, [
      EntityResources.permissionResource(resolved, owners),
    ]);
    if (!allowed) throw notFound();
    const principal = credentials.principal as { type?: string };
    if (principal.type !== 'user' && owners.length === 0) throw notFound();
    return resolved;
  }
}
