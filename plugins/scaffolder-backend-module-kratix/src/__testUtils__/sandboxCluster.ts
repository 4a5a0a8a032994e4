/*
 * A real Kratix cluster service against the sandbox over HTTPS, with two test-only Promises besides
 * the seeded ones: `flaky-db`, whose pipeline always fails, and `stuck-queue`, whose pipeline never
 * ends (the sandbox kills it on close). Their pipelines are local executables, as the sandbox runs
 * every pipeline.
 */
import { mockServices } from '@backstage/backend-test-utils';
import {
  DefaultKratixClusterService,
  type CreationBounds,
  type KratixClusterDelivery,
} from '@kratix-backstage/plugin-kratix-node';
import {
  DEFAULT_PIPELINES_DIR,
  startSandbox,
  type Sandbox,
} from '@kratix-backstage/sandbox';
import { sandboxClusterDetails } from '@kratix-backstage/sandbox/backend';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const testPromise = (name: string, kind: string, image: string) => `
apiVersion: platform.kratix.io/v1alpha1
kind: Promise
metadata:
  name: ${name}
spec:
  api:
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata:
      name: ${name}s.test.kratix.io
    spec:
      group: test.kratix.io
      names:
        kind: ${kind}
        plural: ${name}s
      scope: Namespaced
      versions:
        - name: v1alpha1
          served: true
          storage: true
          schema:
            openAPIV3Schema:
              type: object
              properties:
                spec:
                  type: object
                  properties:
                    size:
                      type: string
                      default: small
  workflows:
    resource:
      configure:
        - apiVersion: platform.kratix.io/v1alpha1
          kind: Pipeline
          metadata:
            name: instance-configure
          spec:
            containers:
              - name: main
                image: ${image}
`;

export interface SandboxCluster {
  sandbox: Sandbox;
  clusters: DefaultKratixClusterService;
  close(): Promise<void>;
}

export async function startSandboxCluster(
  bounds: CreationBounds = { allowedNamespaces: ['default'] },
  options: {
    /** The cluster's `delivery` (Git delivery of requests); direct when omitted. */
    delivery?: KratixClusterDelivery;
    /**
     * The sandbox's requests repository, synced only on `sandbox.git.sync()`, and the cluster's
     * delivery `gitops` into it (over `delivery`).
     */
    gitops?: boolean;
  } = {},
): Promise<SandboxCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kratix-scaffolder-'));
  const pipelines = path.join(dir, 'pipelines');
  const promises = path.join(dir, 'promises');
  fs.cpSync(DEFAULT_PIPELINES_DIR, pipelines, { recursive: true });
  fs.writeFileSync(
    path.join(pipelines, 'always-fail'),
    '#!/usr/bin/env bash\necho "flaky-db: could not provision the database" >&2\nexit 1\n',
    { mode: 0o755 },
  );
  fs.writeFileSync(
    path.join(pipelines, 'never-ends'),
    '#!/usr/bin/env bash\nsleep 3600\n',
    { mode: 0o755 },
  );
  fs.mkdirSync(promises);
  fs.writeFileSync(
    path.join(promises, 'flaky-db.yaml'),
    testPromise('flaky-db', 'FlakyDatabase', 'test.local/always-fail:v1'),
  );
  fs.writeFileSync(
    path.join(promises, 'stuck-queue.yaml'),
    testPromise('stuck-queue', 'StuckQueue', 'test.local/never-ends:v1'),
  );

  const sandbox = await startSandbox({
    stepDelayMs: 20,
    pipelinesDir: pipelines,
    loadDirs: [promises],
    ...(options.gitops ? { git: { intervalSeconds: 0 } } : {}),
  });
  await sandbox.ready;
  const delivery: KratixClusterDelivery | undefined = sandbox.git
    ? {
        mode: 'gitops',
        repository: sandbox.git.url,
        branch: sandbox.git.branch,
        path: sandbox.git.path,
        // The sandbox Git server's commit page.
        commitUrlTemplate: '{repository}.git/commit/{sha}',
        promises: {},
      }
    : options.delivery;
  const clusters = await DefaultKratixClusterService.create({
    clusters: [
      {
        ...sandboxClusterDetails(sandbox, { requestTimeoutMs: 5000 }),
        ...(delivery ? { delivery } : {}),
      },
    ],
    bounds,
    logger: mockServices.logger.mock(),
  });
  clusters.start();
  return {
    sandbox,
    clusters,
    async close() {
      await clusters.stop();
      await sandbox.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
