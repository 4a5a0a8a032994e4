import type { KratixTimelineEntry } from '@kratix-backstage/plugin-kratix-common';
import { redisView } from '../../__fixtures__';
import {
  MIN_AXIS_SPAN,
  layoutTimelineChart,
  deriveTimeline,
  laneName,
  lastRunDuration,
  niceTicks,
  workTone,
} from './model';

const now = Date.parse('2026-11-25T12:00:00Z');

describe('layoutTimelineChart', () => {
  it('puts the legacy workflow-completion condition first, then runs, then other conditions', () => {
    const entries: KratixTimelineEntry[] = [
      {
        time: '2023-01-01T11:59:00Z',
        source: 'event',
        title: 'Scheduled',
        status: 'Normal',
      },
      {
        time: '2023-01-01T11:59:30Z',
        source: 'condition',
        title: 'custom/Ready',
        status: 'True',
      },
      {
        time: '2023-01-01T11:58:00Z',
        source: 'job',
        title: 'instance-configure',
        status: 'Running',
      },
      {
        time: '2023-01-01T12:00:00Z',
        source: 'condition',
        title: 'PipelineCompleted',
        status: 'True',
        reason: 'PipelineExecutedSuccessfully',
      },
    ];
    const model = layoutTimelineChart(entries, {
      now,
      completionType: 'PipelineCompleted',
    });
    expect(model.lanes.map(l => l.title)).toEqual([
      'PipelineCompleted',
      'instance-configure',
      'custom/Ready',
      'Kubernetes events',
    ]);
    // a run with no end is still going: drawn up to now
    const run = model.lanes[1].items[0];
    expect(run.ongoing).toBe(true);
    expect(run.end).toBe(now);
    // a condition holds until now
    expect(model.lanes[0].items[0]).toMatchObject({
      ongoing: true,
      end: now,
      tone: 'ok',
    });
    // the run is still going: the axis runs from its start to now, with a little room either side
    const first = Date.parse('2023-01-01T11:58:00Z');
    expect(model.start).toBeLessThan(first);
    expect(first - model.start).toBeLessThan((now - first) * 0.1);
    expect(model.end).toBeGreaterThanOrEqual(now);
  });

  it('measures runs and condition spans', () => {
    const entries: KratixTimelineEntry[] = [
      {
        time: '2026-11-25T09:00:00Z',
        source: 'condition',
        title: 'ConfigureWorkflowCompleted',
        status: 'False',
        reason: 'PipelinesInProgress',
      },
      {
        time: '2026-11-25T09:02:30Z',
        source: 'condition',
        title: 'ConfigureWorkflowCompleted',
        status: 'True',
        reason: 'PipelinesExecutedSuccessfully',
      },
      {
        time: '2026-11-25T10:00:00Z',
        source: 'condition',
        title: 'ConfigureWorkflowCompleted',
        status: 'False',
        reason: 'ConfigureWorkflowFailed',
      },
    ];
    const model = layoutTimelineChart(entries, { now });
    const items = model.lanes[0].items;
    expect(items.map(i => i.tone)).toEqual(['progress', 'ok', 'error']);
    expect(items[0].end - items[0].start).toBe(150_000);
    // no job entries: the last run is measured from the completion condition
    expect(lastRunDuration(model)).toBe(150_000);

    const withRun = layoutTimelineChart(
      [
        ...entries,
        {
          time: '2026-11-25T09:00:05Z',
          source: 'job',
          title: 'p',
          status: 'Succeeded',
          endTime: '2026-11-25T09:01:17Z',
        },
      ],
      { now },
    );
    expect(lastRunDuration(withRun)).toBe(72_000);
  });
});

