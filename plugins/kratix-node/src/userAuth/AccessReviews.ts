/*
 * Whether the cluster would let a user `get` a Resource: a SubjectAccessReview asked by the service
 * account for the mapped Kubernetes user and groups. Reads keep the shared watch caches (one watch
 * per cluster); this check is what makes the cluster's RBAC hold for what a user is shown. Answers
 * are cached per user and Resource for at most `cacheMs` (kratix.cache.clusterAccessSeconds), the
 * bound on how long a revoked grant can still show a Resource.
 */
import { AuthorizationV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { KratixResourceObject } from '@kratix-backstage/plugin-kratix-common';
import { TtlCache } from '../TtlCache';
import type { ResourceKind } from '../ClusterConnection';
import {
  kubernetesUserOf,
  type KratixCaller,
  type KratixClusterUserAuth,
} from './clusterUserAuth';

export interface AccessReviewsOptions {
  cluster: string;
  kubeConfig: KubeConfig;
  userAuth: KratixClusterUserAuth;
  cacheMs: number;
}

export class AccessReviews {
  private readonly api: AuthorizationV1Api;
  private readonly cache: TtlCache<boolean>;

  constructor(private readonly options: AccessReviewsOptions) {
    this.api = options.kubeConfig.makeApiClient(AuthorizationV1Api);
    this.cache = new TtlCache(options.cacheMs);
  }

  async canGet(
    caller: KratixCaller,
    kind: ResourceKind,
    object: KratixResourceObject,
  ): Promise<boolean> {
    let user: { username: string; groups: string[] };
    try {
      user = kubernetesUserOf(
        this.options.cluster,
        this.options.userAuth,
        caller,
      );
    } catch {
      // A user the mapping cannot name (no email) is no one the cluster knows.
      return false;
    }
    const namespace = object.metadata.namespace ?? 'default';
    const key = [
      user.username,
      [...user.groups].sort().join(','),
      kind.group,
      kind.plural,
      namespace,
      object.metadata.name,
    ].join('\n');
    return this.cache.get(key, async () => {
      const review = await this.api.createSubjectAccessReview({
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SubjectAccessReview',
          spec: {
            user: user.username,
            groups: user.groups,
            resourceAttributes: {
              verb: 'get',
              group: kind.group,
              resource: kind.plural,
              namespace,
              name: object.metadata.name,
            },
          },
        },
      });
      return review.status?.allowed === true;
    });
  }
}
