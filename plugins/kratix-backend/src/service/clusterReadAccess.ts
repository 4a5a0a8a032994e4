/*
 * The cluster's half of a read (issue 26). Reads keep the shared watch caches (one watch per
 * cluster, as the service account); on a cluster that acts as each user (auth.type impersonate or
 * oidc), each Resource a user is shown must also be one the cluster would let them `get`: a
 * SubjectAccessReview for the mapped Kubernetes user and groups, cached per user and Resource for
 * kratix.cache.clusterAccessSeconds (default 10 s). readDecision.ts applies it after Backstage's
 * own decision, so a Resource the cluster hides reads exactly as one the policy denies. Service
 * principals read as the service account, within their access restrictions, as before.
 */
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  toClusterError,
  type KratixCallerService,
  type KratixClusterService,
  type ResolvedResource,
} from '@kratix-backstage/plugin-kratix-node';

/** Reviews asked at once for one read (a first visit to a long list); the rest wait their turn. */
const MAX_CONCURRENT_REVIEWS = 16;

export class ClusterReadAccess {
  constructor(
    private readonly clusters: KratixClusterService,
    private readonly callers: KratixCallerService,
  ) {}

  /** Whether any Resource of these could need a review (a user on a cluster that acts as each user). */
  reviews(
    credentials: BackstageCredentials,
    resources: ResolvedResource[],
  ): boolean {
    const principal = credentials.principal as { type?: string };
    return (
      principal.type === 'user' &&
      resources.some(r => this.clusters.actsAsUser(r.kind.cluster))
    );
  }

  /**
   * Whether the cluster lets the caller get each Resource, in order: true for service principals
   * and on clusters that do not act as each user. A cluster that cannot answer the review fails
   * the read with its cluster error (503), never by showing or hiding silently.
   */
  async mayGet(
    credentials: BackstageCredentials,
    resources: ResolvedResource[],
  ): Promise<boolean[]> {
    if (!this.reviews(credentials, resources)) return resources.map(() => true);
    const caller = await this.callers.forCredentials(credentials);
    if (!caller) return resources.map(() => true);
    const results: boolean[] = new Array(resources.length).fill(true);
    let next = 0;
    const worker = async () => {
      while (next < resources.length) {
        const i = next++;
        const resource = resources[i];
        if (!this.clusters.actsAsUser(resource.kind.cluster)) continue;
        try {
          results[i] = await this.clusters.userMayGet(resource, caller);
        } catch (error) {
          throw toClusterError(resource.kind.cluster, error) ?? error;
        }
      }
    };
    await Promise.all(
      Array.from(
        { length: Math.min(MAX_CONCURRENT_REVIEWS, resources.length) },
        worker,
      ),
    );
    return results;
  }
}
