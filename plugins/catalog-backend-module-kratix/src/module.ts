/*
 * The catalog module: one Kratix entity provider per ingested cluster, each refreshed in full on
 * its own schedule and following the cluster's watch in between; and the guards that keep the
 * provider's catalog namespace to the provider (providerNamespace.ts).
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { catalogModelExtensionPoint } from '@backstage/plugin-catalog-node/alpha';
import {
  EntityBinding,
  kratixClusterServiceRef,
} from '@kratix-backstage/plugin-kratix-node';
import { CuratedTemplates } from './CuratedTemplates';
import { InheritedOwners } from './InheritedOwners';
import { KratixEntityProvider } from './KratixEntityProvider';
import { readProviderOptions } from './options';
import {
  KratixNamespaceProcessor,
  kratixNamespaceParser,
} from './providerNamespace';

/**
 * Keeps the catalog in step with each Kratix platform cluster: an entity per Promise and per
 * Resource, and a software template per Promise.
 * @public
 */
export const catalogModuleKratix = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'kratix',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        catalogModel: catalogModelExtensionPoint,
        catalogService: catalogServiceRef,
        auth: coreServices.auth,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        clusterService: kratixClusterServiceRef,
      },
      async init({
        catalog,
        catalogModel,
        catalogService,
        auth,
        config,
        logger,
        scheduler,
        lifecycle,
        clusterService,
      }) {
        const options = readProviderOptions(config);
        const configured = clusterService.clusters().map(c => c.name);
        const unknown = (options.clusters ?? []).filter(
          c => !configured.includes(c),
        );
        if (unknown.length) {
          throw new Error(
            `catalog.providers.kratix.clusters: ${unknown.join(', ')} ${
              unknown.length === 1 ? 'is' : 'are'
            } not in kratix.clusters`,
          );
        }
        const clusters = options.clusters ?? configured;
        const owners = new InheritedOwners(
          catalogService,
          auth,
          logger,
          EntityBinding.fromConfig(config),
        );
        // Read once per full run of each cluster; templates in the provider's namespace are its own.
        const curated = new CuratedTemplates(catalogService, auth, logger, {
          namespace: options.namespace,
          defaultCluster: clusterService.defaultCluster(),
        });
        const taskRunner = scheduler.createScheduledTaskRunner(
          options.schedule,
        );
        const providers = clusters.map(
          cluster =>
            new KratixEntityProvider({
              cluster,
              primaryCluster: clusters[0],
              clusterService,
              options,
              owners,
              curated,
              logger: logger.child({ kratixCluster: cluster }),
              taskRunner,
            }),
        );
        catalog.addEntityProvider(providers);
        catalog.addProcessor(new KratixNamespaceProcessor(options.namespace));
        if (options.entityDataParser) {
          catalogModel.setEntityDataParser(
            kratixNamespaceParser(options.namespace),
          );
        }
        lifecycle.addShutdownHook(() => providers.forEach(p => p.close()));
      },
    });
  },
});
