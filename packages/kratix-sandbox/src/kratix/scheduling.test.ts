import fs from 'node:fs';
import path from 'node:path';
import type { KubeObject } from '../store/types';
import {
  conditionOf,
  Harness,
  readSeed,
  startHarness,
  tempDir,
} from './__testUtils__/harness';
import {
  DESTINATION_KEY,
  WORK_KEY,
  WORKPLACEMENT_KEY,
} from './schedulingTypes';
import { clone } from './storeUtil';
import { matchingDestinations } from './scheduler';

const PROMISES = { group: 'platform.kratix.io', plural: 'promises' };
const REDIS = { group: 'marketplace.kratix.io', plural: 'redis' };

let h: Harness;
let workDir: string;
afterEach(async () => {
  await h?.stop();
});

async function start() {
  workDir = tempDir();
  h = startHarness(undefined, 5, { workDir });
  for (const env of ['dev', 'prod'])
    h.store.create(DESTINATION_KEY, readSeed(`destinations/${env}.yaml`));
  h.store.create(PROMISES, readSeed('promises/redis.yaml'));
  await h.emulator.idle();
}

async function createRedis(name: string) {
  const rr = readSeed('resources/redis-example.yaml');
  rr.metadata = { name, namespace: 'default' };
  h.store.create(REDIS, rr);
  await h.emulator.idle();
}

async function editDestination(name: string, edit: (d: KubeObject) => void) {
  const next = clone(h.store.get(DESTINATION_KEY, undefined, name)!);
  edit(next);
  h.store.update(DESTINATION_KEY, next);
  await h.emulator.idle();
}

const redis = (name: string) => h.store.get(REDIS, 'default', name)!;
const worksOf = (name: string) =>
  h.store.list(WORK_KEY, {
    namespace: 'default',
    labelSelector: `kratix.io/resource-name=${name}`,
  }).items;
const placementsOf = (work: KubeObject) =>
  h.store.list(WORKPLACEMENT_KEY, {
    namespace: 'default',
    labelSelector: `kratix.io/work=${work.metadata.name}`,
  }).items;
const summary = (o: KubeObject, type: string) => {
  const c = conditionOf(o, type);
  return c && `${c.status}/${c.reason}/${c.message}`;
};

