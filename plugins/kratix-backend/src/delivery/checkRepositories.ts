/*
 * At startup, every repository requests may be delivered to is checked against Backstage's
 * `integrations` (the only source of Git credentials): the cluster's own target, and each Promise
 * sent elsewhere or through Git on a direct cluster. A missing integration, or pull requests on a
 * forge that has none, stops startup naming the config key, not the first user's request.
 */
import type {
  GitRequestWriter,
  KratixClusterService,
} from '@kratix-backstage/plugin-kratix-node';

export function checkDeliveryRepositories(
  clusters: Pick<KratixClusterService, 'clusters' | 'deliveryFor'>,
  writer: Pick<GitRequestWriter, 'checkRepository'>,
): void {
  for (const cluster of clusters.clusters()) {
    const key = `kratix.clusters[${cluster.name}].delivery`;
    const own = cluster.delivery
      ? clusters.deliveryFor(cluster.name, '')
      : undefined;
    if (own) {
      writer.checkRepository(own.repository, `${key}.repository`, {
        mode: own.mode,
      });
    }
    for (const promise of Object.keys(cluster.promiseDelivery ?? {})) {
      const target = clusters.deliveryFor(cluster.name, promise);
      if (target) {
        writer.checkRepository(
          target.repository,
          `${key}.promises.${promise}.repository`,
          { mode: target.mode },
        );
      }
    }
  }
}
