/*
 * The service ref every Kratix backend feature depends on. Root-scoped, so the Kratix plugin and
 * modules of other plugins share one set of connections and caches.
 */
import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { readClusterConfigs, readCreationBounds } from './clusterConfig';
import {
  kratixAuthStrategyServiceRef,
  kratixClusterSupplierServiceRef,
} from './extensions';
import {
  DefaultKratixClusterService,
  type KratixClusterService,
} from './KratixClusterService';

/**
 * The Kratix cluster service: configured clusters (`kratix.clusters`) plus those of every
 * {@link kratixClusterSupplierServiceRef}, each reached with the auth strategy its `auth.type` names.
 *
 * @public
 */
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
        suppliers: kratixClusterSupplierServiceRef,
        authStrategies: kratixAuthStrategyServiceRef,
      },
      async factory({ config, logger, lifecycle, suppliers, authStrategies }) {
        const supplied = await Promise.all(suppliers.map(s => s.getClusters()));
        const clusters = [...readClusterConfigs(config), ...supplied.flat()];
        const clusterService = await DefaultKratixClusterService.create({
          clusters,
          bounds: readCreationBounds(config),
          logger: logger.child({ service: 'kratix-clusters' }),
          authStrategies,
          accessCacheMs:
            (config.getOptionalNumber('kratix.cache.clusterAccessSeconds') ??
              10) * 1000,
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
