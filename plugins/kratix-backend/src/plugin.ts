/*
 * The Kratix backend plugin (routes under /api/kratix): wires the shared cluster service, the
 * catalog and permission services, the history store and the router.
 */
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { kratixPermissions } from '@kratix-backstage/plugin-kratix-common';
import { kratixClusterServiceRef } from '@kratix-backstage/plugin-kratix-node';
import { HistoryStore } from './history/HistoryStore';
import { TransitionRecorder } from './history/TransitionRecorder';
import { createRouter } from './router';
import { EntityResources } from './service/EntityResources';

/**
 * The Kratix backend plugin: routes under `/api/kratix`.
 *
 * @public
 */
export const kratixPlugin = createBackendPlugin({
  pluginId: 'kratix',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        clusters: kratixClusterServiceRef,
      },
      async init(deps) {
        const { config, logger, clusters } = deps;
        deps.permissionsRegistry.addPermissions(kratixPermissions);

        const history = await HistoryStore.create(deps.database);
        const recorder = new TransitionRecorder(clusters, history, logger);
        recorder.start();
        deps.lifecycle.addShutdownHook(() => recorder.stop());

        const retentionDays =
          config.getOptionalNumber('kratix.history.retentionDays') ?? 90;
        await deps.scheduler.scheduleTask({
          id: 'kratix-history-retention',
          frequency: { hours: 1 },
          timeout: { minutes: 5 },
          initialDelay: { seconds: 30 },
          fn: async () => {
            const removed = await history.prune(
              new Date(Date.now() - retentionDays * 24 * 3600_000),
            );
            if (removed > 0)
              logger.info(`Pruned ${removed} Kratix condition transitions`);
          },
        });

        const reader = new EntityResources(
          deps.catalog,
          deps.permissions,
          clusters,
          history,
        );
        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            catalog: deps.catalog,
            auditor: deps.auditor,
            logger,
            clusters,
            reader,
          }),
        );
      },
    });
  },
});
