/*
 * The create flow as a plugin-scoped service, so the Kratix plugin, the scaffolder module and any
 * other Kratix feature create Resources the same way, each with its own plugin's permissions client
 * and auditor (audit events name the plugin the request came through).
 */
import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { kratixClusterServiceRef } from '../serviceRef';
import { kratixCallerServiceRef } from './callerIdentity';
import { forwardToKratix } from './forwardToKratix';
import {
  ResourceCreation,
  type KratixResourceCreationService,
} from './ResourceCreation';

/**
 * The Kratix create flow (authorization on the target entity, audit, adoption of retried requests).
 *
 * @public
 */
export const kratixResourceCreationServiceRef =
  createServiceRef<KratixResourceCreationService>({
    id: 'kratix.resource-creation',
    scope: 'plugin',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {
          permissions: coreServices.permissions,
          auditor: coreServices.auditor,
          catalog: catalogServiceRef,
          clusters: kratixClusterServiceRef,
          callers: kratixCallerServiceRef,
          discovery: coreServices.discovery,
          auth: coreServices.auth,
        },
        factory: ({ discovery, auth, ...deps }) =>
          new ResourceCreation({
            ...deps,
            forward: forwardToKratix({ discovery, auth }),
          }),
      }),
  });
