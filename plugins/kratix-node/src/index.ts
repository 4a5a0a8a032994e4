/**
 * The Kratix cluster service shared by every Kratix backend feature.
 *
 * @packageDocumentation
 */
export { kratixClusterServiceRef } from './serviceRef';
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
  type ClusterConfig,
  type CreationBounds,
} from './clusterConfig';
export { KratixClusterUnavailableError, toClusterError } from './clusterErrors';
export * from './permissions';
