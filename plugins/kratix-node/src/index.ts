/**
 * The Kratix cluster service shared by every Kratix backend feature, the service refs that add
 * clusters (suppliers) and ways to authenticate to them (auth strategies), and the create flow and
 * waiting every way of requesting a Resource uses.
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
export type {
  KratixClusterDetails,
  KratixClusterAuth,
  KratixClusterDelivery,
  KratixGitDeliveryTarget,
} from './clusterDetails';
export { manifestPath } from './creation/deliveryTarget';
export { urlKubeConfig } from './authStrategies';
export {
  KratixSignInRequiredError,
  type KratixCaller,
  type KratixClusterUserAuth,
  type KratixUserMapping,
} from './userAuth/clusterUserAuth';
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
export * from './permissions';
export { resourceViewOf } from './resourceView';
export {
  ResourceCreation,
  type CreateContext,
  type CreateResult,
  type KratixResourceCreationService,
  type KratixRequestDelivery,
  type PreparedRequest,
} from './creation/ResourceCreation';
export { kratixResourceCreationServiceRef } from './creation/serviceRef';
export {
  DefaultKratixCallerService,
  kratixCallerServiceRef,
  type KratixCallerService,
} from './creation/callerIdentity';
export {
  KratixWaitError,
  waitForResource,
  type KratixWaitFor,
  type WaitForResourceOptions,
  type WaitForResourceResult,
} from './wait/waitForResource';
export {
  watchRequestApplied,
  type KratixRequestAppliedHandlers,
  type KratixRequestTarget,
} from './wait/requestApplied';
export { ticketAfterRequest } from './wait/afterRequest';
export { describeCondition } from './wait/progress';
export {
  DefaultKratixWaitService,
  DEFAULT_KRATIX_WAIT_LIMITS,
  readWaitLimits,
  type KratixWaitLimits,
  type KratixWaitService,
  type KratixWaitTicket,
} from './wait/KratixWaits';
export { kratixWaitServiceRef } from './wait/serviceRef';
export { promiseNameOf } from './promiseName';
export { TtlCache } from './TtlCache';
export {
  EntityBinding,
  platformOwnerOf,
  type BindableObject,
  type EntityBindingResult,
} from './binding/EntityBinding';
export { entityOwners, specOwnerOf } from './binding/entityRefs';
export type { WatchChange } from './KindWatcher';
export {
  KratixPodLogError,
  type KratixPodLogFollow,
  type KratixPodLogRequest,
} from './PodLogs';
export type { KratixWorkflowRunInfo } from './workflowRuns';
export type { WorkChange } from './ResourceWorks';
export {
  GitRequestWriter,
  KratixDeliveryError,
  type GitPullRequestState,
  type GitWrite,
  type GitWriteResult,
} from './delivery';
