/*
 * One Resource read on its own by its address, not through an entity (for the Resource page search
 * links to when no entity's tab shows it), and the Resources of a Promise the caller may read (the
 * Promise page and the /kratix index): `kratix.resource.read` is decided on the Resource itself
 * with the owners resourceOwners.ts computes, the same decision search's permission filter makes. A
 * Resource the caller may not read answers exactly like one that does not exist, so nothing leaks.
 *
 * Service principals (other plugins, external access tokens) pass every permission policy
 * (Backstage allows them, within their token's access restrictions). Here they read only linked
 * Resources: those with an owner (an entity bound to them, or kratix.namespaceOwners). A Resource
 * linked to no entity is the platform team's business, and no token's.
 *
 * On a cluster that acts as each user, a user also needs the cluster's `get` on the Resource
 * (readDecision.ts): one the cluster hides is not counted, listed or found, as a denied one.
 */
import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type {
  KratixClusterError,
  ResourceDetailsResponse,
  TimelinePageResponse,
} from '@kratix-backstage/plugin-kratix-common';
import {
  toClusterError,
  type KratixClusterService,
  type RefNotFoundReason,
  type ResolvedResource,
} from '@kratix-backstage/plugin-kratix-node';
import { EntityResources } from './EntityResources';
import type { ResourceAddress } from './types';
import { mayReadResources } from './readDecision';
import type { ResourceOwners } from './resourceOwners';
import type { ClusterReadAccess } from './clusterReadAccess';
import type { TimelinePageRequest } from './resourceDetails';
import type { ResourceTimeline } from './ResourceTimeline';

export class StandaloneResourceReader {
  constructor(
    private readonly permissions: PermissionsService,
    private readonly clusters: KratixClusterService,
    private readonly timeline: ResourceTimeline,
    private readonly ownersOf: ResourceOwners,
    /** The cluster's review on clusters that act as each user; absent, the policy decides alone. */
    private readonly clusterAccess?: ClusterReadAccess,
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

  /**
   * The Resources the caller may read, of one Promise or of every Promise, on one cluster or on
   * all (the Promise page and the /kratix index): each decided as the one-Resource read decides it,
   * so a Resource the caller may not read is not counted, named or hinted at. A cluster that
   * cannot answer is named in `errors` (with what it yielded before it failed left out).
   */
  async readableResources(
    credentials: BackstageCredentials,
    filter: { cluster?: string; promise?: string } = {},
  ): Promise<{ items: ResolvedResource[]; errors: KratixClusterError[] }> {
    const clusters = this.clusters
      .clusters()
      .map(c => c.name)
      .filter(name => filter.cluster === undefined || name === filter.cluster);
    const candidates: ResolvedResource[] = [];
    const errors: KratixClusterError[] = [];
    for (const cluster of clusters) {
      const found: ResolvedResource[] = [];
      try {
        for await (const resolved of this.clusters.resources(cluster)) {
          if (
            filter.promise === undefined ||
            resolved.kind.promise === filter.promise
          ) {
            found.push(resolved);
          }
        }
        candidates.push(...found);
      } catch (error) {
        const unavailable = toClusterError(cluster, error);
        if (!unavailable) throw error;
        errors.push(unavailable.toJSON());
      }
    }
    const allowed = await this.mayRead(candidates, credentials);
    return { items: candidates.filter((_, i) => allowed[i]), errors };
  }

  /** Whether the caller may read each Resource, in order: the one decision both reads make. */
  private async mayRead(
    resources: ResolvedResource[],
    credentials: BackstageCredentials,
  ): Promise<boolean[]> {
    const owners = await Promise.all(resources.map(r => this.ownersOf(r)));
    const allowed = await mayReadResources(
      this.permissions,
      credentials,
      resources.map((r, i) => EntityResources.permissionResource(r, owners[i])),
      {
        cluster: this.clusterAccess && {
          access: this.clusterAccess,
          resolved: resources,
        },
      },
    );
    const principal = credentials.principal as { type?: string };
    // Service principals read only linked Resources (see the header).
    return allowed.map(
      (ok, i) => ok && (principal.type === 'user' || owners[i].length > 0),
    );
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
    const [allowed] = await this.mayRead([resolved], credentials);
    if (!allowed) throw notFound();
    return resolved;
  }
}
