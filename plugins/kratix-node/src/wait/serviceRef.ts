/*
 * The wait limiter as a root-scoped service: the scaffolder module and the Kratix plugin's MCP
 * actions run in different plugins, and a per-user cap shared between them needs one instance.
 */
import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { kratixClusterServiceRef } from '../serviceRef';
import {
  DefaultKratixWaitService,
  type KratixWaitService,
} from './KratixWaits';

/**
 * Admits every wait on a Kratix Resource (templates and AI assistants) within `kratix.waits`: the
 * longest timeout, waits running per user, and only on Available Promises.
 *
 * @public
 */
export const kratixWaitServiceRef = createServiceRef<KratixWaitService>({
  id: 'kratix.waits',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        clusters: kratixClusterServiceRef,
      },
      factory: ({ config, clusters }) =>
        DefaultKratixWaitService.fromConfig(config, clusters),
    }),
});
