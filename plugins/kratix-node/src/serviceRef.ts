/*
 * The service ref every Kratix backend feature depends on. Root-scoped, so the Kratix plugin, the
 * scaffolder module and the search module (different plugins) share one set of connections and caches.
 */
import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { kratixSandboxServiceRef } from '@kratix-backstage/sandbox';
import { readClusterConfigs, readCreationBounds } from './clusterConfig';
import {
  DefaultKratixClusterService,
  type KratixClusterService,
} from './KratixClusterService';

export const kratixClusterServiceRef = createServiceRef<KratixClusterService>({
  id: 'kratix.clusters',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.rootLogger,
        lifecycle: coreServices.rootLifecycle,
        sandboxService: kratixSandboxServiceRef,
      },
      async factory({ config, logger, lifecycle, sandboxService }) {
        const sandbox = await sandboxService.getSandbox();
        const clusters = readClusterConfigs(config);
        const clusterService = new DefaultKratixClusterService({
          clusters,
          bounds: readCreationBounds(config),
          logger: logger.child({ service: 'kratix-clusters' }),
          sandbox: sandbox && {
            url: sandbox.url,
            token: sandbox.token,
            certificate: sandbox.certificate,
          },
        });
        clusterService.start();
        lifecycle.addShutdownHook(() => clusterService.stop());
        logger.info(
          `Kratix clusters: ${
            clusters
              .map(c => (c.sandbox ? `${c.name} (sandbox)` : c.name))
              .join(', ') || 'none configured'
          }`,
        );
        return clusterService;
      },
    }),
});
