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

/**
 * The Kratix frontend plugin for apps on the legacy frontend system.
 *
 * @public
 */
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
 *
 * @public
 */
// Typed explicitly so the public API names no internal component type.
export const EntityKratixContent: () => JSX.Element = kratixPlugin.provide(
  createRoutableExtension({
    name: 'EntityKratixContent',
    component: () =>
      import('./components/EntityKratixContent').then(
        m => m.EntityKratixContent,
      ),
    mountPoint: rootRouteRef,
  }),
);

/**
 * A compact card for an entity's overview page.
 *
 * @public
 */
export const EntityKratixStatusCard: () => JSX.Element = kratixPlugin.provide(
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
