/*
 * What `backend.add(import('@kratix-backstage/sandbox/backend'))` installs: the plugin that starts the
 * sandbox with the backend, and the supplier that makes it a cluster of the Kratix cluster service.
 */
import { createBackendFeatureLoader } from '@backstage/backend-plugin-api';
import { kratixSandboxClusterSupplier } from './clusterSupplier';
import { kratixSandboxPlugin } from './sandboxPlugin';

/**
 * The sandbox plugin and its cluster supplier, as one feature.
 *
 * @public
 */
export const kratixSandboxFeatures = createBackendFeatureLoader({
  *loader() {
    yield kratixSandboxPlugin;
    yield kratixSandboxClusterSupplier;
  },
});
