/*
 * The search module: registers the Resource and Promise collators on the search backend, with the
 * schedule and scope from `search.collators.kratix`.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import {
  EntityBinding,
  kratixClusterServiceRef,
} from '@kratix-backstage/plugin-kratix-node';
import { KratixPromiseCollatorFactory } from './collators/KratixPromiseCollatorFactory';
import { KratixResourceCollatorFactory } from './collators/KratixResourceCollatorFactory';
import { readCollatorSchedule, readCollatorScope } from './config';

/**
 * Indexes Kratix Resources (`kratix-resource`) and Promises (`kratix-promise`) for search.
 * @public
 */
export const searchModuleKratixCollator = createBackendModule({
  pluginId: 'search',
  moduleId: 'kratix-collator',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        scheduler: coreServices.scheduler,
        indexRegistry: searchIndexRegistryExtensionPoint,
        catalog: catalogServiceRef,
        clusters: kratixClusterServiceRef,
      },
      async init({
        config,
        logger,
        auth,
        scheduler,
        indexRegistry,
        catalog,
        clusters,
      }) {
        const scope = readCollatorScope(config);
        const schedule = scheduler.createScheduledTaskRunner(
          readCollatorSchedule(config),
        );
        indexRegistry.addCollator({
          schedule,
          factory: new KratixResourceCollatorFactory({
            clusters,
            catalog,
            auth,
            logger,
            scope,
            binding: EntityBinding.fromConfig(config),
          }),
        });
        indexRegistry.addCollator({
          schedule,
          factory: new KratixPromiseCollatorFactory({
            clusters,
            logger,
            scope,
          }),
        });
      },
    });
  },
});
