import fs from 'node:fs';
import path from 'node:path';
import type { KubeObject } from '../../store/types';
import { conditionOf } from '../__testUtils__/harness';
import {
  REDIS,
  startSchedulingHarness,
  type SchedulingHarness,
} from './__testUtils__/schedulingHarness';
import { WORK_KEY, WORKPLACEMENT_KEY } from './schedulingTypes';
import { matchingDestinations } from './scheduler';

let h: SchedulingHarness;
afterEach(async () => {
  await h?.stop();
});

const redis = (name: string) => h.store.get(REDIS, 'default', name)!;
const summary = (o: KubeObject, type: string) => {
  const c = conditionOf(o, type);
  return c && `${c.status}/${c.reason}/${c.message}`;
};

describe('scheduling', () => {
  it('builds a Work from the pipeline output and places it on the matching Destination', async () => {
    h = await startSchedulingHarness();
    await h.createRedis('example');

    const [work] = h.worksOf('example');
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

    const [wp] = h.placementsOf(work);
    expect((wp.spec as any).targetDestinationName).toBe('dev'); // the Promise selects environment=dev
    expect(summary(wp, 'ScheduleSucceeded')).toBe(
      'True/ScheduledToDestination/Scheduled to correct Destination',
    );
    expect(summary(wp, 'WriteSucceeded')).toBe(
      'True/WorkloadsWrittenToStateStore/Workloads written to State Store',
    );
    const dir = path.join(
      h.workDir,
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
    h = await startSchedulingHarness();
    await h.createRedis('example');
    const [work] = h.worksOf('example');

    await h.editDestination('dev', d => {
      d.metadata.labels = { environment: 'staging' };
    });
    const [wp] = h.placementsOf(work);
    expect(wp.metadata.labels?.['kratix.io/misplaced']).toBe('true');
    expect((wp.spec as any).targetDestinationName).toBe('dev'); // Kratix never moves a Resource's Work
    expect(summary(h.worksOf('example')[0], 'Ready')).toBe(
      'False/Misplaced/Misplaced',
    );
    expect(summary(redis('example'), 'WorksSucceeded')).toBe(
      `False/WorksMisplaced/Some works associated with this resource are misplaced: [${work.metadata.name}]`,
    );
    expect(summary(redis('example'), 'Reconciled')).toBe(
      'False/WorksFailing/Failing',
    );

    await h.editDestination('dev', d => {
      d.metadata.labels = { environment: 'dev' };
    });
    expect(summary(h.worksOf('example')[0], 'Ready')).toBe(
      'True/AllWorkplacementsScheduled/Ready',
    );
    expect(summary(redis('example'), 'Reconciled')).toBe(
      'True/Reconciled/Reconciled',
    );
  });

  it('reports WorksFailing while the Destination is unhealthy', async () => {
    h = await startSchedulingHarness();
    await h.createRedis('example');
    const [work] = h.worksOf('example');

    await h.editDestination('dev', d => {
      d.metadata.annotations = { 'sandbox.kratix.io/unhealthy': 'true' };
    });
    expect(
      summary(h.placementsOf(work)[0], 'WriteSucceeded')?.startsWith(
        'False/WorkloadsFailedWrite/',
      ),
    ).toBe(true);
    expect(summary(h.worksOf('example')[0], 'Ready')).toBe(
      'False/WorkplacementsFailing/Failing',
    );
    expect(summary(redis('example'), 'WorksSucceeded')).toBe(
      `False/WorksFailing/Some works associated with this resource failed: [${work.metadata.name}]`,
    );
    expect(summary(redis('example'), 'Reconciled')).toBe(
      'False/WorksFailing/Failing',
    );

    await h.editDestination('dev', d => {
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
    h = await startSchedulingHarness();
    await h.editDestination('dev', d => {
      d.metadata.labels = { environment: 'staging' };
    });
    await h.createRedis('example');
    const [work] = h.worksOf('example');
    expect(h.placementsOf(work)).toEqual([]);
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

    await h.editDestination('prod', d => {
      d.metadata.labels = { environment: 'dev' };
    });
    expect((h.placementsOf(work)[0].spec as any).targetDestinationName).toBe(
      'prod',
    );
    expect(summary(redis('example'), 'Reconciled')).toBe(
      'True/Reconciled/Reconciled',
    );
  });

  it('honours strictMatchLabels for workloads without selectors', async () => {
    h = await startSchedulingHarness();
    expect(
      matchingDestinations(h.store, {})
        .map(d => d.metadata.name)
        .sort(),
    ).toEqual(['dev', 'prod']);
    await h.editDestination('prod', d => {
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
    h = await startSchedulingHarness();
    await h.createRedis('example');
    const [work] = h.worksOf('example');
    const [wp] = h.placementsOf(work);
    const dir = path.join(
      h.workDir,
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
