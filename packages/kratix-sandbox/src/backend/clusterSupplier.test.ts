import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  kratixClusterServiceRef,
  type KratixClusterService,
} from '@kratix-backstage/plugin-kratix-node';
import { describeWithGit } from '../__testUtils__/git';
import type { Sandbox } from '../sandbox';
import { kratixSandboxFeatures } from './features';
import { kratixSandboxServiceRef } from './sandboxService';

/**
 * A backend with the sandbox's features and a plugin that receives the Kratix cluster service
 * and the sandbox it started.
 */
async function startWithSandbox(sandbox: {
  enabled: boolean;
  seed?: boolean;
  git?: Record<string, string | number | boolean | string[]>;
}) {
  let clusters: KratixClusterService | undefined;
  let started: Sandbox | undefined;
  const backend = await startTestBackend({
    features: [
      kratixSandboxFeatures,
      mockServices.rootConfig.factory({ data: { kratix: { sandbox } } }),
      createBackendPlugin({
        pluginId: 'probe',
        register(env) {
          env.registerInit({
            deps: {
              service: kratixClusterServiceRef,
              sandboxService: kratixSandboxServiceRef,
            },
            async init({ service, sandboxService }) {
              clusters = service;
              started = await sandboxService.getSandbox();
            },
          });
        },
      }),
    ],
  });
  return { backend, clusters: clusters!, sandbox: started };
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

describeWithGit("the sandbox cluster's delivery through its Git server", () => {
  jest.setTimeout(60_000);

  /** The target a Git-delivered request to the sandbox goes to, on this sandbox's Git server. */
  const gitops = (git: NonNullable<Sandbox['git']>) => ({
    mode: 'gitops',
    repository: git.url,
    branch: 'main',
    path: 'kratix-requests',
    // The Git server's commit page, `{repository}` being the URL without `.git`.
    commitUrlTemplate: '{repository}.git/commit/{sha}',
  });

  it('sends only the Promises in gitopsPromises through Git while delivery is direct', async () => {
    const { backend, clusters, sandbox } = await startWithSandbox({
      enabled: true,
      seed: false,
      git: {
        enabled: true,
        intervalSeconds: 0,
        delivery: 'direct',
        gitopsPromises: ['elastic-cloud'],
      },
    });
    try {
      expect(sandbox!.git!.url).toMatch(
        /^http:\/\/127\.0\.0\.1:\d+\/kratix-requests\.git$/,
      );
      expect(clusters.deliveryFor('sandbox', 'elastic-cloud')).toEqual(
        gitops(sandbox!.git!),
      );
      // Every other Promise still goes straight to the sandbox's API.
      expect(clusters.deliveryFor('sandbox', 'redis')).toBeUndefined();
      expect(clusters.deliveryFor('sandbox', 'jenkins')).toBeUndefined();
    } finally {
      await backend.stop();
    }
  });

  it('sends every Promise through Git when delivery is gitops', async () => {
    const { backend, clusters, sandbox } = await startWithSandbox({
      enabled: true,
      seed: false,
      git: { enabled: true, intervalSeconds: 0, delivery: 'gitops' },
    });
    try {
      expect(clusters.deliveryFor('sandbox', 'redis')).toEqual(
        gitops(sandbox!.git!),
      );
      expect(clusters.deliveryFor('sandbox', 'elastic-cloud')).toEqual(
        gitops(sandbox!.git!),
      );
    } finally {
      await backend.stop();
    }
  });

  it('sends nothing through Git by default, gitopsPromises being ignored while the Git server is off', async () => {
    const on = await startWithSandbox({
      enabled: true,
      seed: false,
      git: { enabled: true, intervalSeconds: 0 },
    });
    try {
      expect(on.clusters.deliveryFor('sandbox', 'redis')).toBeUndefined();
    } finally {
      await on.backend.stop();
    }
    const off = await startWithSandbox({
      enabled: true,
      seed: false,
      git: { enabled: false, gitopsPromises: ['elastic-cloud'] },
    });
    try {
      expect(
        off.clusters.deliveryFor('sandbox', 'elastic-cloud'),
      ).toBeUndefined();
    } finally {
      await off.backend.stop();
    }
  });

  it.each([
    [
      { gitopsPromises: 'elastic-cloud' },
      "Invalid type in config for key 'kratix.sandbox.git.gitopsPromises'",
    ],
    [
      { gitopsPromises: [' '] },
      'Invalid config kratix.sandbox.git.gitopsPromises: a Promise name must not be empty',
    ],
  ])('stops the backend naming the key (%p)', async (git, message) => {
    await expect(
      startWithSandbox({
        enabled: true,
        seed: false,
        git: { enabled: true, intervalSeconds: 0, ...git },
      }),
    ).rejects.toThrow(message);
  });
});
