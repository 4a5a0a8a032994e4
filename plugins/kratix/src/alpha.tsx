/**
 * The Kratix plugin for the new frontend system: the API, the `Kratix` entity tab at `/kratix` and the
 * overview card, both shown only on entities that link Kratix Resources.
 *
 * @packageDocumentation
 */
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { KratixClient, kratixApiRef } from './api/KratixClient';
import { isKratixAvailable } from './conditions';

/**
 * The `KratixClient` as `kratixApiRef`, over the app's discovery and fetch APIs.
 *
 * @alpha
 */
export const kratixApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: kratixApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new KratixClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The entity tab `Kratix` at `/kratix`, on entities that link Kratix Resources.
 *
 * @alpha
 */
export const kratixEntityContent = EntityContentBlueprint.make({
  params: {
    path: '/kratix',
    title: 'Kratix',
    filter: isKratixAvailable,
    loader: () =>
      import('./components/EntityKratixContent').then(m => (
        <m.EntityKratixContent />
      )),
  },
});

/**
 * The overview card, on entities that link Kratix Resources.
 *
 * @alpha
 */
export const kratixEntityStatusCard = EntityCardBlueprint.make({
  name: 'status',
  params: {
    filter: isKratixAvailable,
    loader: () =>
      import('./components/EntityKratixStatusCard').then(m => (
        <m.EntityKratixStatusCard />
      )),
  },
});

/**
 * The Kratix plugin for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'kratix',
  title: 'Kratix',
  extensions: [kratixApi, kratixEntityContent, kratixEntityStatusCard],
});
