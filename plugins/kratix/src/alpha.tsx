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

/** @alpha */
export const kratixApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: kratixApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new KratixClient({ discoveryApi, fetchApi }),
    }),
});

/** @alpha */
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

/** @alpha */
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

export default createFrontendPlugin({
  pluginId: 'kratix',
  title: 'Kratix',
  extensions: [kratixApi, kratixEntityContent, kratixEntityStatusCard],
});
