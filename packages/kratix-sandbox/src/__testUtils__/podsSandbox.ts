/*
 * A sandbox for the pipeline Pod and log tests: the seeded Promises only (no seeded Resources, so
 * nothing runs that a test did not start), a kubeconfig, and a FIFO that holds every
 * `sandbox.kratix.io/simulate: slow` run until the test releases it (pipelines/README.md).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  DEFAULT_SEED_DIR,
  startSandbox,
  type Sandbox,
  type SandboxOptions,
} from '../sandbox';
import type { KubeObject } from '../store/types';

const POD_KEY = { group: '', plural: 'pods' };

export interface PodsSandbox {
  sandbox: Sandbox;
  dir: string;
  kubeconfig: string;
  /** Creates a jenkins or redis Resource in `default`. */
  create(
    kind: 'jenkins' | 'redis',
    name: string,
    simulate?: 'fail' | 'slow',
  ): void;
  /** The first pipeline Pod of the Resource that satisfies `test`, as soon as one does. */
  untilPod(
    resourceName: string,
    test: (pod: KubeObject) => boolean,
  ): Promise<KubeObject>;
  /** Ends one held (`slow`) pipeline run. */
  release(): Promise<void>;
  close(): Promise<void>;
}

/** The state of one container of a Pod (init or main). */
export function containerState(
  pod: KubeObject,
  name: string,
): Record<string, any> | undefined {
  const status = (pod.status ?? {}) as Record<string, any[] | undefined>;
  return [
    ...(status.initContainerStatuses ?? []),
    ...(status.containerStatuses ?? []),
  ].find(c => c.name === name)?.state;
}

export async function startPodsSandbox(
  options: Pick<SandboxOptions, 'jobsToKeep'> = {},
): Promise<PodsSandbox> {
  const dir = await mkdtemp(join(tmpdir(), 'sandbox-pods-'));
  const fifo = join(dir, 'hold');
  await promisify(execFile)('mkfifo', [fifo]);
  const kubeconfig = join(dir, 'kubeconfig');
  const sandbox = await startSandbox({
    seed: false,
    loadDirs: [join(DEFAULT_SEED_DIR, 'promises')],
    stepDelayMs: 20,
    kubeconfigPath: kubeconfig,
    pipelineEnv: { KRATIX_SANDBOX_SLOW_PIPELINE_FIFO: fifo },
    ...options,
  });
  await sandbox.ready;
  await sandbox.emulator.idle();
  const { store } = sandbox;
  return {
    sandbox,
    dir,
    kubeconfig,
    create(kind, name, simulate) {
      store.create(
        { group: 'marketplace.kratix.io', plural: kind },
        {
          apiVersion: 'marketplace.kratix.io/v1alpha1',
          kind,
          metadata: {
            name,
            namespace: 'default',
            ...(simulate
              ? { annotations: { 'sandbox.kratix.io/simulate': simulate } }
              : {}),
          },
          spec: kind === 'redis' ? { size: 'small' } : { env: 'dev' },
        },
      );
    },
    untilPod(resourceName, test) {
      const matches = (pod: KubeObject) =>
        pod.metadata.labels?.['kratix.io/resource-name'] === resourceName &&
        test(pod);
      return new Promise(resolve => {
        // Subscribed first, then the current Pods checked: no change can fall in between.
        const unsubscribe = store.subscribe(change => {
          if (
            change.type !== 'DELETED' &&
            change.resourceType.plural === 'pods' &&
            matches(change.object)
          ) {
            unsubscribe();
            resolve(change.object);
          }
        });
        const found = store
          .list(POD_KEY, { namespace: 'default' })
          .items.find(matches);
        if (found) {
          unsubscribe();
          resolve(found);
        }
      });
    },
    async release() {
      // Asynchronous: opening a FIFO for writing waits for its reader, off the event loop.
      await writeFile(fifo, 'go\n');
    },
    async close() {
      await sandbox.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
