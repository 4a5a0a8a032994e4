/**
 * Kratix for Backstage: the entity tab and card showing the Kratix Resources an entity links to.
 *
 * @packageDocumentation
 */
export {
  kratixPlugin,
  EntityKratixContent,
  EntityKratixStatusCard,
  KratixPage,
  KratixSearchResultListItem,
} from './plugin';
export type { EntityKratixContentProps } from './components/EntityKratixContent';
export { KratixSearchFilters } from './components/KratixSearchResultListItem';
export type { KratixSearchResultListItemProps } from './components/KratixSearchResultListItem';
export { isKratixAvailable } from './conditions';
export {
  KratixClient,
  kratixApiRef,
  entityPath,
  KratixAccessLostError,
} from './api/KratixClient';
export type {
  KratixApi,
  KratixEntityRef,
  KratixFollowLogsOptions,
  KratixIdTokenApi,
  KratixReconnectOptions,
  KratixResourceKey,
  KratixUnsubscribe,
  KratixWatchError,
  PromiseResourceCountsResponse,
  PromiseResourcesResponse,
} from './api/KratixClient';
export { useEntityKratixResources } from './hooks/useEntityKratixResources';
export type { EntityKratixResourcesState } from './hooks/useEntityKratixResources';
export { useResourceDetails } from './hooks/useResourceDetails';
export type { ResourceDetailsState } from './hooks/useResourceDetails';
export {
  ResourceNameField,
  resourceNameFieldValidation,
  KratixResourceNameFieldSchema,
  RESOURCE_NAME_FIELD,
  RESOURCE_NAME_RULE,
} from './components/ResourceNameField';
export type {
  ResourceNameFieldProps,
  KratixResourceNameFieldOptions,
} from './components/ResourceNameField';
export { KratixResourceNameFieldExtension } from './components/ResourceNameField/extension';