describe('the time axis', () => {
  const at = (time: string) => Date.parse(time);
  // A Resource requested at 09:00 and ready ten minutes later; its conditions still hold.
  const burst: KratixTimelineEntry[] = [
    { time: '2026-11-25T09:00:00Z', source: 'resource', title: 'Requested' },
    {
      time: '2026-11-25T09:00:02Z',
      source: 'job',
      title: 'instance-configure',
      status: 'Succeeded',
      endTime: '2026-11-25T09:09:00Z',
    },
    {
      time: '2026-11-25T09:10:00Z',
      source: 'condition',
      title: 'ConfigureWorkflowCompleted',
      status: 'True',
    },
  ];

  it('zooms to the activity, not to now, when now is long after it', () => {
    const model = layoutTimelineChart(burst, { now });
    expect(model.start).toBeLessThanOrEqual(at('2026-11-25T09:00:00Z'));
    expect(model.start).toBeGreaterThan(at('2026-11-25T08:59:00Z'));
    expect(model.end).toBeGreaterThanOrEqual(at('2026-11-25T09:10:00Z'));
    expect(model.end).toBeLessThan(at('2026-11-25T09:11:00Z'));
    // the condition still holds: its span runs on to now, past the axis' end
    const held = model.lanes[0].items[0];
    expect(held).toMatchObject({ ongoing: true, end: now });
  });

  it('takes in now when it is shortly after the activity', () => {
    const soon = at('2026-11-25T09:11:00Z');
    const model = layoutTimelineChart(burst, { now: soon });
    expect(model.end).toBeGreaterThanOrEqual(soon);
    expect(model.end - soon).toBeLessThan(60_000);
  });

  it('gives activity of a few seconds a readable minimum span', () => {
    const model = layoutTimelineChart(
      [
        {
          time: '2026-11-25T09:00:00Z',
          source: 'resource',
          title: 'Requested',
        },
        {
          time: '2026-11-25T09:00:03Z',
          source: 'condition',
          title: 'Reconciled',
          status: 'True',
        },
      ],
      { now },
    );
    const span = model.end - model.start;
    expect(span).toBeGreaterThanOrEqual(MIN_AXIS_SPAN);
    expect(span).toBeLessThan(2 * MIN_AXIS_SPAN);
    expect(model.start).toBeLessThanOrEqual(at('2026-11-25T09:00:00Z'));
    expect(model.end).toBeGreaterThanOrEqual(at('2026-11-25T09:00:03Z'));
  });

  it('puts ticks at round times inside the axis', () => {
    const model = layoutTimelineChart(burst, { now });
    expect(model.ticks.length).toBeGreaterThanOrEqual(3);
    const step = model.ticks[1] - model.ticks[0];
    for (const tick of model.ticks) {
      expect(tick).toBeGreaterThanOrEqual(model.start);
      expect(tick).toBeLessThanOrEqual(model.end);
      // round in local time
      const offset = new Date(tick).getTimezoneOffset() * 60_000;
      expect((tick - offset) % step).toBe(0);
    }
    // ten minutes of activity: ticks every two minutes, on the minute
    expect(step).toBe(120_000);
    expect(model.ticks.every(t => t % 60_000 === 0)).toBe(true);
    expect(niceTicks(0, 10_000)).toEqual([
      0, 2_000, 4_000, 6_000, 8_000, 10_000,
    ]);
  });
});

describe('lane labels', () => {
  const entries: KratixTimelineEntry[] = [
    { time: '2026-11-25T09:00:00Z', source: 'resource', title: 'Requested' },
    {
      time: '2026-11-25T09:00:01Z',
      source: 'event',
      title: 'Scheduled',
      status: 'Normal',
    },
    {
      time: '2026-11-25T09:00:02Z',
      source: 'job',
      title: 'instance-configure',
      status: 'Succeeded',
      endTime: '2026-11-25T09:00:30Z',
    },
    {
      time: '2026-11-25T09:00:31Z',
      source: 'condition',
      title: 'ConfigureWorkflowCompleted',
      status: 'True',
    },
    {
      time: '2026-11-25T09:00:31Z',
      source: 'condition',
      title: 'Reconciled',
      status: 'True',
    },
    {
      time: '2026-11-25T09:05:00Z',
      source: 'action',
      title: 'Paused',
      status: 'user:default/guest',
    },
  ];

  it('names every lane for what it shows: the spec and actions, Kubernetes events, each condition', () => {
    const model = layoutTimelineChart(entries, { now });
    expect(model.lanes.map(laneName)).toEqual([
      'ConfigureWorkflowCompleted (workflow completion)',
      'instance-configure (workflow run)',
      'Reconciled (condition)',
      'Spec and actions',
      'Kubernetes events',
    ]);
    // a user's action is on the request's lane, not among the Kubernetes events
    const spec = model.lanes.find(l => l.title === 'Spec and actions')!;
    expect(spec.items.map(i => i.entry.title)).toEqual(['Requested', 'Paused']);
  });
});

