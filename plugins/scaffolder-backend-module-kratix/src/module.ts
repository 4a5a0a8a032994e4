/*
 * The scaffolder module: registers kratix:resource:create, kratix:resource:wait and
 * kratix:resource:manifest (the validated manifest into the workspace, for templates that publish
 * requests to Git themselves). The create flow is the shared service
 * (kratixResourceCreationServiceRef), instantiated for the scaffolder plugin, so it authorizes
 * with the scaffolder's permissions client as the user who runs the template. Waits are admitted
 * by the root-scoped kratixWaitServiceRef, the one the Kratix plugin's MCP actions use too, so the
 * per-user cap counts both. On clusters that act as each user, the caller is built by
 * kratixCallerServiceRef (for the scaffolder plugin) as the Kratix routes build it.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  kratixCallerServiceRef,
  kratixClusterServiceRef,
  kratixResourceCreationServiceRef,
  kratixWaitServiceRef,
} from '@kratix-backstage/plugin-kratix-node';
import { createKratixResourceAction } from './actions/createResourceAction';
import { createKratixWaitAction } from './actions/waitResourceAction';
import { createKratixManifestAction } from './actions/manifestAction';

/**
 * Scaffolder actions `kratix:resource:create`, `kratix:resource:wait` and
 * `kratix:resource:manifest`.
 *
 * @public
 */
export const scaffolderModuleKratix = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'kratix',
  register(reg) {
    reg.registerInit({
      deps: {
        actions: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        permissions: coreServices.permissions,
        clusters: kratixClusterServiceRef,
        creation: kratixResourceCreationServiceRef,
        waits: kratixWaitServiceRef,
        callers: kratixCallerServiceRef,
      },
      async init({
        actions,
        config,
        permissions,
        clusters,
        creation,
        waits,
        callers,
      }) {
        const appBaseUrl = config.getString('app.baseUrl');
        actions.addActions(
          createKratixResourceAction({
            creation,
            clusters,
            permissions,
            waits,
            appBaseUrl,
            callers,
          }),
          createKratixWaitAction({
            clusters,
            permissions,
            waits,
            appBaseUrl,
            callers,
          }),
          createKratixManifestAction({ creation, clusters, appBaseUrl }),
        );
      },
    });
  },
});
