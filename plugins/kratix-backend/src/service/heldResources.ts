/*
 * Every Resource the cluster service's watch-fed caches hold, cluster by cluster: for features that
 * subscribed to changes after the watches started (their first look), and for periodic passes. A
 * cluster that cannot answer is reported and skipped; the others are still visited.
 */
import type {
  KratixClusterService,
  ResolvedResource,
  ResourceChange,
} from '@kratix-backstage/plugin-kratix-node';

export async function forEachHeldResource(
  clusters: KratixClusterService,
  visit: (resolved: ResolvedResource) => void | Promise<void>,
  onClusterError: (cluster: string, error: unknown) => void,
): Promise<void> {
  for (const cluster of clusters.clusters()) {
    try {
      for await (const resolved of clusters.resources(cluster.name)) {
        await visit(resolved);
      }
    } catch (error) {
      onClusterError(cluster.name, error);
    }
  }
}

/** A held Resource as the watch's change that added it. */
export function addedChange(resolved: ResolvedResource): ResourceChange {
  return {
    cluster: resolved.kind.cluster,
    kind: resolved.kind,
    type: 'added',
    object: resolved.object,
  };
}
