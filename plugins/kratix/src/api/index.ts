/**
 * The Kratix backend's client on its own, without the plugin's React parts: for code that runs
 * outside a browser page (Node scripts, tests). The package's main entry also loads UI libraries
 * that need `window` as soon as they are imported.
 *
 * @packageDocumentation
 */
export {
  KratixClient,
  kratixApiRef,
  entityPath,
  KratixAccessLostError,
} from './KratixClient';
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
} from './KratixClient';
