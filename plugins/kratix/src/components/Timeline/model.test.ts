import type { KratixTimelineEntry } from '@kratix-backstage/plugin-kratix-common';
import { redisView } from '../../__fixtures__';
import {
  layoutTimelineChart,
  deriveTimeline,
  lastRunDuration,
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
      'Events',
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
    expect(model.start).toBe(Date.parse('2023-01-01T11:58:00Z'));
    expect(model.end).toBe(now);
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
      'work:Work redis-example-instance-configure-5d2f1',
      'work:WorkPlacement redis-example-instance-configure-5d2f1.dev-cluster',
      'condition:WorksSucceeded',
      'event:Events',
    ]);
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
