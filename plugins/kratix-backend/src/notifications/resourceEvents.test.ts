/*
 * The events a Resource's object shows, with the condition shapes Kratix writes (KRATIX-FACTS §1.3).
 */
import type { KratixResourceObject } from '@kratix-backstage/plugin-kratix-common';
import {
  conditionEvents,
  describe as describeEvent,
  failedPipeline,
  healthEvent,
  humanDuration,
  stuckEvent,
} from './resourceEvents';

const resource = (status: Record<string, unknown>): KratixResourceObject => ({
  apiVersion: 'marketplace.kratix.io/v1alpha1',
  kind: 'redis',
  metadata: { name: 'orders-cache', namespace: 'default', uid: 'uid-1' },
  spec: {},
  status,
});

const condition = (
  type: string,
  status: string,
  reason: string,
  message: string,
  lastTransitionTime = '2026-12-07T10:00:00Z',
) => ({ type, status, reason, message, lastTransitionTime });

describe('conditionEvents', () => {
  it('reads a completed workflow, current and before October 2024, keyed by its transition', () => {
    const current = conditionEvents(
      resource({
        message: 'Redis ready',
        conditions: [
          condition(
            'ConfigureWorkflowCompleted',
            'True',
            'PipelinesExecutedSuccessfully',
            'Pipelines completed',
          ),
        ],
      }),
    );
    expect(current).toEqual([
      expect.objectContaining({
        event: 'completed',
        key: 'completed|2026-12-07T10:00:00Z',
        severity: 'normal',
        headline: 'is ready',
      }),
    ]);
    const legacy = conditionEvents(
      resource({
        conditions: [
          condition(
            'PipelineCompleted',
            'True',
            'PipelineExecutedSuccessfully',
            'Pipeline completed',
            '2024-01-01T00:00:00Z',
          ),
        ],
      }),
    );
    expect(legacy.map(e => e.key)).toEqual(['completed|2024-01-01T00:00:00Z']);
  });

  it('names the failed pipeline, and nothing while a workflow is still running', () => {
    const [failed] = conditionEvents(
      resource({
        conditions: [
          condition(
            'ConfigureWorkflowCompleted',
            'False',
            'ConfigureWorkflowFailed',
            'A Configure Pipeline has failed: instance-configure',
          ),
        ],
      }),
    );
    expect(failed).toMatchObject({
      event: 'failed',
      severity: 'high',
      pipeline: 'instance-configure',
      headline: 'failed in pipeline instance-configure',
    });
    expect(
      conditionEvents(
        resource({
          conditions: [
            condition(
              'ConfigureWorkflowCompleted',
              'False',
              'PipelinesInProgress',
              'Pipelines are still in progress',
            ),
          ],
        }),
      ),
    ).toEqual([]);
  });

  it('reads failing or misplaced Works and a failed delete workflow as high', () => {
    const events = conditionEvents(
      resource({
        conditions: [
          condition(
            'WorksSucceeded',
            'False',
            'WorksMisplaced',
            'Some works associated with this resource are misplaced: [w1]',
          ),
          condition(
            'DeleteWorkflowCompleted',
            'False',
            'DeleteWorkflowFailed',
            'The Delete Pipeline has failed',
          ),
        ],
      }),
    );
    expect(events.map(e => [e.event, e.severity, e.headline])).toEqual([
      ['works-failing', 'high', 'has Works that could not be placed'],
      ['delete-failed', 'high', 'could not be deleted'],
    ]);
  });
});

describe('healthEvent', () => {
  const health = (state: string, lastRun: string) =>
    resource({
      healthStatus: {
        state,
        healthRecords: [{ state, lastRun, source: { name: 'check' } }],
      },
    });

  it('reports a change into degraded and the recovery, never a first sighting', () => {
    expect(healthEvent(health('degraded', '1765101600'), undefined)).toBe(
      undefined,
    );
    const degraded = healthEvent(health('degraded', '1765101600'), 'healthy');
    expect(degraded).toMatchObject({
      severity: 'high',
      headline: 'is degraded',
    });
    const recovered = healthEvent(health('healthy', '1765105200'), 'degraded');
    expect(recovered).toMatchObject({ severity: 'normal' });
    expect(recovered?.key).not.toEqual(degraded?.key);
    // Unchanged, or healthy after unknown, is not news.
    expect(healthEvent(health('degraded', '1765105200'), 'degraded')).toBe(
      undefined,
    );
    expect(healthEvent(health('healthy', '1765105200'), 'unknown')).toBe(
      undefined,
    );
  });
});

describe('stuckEvent', () => {
  const running = resource({
    conditions: [
      condition(
        'ConfigureWorkflowCompleted',
        'False',
        'PipelinesInProgress',
        'Pipelines are still in progress',
      ),
    ],
  });

  it('reminds once the run has waited the threshold, keyed by the run', () => {
    const threshold = 30 * 60_000;
    expect(
      stuckEvent(running, new Date('2026-12-07T10:29:00Z'), threshold),
    ).toBe(undefined);
    expect(
      stuckEvent(running, new Date('2026-12-07T10:31:00Z'), threshold),
    ).toMatchObject({
      key: 'stuck|ConfigureWorkflowCompleted|2026-12-07T10:00:00Z',
      headline: 'is still not ready after 30 minutes',
    });
  });
});

describe('humanDuration', () => {
  it('says a threshold in whole units, in seconds when not whole minutes', () => {
    expect(humanDuration(3000)).toBe('3 seconds');
    expect(humanDuration(60_000)).toBe('1 minute');
    expect(humanDuration(90_000)).toBe('90 seconds');
    expect(humanDuration(30 * 60_000)).toBe('30 minutes');
    expect(humanDuration(180 * 60_000)).toBe('3 hours');
  });
});

describe('the description', () => {
  it('is the status message, and for a failure the failure first with its container', () => {
    const object = resource({ message: 'Redis ready' });
    const [completed] = conditionEvents(
      resource({
        conditions: [
          condition(
            'ConfigureWorkflowCompleted',
            'True',
            'X',
            'Pipelines completed',
          ),
        ],
      }),
    );
    expect(describeEvent(object, completed)).toBe('Redis ready');
    expect(
      describeEvent(
        resource({ message: 'Pending' }),
        {
          event: 'failed',
          key: 'failed|t',
          severity: 'high',
          headline: 'failed',
          detail: 'A Configure Pipeline has failed: instance-configure',
        },
        'fail-step',
      ),
    ).toBe(
      'A Configure Pipeline has failed: instance-configure. The failing container is fail-step.',
    );
  });

  it('reads the pipeline from the condition message', () => {
    expect(failedPipeline('A Configure Pipeline has failed: a.b-c')).toBe(
      'a.b-c',
    );
    expect(failedPipeline(undefined)).toBe(undefined);
  });
});
