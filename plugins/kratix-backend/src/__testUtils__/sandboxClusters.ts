/*
 * The sandbox platform and the real cluster service connected to it (HTTPS, watch-fed caches), for
 * tests of what follows the cluster (the request tracker, waits).
 */
import { mockServices } from '@backstage/backend-test-utils';
import { DefaultKratixClusterService } from '@kratix-backstage/plugin-kratix-node';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- the sandbox platform, for tests only (a devDependency)
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- the sandbox platform, for tests only (a devDependency)
import { sandboxClusterDetails } from '@kratix-backstage/sandbox/backend';

export interface SandboxClusters {
  sandbox: Sandbox;
  clusters: DefaultKratixClusterService;
  close(): Promise<void>;
}

export async function startSandboxClusters(
  options: Omit<Parameters<typeof startSandbox>[0], 'stepDelayMs'> = {},
): Promise<SandboxClusters> {
  const sandbox = await startSandbox({ stepDelayMs: 20, ...options });
  await sandbox.ready;
  const clusters = await DefaultKratixClusterService.create({
    clusters: [sandboxClusterDetails(sandbox, { requestTimeoutMs: 5000 })],
    bounds: { allowedNamespaces: ['default'] },
    logger: mockServices.logger.mock(),
    initialBackoffMs: 100,
  });
  clusters.start();
  return {
    sandbox,
    clusters,
    async close() {
      await clusters.stop();
      await sandbox.close();
    },
  };
}
