/*
 * Offers the running sandbox to the Kratix cluster service as one more cluster, reached like any
 * other: its URL, its self-signed certificate as the CA, and its token. The cluster service knows
 * nothing of the sandbox; `sandbox: true` only tells the UI to label the cluster as emulated.
 */
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { kratixClusterSupplierServiceRef } from '@kratix-backstage/plugin-kratix-node';
import { sandboxClusterDetails } from './clusterDetails';
import { kratixSandboxServiceRef } from './sandboxService';

/** The name users and annotations refer to the sandbox cluster by. */
export const SANDBOX_CLUSTER_NAME = 'sandbox';

/**
 * Supplies the sandbox (when `kratix.sandbox.enabled` is true) as the cluster named `sandbox`.
 *
 * @public
 */
export const kratixSandboxClusterSupplier = createServiceFactory({
  service: kratixClusterSupplierServiceRef,
  deps: { sandboxService: kratixSandboxServiceRef },
  async factory({ sandboxService }) {
    return {
      async getClusters() {
        const sandbox = await sandboxService.getSandbox();
        if (!sandbox) return [];
        return [sandboxClusterDetails(sandbox, { name: SANDBOX_CLUSTER_NAME })];
      },
    };
  },
});
