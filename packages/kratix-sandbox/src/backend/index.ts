export { kratixSandboxPlugin } from './sandboxPlugin';
export {
  kratixSandboxServiceRef,
  type KratixSandboxService,
} from './sandboxService';
export { kratixSandboxClusterSupplier } from './clusterSupplier';
export { kratixSandboxFeatures } from './features';
export { sandboxClusterDetails } from './clusterDetails';
