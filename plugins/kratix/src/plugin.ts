import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { KratixClient, kratixApiRef } from './api/KratixClient';
import { rootRouteRef } from './routes';

/** The Kratix frontend plugin for apps on the legacy frontend system. */
export const kratixPlugin = createPlugin({
  id: 'kratix',
  apis: [
    createApiFactory({
      api: kratixApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new KratixClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
});

/**
 * The entity tab. Mount it as
 * `<EntityLayout.Route path="/kratix" title="Kratix" if={isKratixAvailable}><EntityKratixContent /></EntityLayout.Route>`.
 */
export const EntityKratixContent = kratixPlugin.provide(
  createRoutableExtension({
    name: 'EntityKratixContent',
    component: () =>
      import('./components/EntityKratixContent').then(
        m => m.EntityKratixContent,
      ),
    mountPoint: rootRouteRef,
  }),
);

/** A compact card for an entity's overview page. */
export const EntityKratixStatusCard = kratixPlugin.provide(
  createComponentExtension({
    name: 'EntityKratixStatusCard',
    component: {
      lazy: () =>
        import('./components/EntityKratixStatusCard').then(
          m => m.EntityKratixStatusCard,
        ),
    },
  }),
);