describe('scheduling', () => {
  it('builds a Work from the pipeline output and places it on the matching Destination', async () => {
    await start();
    await createRedis('example');

    const [work] = worksOf('example');
    expect(work.metadata.name).toMatch(
      /^redis-example-instance-configure-[0-9a-f]{5}$/,
    );
    expect(work.metadata.labels).toEqual({
      'kratix.io/promise-name': 'redis',
      'kratix.io/resource-name': 'example',
      'kratix.io/pipeline-name': 'instance-configure',
      'kratix.io/work-type': 'resource',
    });
    const spec = work.spec as any;
    expect(spec.promiseName).toBe('redis');
    expect(spec.resourceName).toBe('example');
    expect(spec.workloadGroups).toHaveLength(1);
    expect(spec.workloadGroups[0].directory).toBe('.');
    expect(spec.workloadGroups[0].destinationSelectors).toEqual([
      { matchLabels: { environment: 'dev' }, source: 'promise' },
    ]);
    expect(summary(work, 'Ready')).toBe(
      'True/AllWorkplacementsScheduled/Ready',
    );

    const [wp] = placementsOf(work);
    expect((wp.spec as any).targetDestinationName).toBe('dev'); // the Promise selects environment=dev
    expect(summary(wp, 'ScheduleSucceeded')).toBe(
      'True/ScheduledToDestination/Scheduled to correct Destination',
    );
    expect(summary(wp, 'WriteSucceeded')).toBe(
      'True/WorkloadsWrittenToStateStore/Workloads written to State Store',
    );
    const dir = path.join(
      workDir,
      'state-store/dev/resources/default/redis/example/instance-configure',
      spec.workloadGroups[0].id.slice(0, 5),
    );
    expect(
      fs.readFileSync(path.join(dir, 'redis-failover.yaml'), 'utf8'),
    ).toContain('kind: RedisFailover');

    expect(summary(redis('example'), 'WorksSucceeded')).toBe(
      'True/WorksSucceeded/All works associated with this resource are ready',
    );
    expect(summary(redis('example'), 'Reconciled')).toBe(
      'True/Reconciled/Reconciled',
    );
  });

  it('marks Works misplaced when their Destination is relabelled, and ready again when it matches', async () => {
    await start();
    await createRedis('example');
    const [work] = worksOf('example');

    await editDestination('dev', d => {
      d.metadata.labels = { environment: 'staging' };
    });
    const [wp] = placementsOf(work);
    expect(wp.metadata.labels?.['kratix.io/misplaced']).toBe('true');
    expect((wp.spec as any).targetDestinationName).toBe('dev'); // Kratix never moves a Resource's Work
    expect(summary(worksOf('example')[0], 'Ready')).toBe(
      'False/Misplaced/Misplaced',
    );
    expect(summary(redis('example'), 'WorksSucceeded')).toBe(
      `False/WorksMisplaced/Some works associated with this resource are misplaced: [${work.metadata.name}]`,
    );
    expect(summary(redis('example'), 'Reconciled')).toBe(
      'False/WorksFailing/Failing',
    );

    await editDestination('dev', d => {
      d.metadata.labels = { environment: 'dev' };
    });
    expect(summary(worksOf('example')[0], 'Ready')).toBe(
      'True/AllWorkplacementsScheduled/Ready',
    );
    expect(summary(redis('example'), 'Reconciled')).toBe(
      'True/Reconciled/Reconciled',
    );
  });

  it('reports WorksFailing while the Destination is unhealthy', async () => {
    await start();
    await createRedis('example');
    const [work] = worksOf('example');

    await editDestination('dev', d => {
      d.metadata.annotations = { 'sandbox.kratix.io/unhealthy': 'true' };
    });
    expect(
      summary(placementsOf(work)[0], 'WriteSucceeded')?.startsWith(
        'False/WorkloadsFailedWrite/',
      ),
    ).toBe(true);
    expect(summary(worksOf('example')[0], 'Ready')).toBe(
      'False/WorkplacementsFailing/Failing',
    );
    expect(summary(redis('example'), 'WorksSucceeded')).toBe(
      `False/WorksFailing/Some works associated with this resource failed: [${work.metadata.name}]`,
    );
    expect(summary(redis('example'), 'Reconciled')).toBe(
      'False/WorksFailing/Failing',
    );

    await editDestination('dev', d => {
      d.metadata.annotations = {};
    });
    expect(summary(redis('example'), 'WorksSucceeded')).toBe(
      'True/WorksSucceeded/All works associated with this resource are ready',
    );
    expect(summary(redis('example'), 'Reconciled')).toBe(
      'True/Reconciled/Reconciled',
    );
  });

  it('keeps a Work pending without a matching Destination and places it once one matches', async () => {
    await start();
    await editDestination('dev', d => {
      d.metadata.labels = { environment: 'staging' };
    });
    await createRedis('example');
    const [work] = worksOf('example');
    expect(placementsOf(work)).toEqual([]);
    expect(summary(work, 'ScheduleSucceeded')).toMatch(
      /^False\/UnscheduledWorkloads\/No matching destination found for workloadGroups: \[[0-9a-f]{32}\]$/,
    );
    expect(summary(redis('example'), 'WorksSucceeded')).toBe(
      `Unknown/WorksPending/Some works associated with this resource are not ready: [${work.metadata.name}]`,
    );
    // Kratix leaves an Unknown Reconciled as it is, so the run's WorkflowPending reason stays.
    expect(summary(redis('example'), 'Reconciled')).toBe(
      'Unknown/WorkflowPending/Pending',
    );

    await editDestination('prod', d => {
      d.metadata.labels = { environment: 'dev' };
    });
    expect((placementsOf(work)[0].spec as any).targetDestinationName).toBe(
      'prod',
    );
    expect(summary(redis('example'), 'Reconciled')).toBe(
      'True/Reconciled/Reconciled',
    );
  });

  it('honours strictMatchLabels for workloads without selectors', async () => {
    await start();
    expect(
      matchingDestinations(h.store, {})
        .map(d => d.metadata.name)
        .sort(),
    ).toEqual(['dev', 'prod']);
    await editDestination('prod', d => {
      (d.spec as any).strictMatchLabels = true;
    });
    expect(matchingDestinations(h.store, {}).map(d => d.metadata.name)).toEqual(
      ['dev'],
    );
    expect(
      matchingDestinations(h.store, { environment: 'prod' }).map(
        d => d.metadata.name,
      ),
    ).toEqual(['prod']);
  });

  it("collects a deleted Work's placements and removes what they wrote from the state store", async () => {
    await start();
    await createRedis('example');
    const [work] = worksOf('example');
    const [wp] = placementsOf(work);
    const dir = path.join(
      workDir,
      'state-store/dev/resources/default/redis/example/instance-configure',
    );
    expect(fs.existsSync(dir)).toBe(true);

    h.store.delete(WORK_KEY, 'default', work.metadata.name);
    await h.emulator.idle();

    expect(
      h.store.get(WORKPLACEMENT_KEY, 'default', wp.metadata.name),
    ).toBeUndefined();
    expect(fs.existsSync(dir) ? fs.readdirSync(dir) : []).toEqual([]);
  });
});
