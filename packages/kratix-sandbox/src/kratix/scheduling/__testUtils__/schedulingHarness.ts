/*
 * The scheduling tests' set-up: the emulator with the seeded `dev` and `prod` Destinations and the
 * redis Promise (which selects `environment: dev`), and the reads and edits those tests share.
 */
import type { KubeObject } from '../../../store/types';
import { PROMISE_KEY } from '../../common/constants';
import {
  DESTINATION_KEY,
  WORK_KEY,
  WORKPLACEMENT_KEY,
} from '../schedulingTypes';
import { clone } from '../../common/storeUtil';
import {
  Harness,
  readSeed,
  startHarness,
  tempDir,
} from '../../__testUtils__/harness';

export const REDIS = { group: 'marketplace.kratix.io', plural: 'redis' };

export interface SchedulingHarness extends Harness {
  /** The work dir; its `state-store/` holds what placements wrote. */
  workDir: string;
  /** Requests a redis in `default` and waits until the emulator is idle. */
  createRedis(name: string): Promise<void>;
  /** Replaces a Destination with an edited copy and waits until the emulator is idle. */
  editDestination(name: string, edit: (d: KubeObject) => void): Promise<void>;
  /** The Works of a redis in `default`. */
  worksOf(name: string): KubeObject[];
  /** A Work's WorkPlacements. */
  placementsOf(work: KubeObject): KubeObject[];
}

export async function startSchedulingHarness(): Promise<SchedulingHarness> {
  const workDir = tempDir();
  const h = startHarness(undefined, 5, { workDir });
  for (const env of ['dev', 'prod'])
    h.store.create(DESTINATION_KEY, readSeed(`destinations/${env}.yaml`));
  h.store.create(PROMISE_KEY, readSeed('promises/redis.yaml'));
  await h.emulator.idle();
  return {
    ...h,
    workDir,
    async createRedis(name) {
      const rr = readSeed('resources/redis-example.yaml');
      rr.metadata = { name, namespace: 'default' };
      h.store.create(REDIS, rr);
      await h.emulator.idle();
    },
    async editDestination(name, edit) {
      const next = clone(h.store.get(DESTINATION_KEY, undefined, name)!);
      edit(next);
      h.store.update(DESTINATION_KEY, next);
      await h.emulator.idle();
    },
    worksOf: name =>
      h.store.list(WORK_KEY, {
        namespace: 'default',
        labelSelector: `kratix.io/resource-name=${name}`,
      }).items,
    placementsOf: work =>
      h.store.list(WORKPLACEMENT_KEY, {
        namespace: 'default',
        labelSelector: `kratix.io/work=${work.metadata.name}`,
      }).items,
  };
}
