import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  kratixClusterServiceRef,
  type KratixClusterService,
} from '@kratix-backstage/plugin-kratix-node';
import { kratixSandboxFeatures } from './features';

/** A backend with the sandbox's features and a plugin that receives the Kratix cluster service. */
async function startWithSandbox(sandbox: { enabled: boolean; seed?: boolean }) {
  let clusters: KratixClusterService | undefined;
  const backend = await startTestBackend({
    features: [
      kratixSandboxFeatures,
      mockServices.rootConfig.factory({ data: { kratix: { sandbox } } }),
      createBackendPlugin({
        pluginId: 'probe',
        register(env) {
          env.registerInit({
            deps: { service: kratixClusterServiceRef },
            async init({ service }) {
              clusters = service;
            },
          });
        },
      }),
    ],
  });
  return { backend, clusters: clusters! };
}

describe('the sandbox as a cluster of the Kratix cluster service', () => {
  it('is supplied as the cluster "sandbox", reachable over its own HTTPS with its token', async () => {
    // No seed: stopping the sandbox while seeded workflows run does not finish (a pipeline-runner
    // matter); an empty sandbox still answers every call a wrong URL, CA or token would fail.
    const { backend, clusters } = await startWithSandbox({
      enabled: true,
      seed: false,
    });
    try {
      expect(clusters.clusters()).toEqual([
        {
          name: 'sandbox',
          title: 'Sandbox platform (emulated Kratix)',
          sandbox: true,
        },
      ]);
      expect(clusters.defaultCluster()).toBe('sandbox');
      // Listing answers without a per-cluster error only with the sandbox's own URL, CA and token.
      await expect(clusters.listPromises()).resolves.toEqual({
        items: [],
        errors: [],
      });
    } finally {
      await backend.stop();
    }
  }, 30_000);

  it('supplies nothing while the sandbox is disabled', async () => {
    const { backend, clusters } = await startWithSandbox({ enabled: false });
    try {
      expect(clusters.clusters()).toEqual([]);
    } finally {
      await backend.stop();
    }
  });
});
