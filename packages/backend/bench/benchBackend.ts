/*
 * The bench-only backend: the app's backend (createAppBackend, unchanged) plus
 *   - the peer, @backstage/plugin-kubernetes-backend (a devDependency; never in the app), so its
 *     custom-resource query is timed in the same process, against the same sandbox and catalog;
 *   - the bench users' sign-in provider (benchUsers.ts), to mint a real token per user;
 *   - a probe plugin that hands the bench the root-scoped Kratix cluster service (the instance the
 *     Kratix plugin uses), to wait until its watch-fed caches hold what the bench loaded, and its
 *     own auth, permissions and catalog services (the same implementations every plugin gets), to
 *     time one hop of a read on its own.
 */
import {
  coreServices,
  createBackendPlugin,
  type AuthService,
  type PermissionsService,
} from '@backstage/backend-plugin-api';
import { rootConfigServiceFactory } from '@backstage/backend-defaults/rootConfig';
import {
  catalogServiceRef,
  type CatalogService,
} from '@backstage/plugin-catalog-node';
import {
  kratixClusterServiceRef,
  type KratixClusterService,
} from '@kratix-backstage/plugin-kratix-node';
import { createAppBackend } from '../src/backend';
import { benchUsersSignIn } from './benchUsers';

export interface BenchProbe {
  clusters?: KratixClusterService;
  auth?: AuthService;
  permissions?: PermissionsService;
  catalog?: CatalogService;
}

export interface BenchBackendOptions {
  /** The config files, in order; without them, the `--config` flags of process.argv. */
  configPaths?: string[];
  /** Add the peer kubernetes-backend (default true). */
  peer?: boolean;
}

export function createBenchBackend(
  probe: BenchProbe,
  options: BenchBackendOptions = {},
) {
  const backend = createAppBackend();
  if (options.configPaths) {
    // Replaces the default root config: one process can run backends with different configs.
    backend.add(
      rootConfigServiceFactory({
        argv: options.configPaths.flatMap(p => ['--config', p]),
        watch: false,
      }),
    );
  }
  if (options.peer ?? true) {
    backend.add(import('@backstage/plugin-kubernetes-backend'));
  }
  backend.add(benchUsersSignIn);
  backend.add(
    createBackendPlugin({
      pluginId: 'bench-probe',
      register(env) {
        env.registerInit({
          deps: {
            clusters: kratixClusterServiceRef,
            auth: coreServices.auth,
            permissions: coreServices.permissions,
            catalog: catalogServiceRef,
          },
          async init(services) {
            Object.assign(probe, services);
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
