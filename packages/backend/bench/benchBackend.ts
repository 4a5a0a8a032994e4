/*
 * The bench-only backend: the app's backend (createAppBackend, unchanged) plus
 *   - the peer, @backstage/plugin-kubernetes-backend (a devDependency; never in the app), so its
 *     custom-resource query is timed in the same process, against the same sandbox and catalog;
 *   - a probe plugin that hands the bench the root-scoped Kratix cluster service (the instance the
 *     Kratix plugin uses), to wait until its watch-fed caches hold what the bench loaded.
 */
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import {
  kratixClusterServiceRef,
  type KratixClusterService,
} from '@kratix-backstage/plugin-kratix-node';
import { createAppBackend } from '../src/backend';

export interface BenchProbe {
  clusters?: KratixClusterService;
}

export function createBenchBackend(probe: BenchProbe) {
  const backend = createAppBackend();
  backend.add(import('@backstage/plugin-kubernetes-backend'));
  backend.add(
    createBackendPlugin({
      pluginId: 'bench-probe',
      register(env) {
        env.registerInit({
          deps: { clusters: kratixClusterServiceRef },
          async init({ clusters }) {
            probe.clusters = clusters;
          },
        });
      },
    }),
  );
  return backend;
}

/** How many Resources the cluster service's caches hold for a cluster. */
export async function cachedResourceCount(
  clusters: KratixClusterService,
  cluster: string,
): Promise<number> {
  let count = 0;
  for await (const _ of clusters.resources(cluster)) count++;
  return count;
}
