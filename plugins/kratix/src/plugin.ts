import {
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import { kratixApiFactory } from './api/apiFactory';
import { createSearchResultListItemExtension } from '@backstage/plugin-search-react';
import {
  KRATIX_PROMISE_SEARCH_TYPE,
  KRATIX_RESOURCE_SEARCH_TYPE,
} from '@kratix-backstage/plugin-kratix-common';
import { pageRouteRef, rootRouteRef } from './routes';
import type { KratixSearchResultListItemProps } from './components/KratixSearchResultListItem';
import type { EntityKratixContentProps } from './components/EntityKratixContent';

/**
 * The Kratix frontend plugin for apps on the legacy frontend system.
 *
 * @public
 */
export const kratixPlugin = createPlugin({
  id: 'kratix',
  apis: [kratixApiFactory],
  routes: { root: rootRouteRef, page: pageRouteRef },
});

/**
 * The entity tab. Mount it as
 * `<EntityLayout.Route path="/kratix" title="Kratix" if={isKratixAvailable}><EntityKratixContent /></EntityLayout.Route>`.
 * With one or two Resources it opens them all expanded (`expandUpTo`).
 *
 * @public
 */
// Typed explicitly so the public API names no internal component type.
export const EntityKratixContent: (
  props: EntityKratixContentProps,
) => JSX.Element = kratixPlugin.provide(
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

/**
 * The index of Promises, and the Resource and Promise pages search results link to. Mount it as
 * `<Route path="/kratix" element={<KratixPage />} />` (the collator's links assume `/kratix`).
 * @public
 */
export const KratixPage: () => JSX.Element = kratixPlugin.provide(
  createRoutableExtension({
    name: 'KratixPage',
    component: () =>
      import('./components/KratixPage').then(m => m.KratixLegacyPage),
    mountPoint: pageRouteRef,
  }),
);

/**
 * Kratix Resources and Promises in search results. Add it to the search page's
 * `<SearchResult>` next to the other result items.
 * @public
 */
export const KratixSearchResultListItem: (
  props: KratixSearchResultListItemProps,
) => JSX.Element | null = kratixPlugin.provide(
  createSearchResultListItemExtension({
    name: 'KratixSearchResultListItem',
    component: () =>
      import('./components/KratixSearchResultListItem').then(
        m => m.KratixSearchResultListItem,
      ),
    predicate: result =>
      result.type === KRATIX_RESOURCE_SEARCH_TYPE ||
      result.type === KRATIX_PROMISE_SEARCH_TYPE,
  }),
);
