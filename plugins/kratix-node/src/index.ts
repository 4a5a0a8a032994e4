/**
 * The Kratix cluster service shared by every Kratix backend feature, and the service refs that add
 * clusters (suppliers) and ways to authenticate to them (auth strategies).
 *
 * @packageDocumentation
 */
export { kratixClusterServiceRef } from './serviceRef';
export {
  kratixClusterSupplierServiceRef,
  kratixAuthStrategyServiceRef,
  type KratixClusterSupplier,
  type KratixAuthStrategy,
} from './extensions';
export type { KratixClusterDetails, KratixClusterAuth } from './clusterDetails';
export { urlKubeConfig } from './authStrategies';
export {
  DefaultKratixClusterService,
  refNotFound,
  type RefNotFoundReason,
  type KratixClusterService,
  type CreateResourceInput,
  type ResolvedResource,
  type ResourceChange,
  type ResourceKind,
  type DefaultKratixClusterServiceOptions,
} from './KratixClusterService';
export {
  readClusterConfigs,
  readCreationBounds,
  type CreationBounds,
} from './clusterConfig';
export { KratixClusterUnavailableError, toClusterError } from './clusterErrors';
export type { WatchChange } from './KindWatcher';
