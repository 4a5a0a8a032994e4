/**
 * The sandbox as a Backstage backend plugin: `backend.add(import('@kratix-backstage/sandbox/backend'))`
 * starts it with the backend when `kratix.sandbox.enabled` is true and supplies it to the Kratix
 * cluster service as the cluster `sandbox`.
 *
 * @packageDocumentation
 */
export { kratixSandboxFeatures as default } from './features';
export { kratixSandboxPlugin } from './sandboxPlugin';
export {
  kratixSandboxServiceRef,
  type KratixSandboxService,
} from './sandboxService';
export { kratixSandboxClusterSupplier } from './clusterSupplier';
export { kratixSandboxFeatures } from './features';
export { sandboxClusterDetails } from './clusterDetails';
