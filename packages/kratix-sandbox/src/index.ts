/**
 * The sandbox platform: an emulated Kratix platform cluster that speaks the real Kubernetes API.
 *
 * @packageDocumentation
 */
export {
  startSandbox,
  DEFAULT_PIPELINES_DIR,
  DEFAULT_SEED_DIR,
  type Sandbox,
  type SandboxOptions,
} from './sandbox';
export {
  scalePromise,
  installScalePromises,
  addScaleResources,
  type ScaleRange,
} from './scale';
export { kratixSandboxFeatures as default } from './backend';
export {
  kratixSandboxFeatures,
  kratixSandboxPlugin,
  kratixSandboxClusterSupplier,
  kratixSandboxServiceRef,
  sandboxClusterDetails,
  type KratixSandboxService,
} from './backend';
export type {
  KubeObject,
  ObjectMeta,
  TypeHooks,
  PrinterColumn,
  StatusCause,
  WatchEventType,
  Store,
  StoreChange,
  ResourceType,
  TypeKey,
  ListOptions,
  ListResult,
  WriteOptions,
  PatchType,
  DeleteOptions,
  WatchOptions,
  WatchEvent,
} from './store';
export type { TlsOptions } from './apiserver';
export type { Logger } from './kratix';
