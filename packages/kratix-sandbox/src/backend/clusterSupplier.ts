/*
 * Offers the running sandbox to the Kratix cluster service as one more cluster, reached like any
 * other: its URL, its self-signed certificate as the CA, and its token. The cluster service knows
 * nothing of the sandbox; `sandbox: true` only tells the UI to label the cluster as emulated.
 */
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { kratixClusterSupplierServiceRef } from '@kratix-backstage/plugin-kratix-node';
import { sandboxClusterDetails } from './clusterDetails';
import { kratixSandboxServiceRef } from './sandboxService';

/** The name users and annotations refer to the sandbox cluster by. */
export const SANDBOX_CLUSTER_NAME = 'sandbox';

/**
 * Supplies the sandbox (when `kratix.sandbox.enabled` is true) as the cluster named `sandbox`.
 * With its Git server on, `kratix.sandbox.git.delivery` is the cluster's delivery mode and
 * `kratix.sandbox.git.gitopsPromises` lists Promises whose requests go through Git whatever it is.
 *
 * @public
 */
export const kratixSandboxClusterSupplier = createServiceFactory({
  service: kratixClusterSupplierServiceRef,
  deps: {
    sandboxService: kratixSandboxServiceRef,
    config: coreServices.rootConfig,
  },
  async factory({ sandboxService, config }) {
    const delivery = config.getOptionalString('kratix.sandbox.git.delivery');
    if (delivery !== undefined && !['direct', 'gitops'].includes(delivery)) {
      throw new Error(
        `Invalid config kratix.sandbox.git.delivery: "${delivery}" (direct or gitops)`,
      );
    }
    const gitopsPromises =
      config.getOptionalStringArray('kratix.sandbox.git.gitopsPromises') ?? [];
    for (const promise of gitopsPromises) {
      if (!promise.trim()) {
        throw new Error(
          'Invalid config kratix.sandbox.git.gitopsPromises: a Promise name must not be empty',
        );
      }
    }
    const mode = (delivery ?? 'direct') as 'direct' | 'gitops';
    return {
      async getClusters() {
        const sandbox = await sandboxService.getSandbox();
        if (!sandbox) return [];
        const { git } = sandbox;
        return [
          sandboxClusterDetails(sandbox, {
            name: SANDBOX_CLUSTER_NAME,
            // Requests to the sandbox (all, or those of the listed Promises) as commits to its own
            // Git server, which its sync applies.
            ...(git && (mode === 'gitops' || gitopsPromises.length)
              ? {
                  delivery: {
                    mode,
                    repository: git.url,
                    branch: git.branch,
                    path: git.path.replace(/\/+$/, ''),
                    // The Git server's commit page (GET <repository>/commit/<sha>).
                    commitUrlTemplate: '{repository}.git/commit/{sha}',
                    promises: Object.fromEntries(
                      gitopsPromises.map(promise => [
                        promise,
                        { mode: 'gitops' as const },
                      ]),
                    ),
                  },
                }
              : {}),
          }),
        ];
      },
    };
  },
});
