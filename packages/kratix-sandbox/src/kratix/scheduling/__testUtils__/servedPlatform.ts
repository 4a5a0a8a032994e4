/*
 * The emulated platform behind the real API server, for tests that drive Kratix through kubectl or
 * client-node: the seed's Destinations (dev, prod) and the given seeded Promises, a kubeconfig.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type RunningApiServer,
  startApiServer,
} from '../../../apiserver/ApiServer';
import { writeKubeconfig } from '../../../apiserver/kubeconfig';
import type { KubeObject } from '../../../store/types';
import { PROMISE_KEY } from '../../common/constants';
import { DESTINATION_KEY } from '../schedulingTypes';
import { clone } from '../../common/storeUtil';
import {
  type Harness,
  readSeed,
  startHarness,
} from '../../__testUtils__/harness';

export const SEEDED_PROMISES = [
  'elastic-cloud',
  'jenkins',
  'redis',
  'team-database',
] as const;

export interface ServedPlatform {
  h: Harness;
  server: RunningApiServer;
  /** A scratch folder: the kubeconfig, kubectl's cache. */
  dir: string;
  kubeconfig: string;
  close(): Promise<void>;
}

export async function startServedPlatform(
  promises: readonly string[] = ['redis'],
): Promise<ServedPlatform> {
  const h = startHarness(undefined, 5);
  for (const env of ['dev', 'prod'])
    h.store.create(DESTINATION_KEY, readSeed(`destinations/${env}.yaml`));
  for (const name of promises)
    h.store.create(PROMISE_KEY, readSeed(`promises/${name}.yaml`));
  await h.emulator.idle();
  const server = await startApiServer({ store: h.store });
  const dir = await mkdtemp(join(tmpdir(), 'sandbox-served-platform-'));
  const kubeconfig = join(dir, 'kubeconfig');
  await writeKubeconfig(kubeconfig, {
    url: server.url,
    token: server.token,
    certificate: server.certificate,
  });
  return {
    h,
    server,
    dir,
    kubeconfig,
    async close() {
      await server.close();
      await h.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** dev and prod as seeded (labels, no annotations), and the controllers done reacting. */
export async function resetDestinations(h: Harness): Promise<void> {
  for (const name of ['dev', 'prod']) {
    const seeded = readSeed(`destinations/${name}.yaml`);
    const current = h.store.get(DESTINATION_KEY, undefined, name)!;
    const next: KubeObject = clone(current);
    next.metadata.labels = seeded.metadata.labels;
    delete next.metadata.annotations;
    h.store.update(DESTINATION_KEY, next);
  }
  await h.emulator.idle();
}

/** A Resource of the seeded redis Promise, as YAML for kubectl. */
export function redisYaml(name: string): string {
  return `apiVersion: marketplace.kratix.io/v1alpha1
kind: redis
metadata:
  name: ${name}
  namespace: default
spec:
  size: small
`;
}
