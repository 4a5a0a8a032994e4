/*
 * Starts the sandbox platform with the backend (when enabled) rather than on first use, so kubectl
 * and the seeded workflows are live as soon as the backend is up.
 */
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { kratixSandboxServiceRef } from './sandboxService';

/**
 * The sandbox plugin: starts the sandbox with the backend when `kratix.sandbox.enabled` is true.
 *
 * @public
 */
export const kratixSandboxPlugin = createBackendPlugin({
  pluginId: 'kratix-sandbox',
  register(env) {
    env.registerInit({
      deps: {
        sandboxService: kratixSandboxServiceRef,
        logger: coreServices.logger,
      },
      async init({ sandboxService, logger }) {
        const sandbox = await sandboxService.getSandbox();
        if (!sandbox) {
          logger.info('Sandbox platform disabled (kratix.sandbox.enabled)');
          return;
        }
        sandbox.ready.catch(error =>
          logger.error(`Sandbox seed failed: ${error}`),
        );
      },
    });
  },
});
