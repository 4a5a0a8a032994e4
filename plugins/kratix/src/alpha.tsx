/**
 * The Kratix plugin for the new frontend system: the API, the `Kratix` entity tab at `/kratix` (on
 * entities that link Kratix Resources and on Components, what Resources are requested for) and the
 * overview card (on entities that link Resources).
 *
 * @packageDocumentation
 */
import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  createRouteRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  SearchFilterBlueprint,
  SearchFilterResultTypeBlueprint,
  SearchResultListItemBlueprint,
} from '@backstage/plugin-search-react/alpha';
import {
  KRATIX_PROMISE_SEARCH_TYPE,
  KRATIX_RESOURCE_SEARCH_TYPE,
  isKratixResourceEntity,
} from '@kratix-backstage/plugin-kratix-common';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import CloudQueueIcon from '@material-ui/icons/CloudQueue';
import { z } from 'zod/v4';
import { kratixApiFactory } from './api/apiFactory';
import { KratixSearchFilters } from './components/KratixSearchResultListItem/KratixSearchFilters';
import type { KratixSearchResultListItemProps } from './components/KratixSearchResultListItem';
import { isKratixAvailable } from './conditions';

/**
 * The `KratixClient` as `kratixApiRef`, over the app's discovery and fetch APIs, with the built-in
 * sign-in providers' ID tokens for clusters with `auth.type: oidc`.
 *
 * @alpha
 */
export const kratixApi = ApiBlueprint.make({
  params: defineParams => defineParams(kratixApiFactory),
});

/**
 * The entity tab `Kratix` at `/kratix`, on entities that link Kratix Resources.
 *
 * @alpha
 */
export const kratixEntityContent = EntityContentBlueprint.makeWithOverrides({
  // app-config: app.extensions: [{ entity-content:kratix: { config: { expandUpTo: 3 } } }]
  configSchema: {
    expandUpTo: z.number().int().min(0).optional(),
  },
  factory(originalFactory, { config }) {
    return originalFactory({
      path: '/kratix',
      title: 'Kratix',
      filter: isKratixAvailable,
      loader: () =>
        import('./components/EntityKratixContent').then(m => (
          <m.EntityKratixContent expandUpTo={config.expandUpTo} />
        )),
    });
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
    // The overview card only where the entity itself names Resources; the tab goes further.
    filter: isKratixResourceEntity,
    loader: () =>
      import('./components/EntityKratixStatusCard').then(m => (
        <m.EntityKratixStatusCard />
      )),
  },
});

/**
 * The pages under /kratix: the index of Promises, a Promise, a Resource (where search results
 * link), framed by the app's page layout.
 *
 * @alpha
 */
export const kratixPage = PageBlueprint.make({
  params: {
    path: '/kratix',
    routeRef: createRouteRef(),
    title: 'Kratix',
    icon: <CloudQueueIcon fontSize="inherit" />,
    loader: () => import('./components/KratixPage').then(m => <m.KratixPage />),
  },
});

/** @alpha */
export const kratixSearchResultListItem = SearchResultListItemBlueprint.make({
  params: {
    predicate: result =>
      result.type === KRATIX_RESOURCE_SEARCH_TYPE ||
      result.type === KRATIX_PROMISE_SEARCH_TYPE,
    component: async () => {
      const { KratixSearchResultListItem } = await import(
        './components/KratixSearchResultListItem'
      );
      // The search page passes result, highlight and rank; the item reads those it knows.
      return props => (
        <KratixSearchResultListItem
          {...(props as KratixSearchResultListItemProps)}
        />
      );
    },
  },
});

/**
 * The "Kratix" result type on the search page (Resources; Promises show under all types).
 *
 * @alpha
 */
export const kratixSearchResultType = SearchFilterResultTypeBlueprint.make({
  params: {
    value: KRATIX_RESOURCE_SEARCH_TYPE,
    name: 'Kratix',
    icon: <CloudQueueIcon />,
  },
});

/** @alpha */
export const kratixSearchFilters = SearchFilterBlueprint.make({
  params: { component: KratixSearchFilters },
});

/**
 * The scaffolder field `KratixResourceNameField`: a Resource's name, checked as the form is filled in.
 *
 * @alpha
 */
export const kratixResourceNameFormField = FormFieldBlueprint.make({
  name: 'resource-name',
  params: {
    field: () =>
      import('./components/ResourceNameField/formField').then(
        m => m.kratixResourceNameFormField,
      ),
  },
});

export default createFrontendPlugin({
  pluginId: 'kratix',
  title: 'Kratix',
  extensions: [
    kratixApi,
    kratixEntityContent,
    kratixEntityStatusCard,
    kratixPage,
    kratixSearchResultListItem,
    kratixSearchResultType,
    kratixSearchFilters,
    kratixResourceNameFormField,
  ],
});