describe('work entries', () => {
  const entries: KratixTimelineEntry[] = [
    {
      time: '2026-11-25T10:00:00Z',
      source: 'job',
      title: 'instance-configure',
      status: 'Succeeded',
      endTime: '2026-11-25T10:00:30Z',
    },
    {
      time: '2026-11-25T10:00:31Z',
      source: 'work',
      title: 'WorkPlacement redis-example-instance-configure-5d2f1.dev-cluster',
      status: 'True',
      reason: 'WorkloadsWrittenToStateStore',
      message: 'Ready',
    },
    {
      time: '2026-11-25T10:00:31Z',
      source: 'work',
      title: 'Work redis-example-instance-configure-5d2f1',
      status: 'True',
      reason: 'AllWorkplacementsScheduled',
      message: 'Ready',
    },
    {
      time: '2026-11-25T11:00:00Z',
      source: 'work',
      title: 'Work redis-example-instance-configure-5d2f1',
      status: 'False',
      reason: 'WorkplacementsMisplaced',
      message: 'Misplaced',
    },
    {
      time: '2026-11-25T11:00:01Z',
      source: 'condition',
      title: 'WorksSucceeded',
      status: 'False',
      reason: 'WorksMisplaced',
    },
    {
      time: '2026-11-25T11:00:02Z',
      source: 'event',
      title: 'WorksMisplaced',
      status: 'Warning',
    },
  ];

  it('puts Works and WorkPlacements in their own lanes right after the workflow runs', () => {
    const model = layoutTimelineChart(entries, { now });
    expect(model.lanes.map(l => `${l.kind}:${l.title}`)).toEqual([
      'job:instance-configure',
      'work:redis-example-instance-configure-5d2f1',
      'work:redis-example-instance-configure-5d2f1.dev-cluster',
      'condition:WorksSucceeded',
      'event:Kubernetes events',
    ]);
    // the lane says whether it is the Work or its placement; its title is the name in full
    expect(
      model.lanes.filter(l => l.kind === 'work').map(l => l.caption),
    ).toEqual(['Work', 'WorkPlacement']);
  });

  it('draws each transition as an instant, toned by what the Work says (Ready, Misplaced)', () => {
    const model = layoutTimelineChart(entries, { now });
    const work = model.lanes.find(l => l.kind === 'work')!;
    expect(
      work.items.map(i => ({
        tone: i.tone,
        label: i.label,
        span: i.end - i.start,
      })),
    ).toEqual([
      { tone: 'ok', label: 'Ready', span: 0 },
      { tone: 'warning', label: 'Misplaced', span: 0 },
    ]);
    // a Work transition is not a workflow run
    expect(lastRunDuration(model)).toBe(30_000);
  });

  it('tones failing and pending Work conditions', () => {
    expect(
      workTone({
        time: '',
        source: 'work',
        title: 'WorkPlacement x',
        status: 'False',
        reason: 'WorkloadsFailedWrite',
        message: 'failed to push',
      }),
    ).toBe('error');
    expect(
      workTone({
        time: '',
        source: 'work',
        title: 'Work x',
        status: 'False',
        message: 'Pending',
      }),
    ).toBe('pending');
  });
});

describe('deriveTimeline', () => {
  it('uses creation, conditions and pipelines of a real Resource', () => {
    const entries = deriveTimeline(redisView('pipelinesInProgress'));
    expect(entries.map(e => `${e.source}:${e.title}`)).toEqual([
      'resource:Created',
      'job:resource-pipeline2',
      'job:resource-pipeline0',
      'job:resource-pipeline1',
    ]);
  });
});
