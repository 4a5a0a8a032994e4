/*
 * The Events Kratix records while scheduling (reason, type, message, reporting controller), on the
 * Work and on its WorkPlacement, for each outcome: scheduled, misplaced, unhealthy, pending.
 */
import type { KubeObject } from '../../store/types';
import { EVENT_KEY } from '../common/constants';
import {
  startSchedulingHarness,
  type SchedulingHarness,
} from './__testUtils__/schedulingHarness';

let h: SchedulingHarness;
afterEach(async () => {
  await h?.stop();
});

const workOf = (name: string) => h.worksOf(name)[0];
const placementOf = (work: KubeObject) => h.placementsOf(work)[0];

/** `type reason (reporter): message` of the Events about `object`, oldest first. */
const eventsAbout = (object: KubeObject) =>
  h.store
    .list(EVENT_KEY, { namespace: 'default' })
    .items.filter(e => (e.involvedObject as any).uid === object.metadata.uid)
    .map(e => `${e.type} ${e.reason} (${e.reportingComponent}): ${e.message}`);

describe('scheduling events', () => {
  it('records the placement and the write of a scheduled Work', async () => {
    h = await startSchedulingHarness();
    await h.createRedis('example');
    const work = workOf('example');
    const wp = placementOf(work);
    expect(eventsAbout(work)).toEqual(
      expect.arrayContaining([
        `Normal WorkplacementReconciled (Scheduler): workplacement reconciled: ${wp.metadata.name}, operation: created`,
        'Normal AllWorkplacementsScheduled (Scheduler): All workplacements scheduled successfully',
      ]),
    );
    expect(eventsAbout(wp)).toEqual([
      'Normal WorkloadsWrittenToStateStore (WorkPlacementController): successfully written to Destination: dev',
    ]);
    const written = h.store
      .list(EVENT_KEY, { namespace: 'default' })
      .items.find(e => e.reason === 'WorkloadsWrittenToStateStore')!;
    expect(written.involvedObject).toMatchObject({
      apiVersion: 'platform.kratix.io/v1alpha1',
      kind: 'WorkPlacement',
      name: wp.metadata.name,
      namespace: 'default',
    });
  });

  it('records DestinationSelectorMismatch on the Work and its WorkPlacement when the Destination is relabelled', async () => {
    h = await startSchedulingHarness();
    await h.createRedis('example');
    const work = workOf('example');
    const groupId = (work.spec as any).workloadGroups[0].id;

    await h.editDestination('dev', d => {
      d.metadata.labels = { environment: 'staging' };
    });
    expect(eventsAbout(work)).toContain(
      `Warning DestinationSelectorMismatch (Scheduler): Target destination no longer matches destinationSelectors for workloadGroups: [${groupId}] `,
    );
    expect(eventsAbout(placementOf(work))).toContain(
      'Warning DestinationSelectorMismatch (Scheduler): labels for destination: dev no longer match the expected labels, marking this workplacement as misplaced',
    );
  });

  it('records the failed write and WorkplacementsFailing while the Destination is unhealthy', async () => {
    h = await startSchedulingHarness();
    await h.createRedis('example');
    const work = workOf('example');
    const wp = placementOf(work);

    await h.editDestination('dev', d => {
      d.metadata.annotations = { 'sandbox.kratix.io/unhealthy': 'true' };
    });
    expect(eventsAbout(wp)).toContain(
      'Warning FailedWriteToDestination (WorkPlacementController): error writing to destination; check kubectl get destination for more info: state store of Destination dev is unreachable (sandbox.kratix.io/unhealthy)',
    );
    const failing = eventsAbout(work).filter(e =>
      e.startsWith('Warning WorkplacementsFailing'),
    );
    expect(failing).toEqual([
      `Warning WorkplacementsFailing (WorkController): Workplacements failed to write: [${wp.metadata.name}]`,
    ]);
  });

  it('records NoMatchingDestination and WaitingDestination while no Destination matches', async () => {
    h = await startSchedulingHarness();
    await h.editDestination('dev', d => {
      d.metadata.labels = { environment: 'staging' };
    });
    await h.createRedis('example');
    const work = workOf('example');
    const groupId = (work.spec as any).workloadGroups[0].id;
    expect(eventsAbout(work)).toEqual(
      expect.arrayContaining([
        `Normal NoMatchingDestination (Scheduler): waiting for a destination with labels for workloadGroup: ${groupId}`,
        `Normal WaitingDestination (WorkController): waiting for destination for workload group: [${groupId}]`,
      ]),
    );
    expect(eventsAbout(work).join('\n')).not.toContain(
      'AllWorkplacementsScheduled',
    );
  });
});
