/*
 * How other packages add clusters and ways to authenticate to them.
 *
 * Why service refs and not plugin extension points: the cluster service is root-scoped and shared by
 * the Kratix plugin and by any module of another plugin that depends on it. A plugin's
 * extension points are only filled while that plugin starts, so a root service could not wait for
 * them without depending on start-up order. Multiton root services are collected before the cluster
 * service is built, whichever plugin asks for it first. Add one with
 * `backend.add(createServiceFactory({ service: kratixClusterSupplierServiceRef, ... }))`.
 */
import { createServiceRef } from '@backstage/backend-plugin-api';
import type { KubeConfig } from '@kubernetes/client-node';
import type { KratixClusterDetails } from './clusterDetails';

/**
 * Supplies clusters beyond those configured under `kratix.clusters`. Read once, when the cluster
 * service starts.
 *
 * @public
 */
export interface KratixClusterSupplier {
  getClusters(): Promise<KratixClusterDetails[]>;
}

/**
 * Builds the Kubernetes client configuration for the clusters whose `auth.type` is `type`.
 *
 * @public
 */
export interface KratixAuthStrategy {
  /** The `auth.type` this strategy handles; replaces a built-in strategy of the same type. */
  type: string;
  /**
   * A KubeConfig whose current context reaches the cluster as Backstage. Credentials that rotate
   * belong in the KubeConfig's user (`exec`, `authProvider`, a token file) so every call reads them.
   */
  getKubeConfig(cluster: KratixClusterDetails): Promise<KubeConfig>;
}

/**
 * Cluster suppliers; every factory added to the backend contributes its clusters.
 *
 * @public
 */
export const kratixClusterSupplierServiceRef =
  createServiceRef<KratixClusterSupplier>({
    id: 'kratix.cluster-supplier',
    scope: 'root',
    multiton: true,
  });

/**
 * Auth strategies by `auth.type`; every factory added to the backend contributes one.
 *
 * @public
 */
export const kratixAuthStrategyServiceRef =
  createServiceRef<KratixAuthStrategy>({
    id: 'kratix.auth-strategy',
    scope: 'root',
    multiton: true,
  });
