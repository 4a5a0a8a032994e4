import type { KratixResourceObject } from '@kratix-backstage/plugin-kratix-common';
import { judge } from './waitForResource';

const resource = (
  generation: number,
  conditions: Array<Record<string, unknown>>,
): KratixResourceObject => ({
  apiVersion: 'marketplace.kratix.io/v1alpha1',
  kind: 'redis',
  metadata: { name: 'cache', namespace: 'default', generation },
  spec: {},
  status: { conditions },
});

describe('judge', () => {
  it('is done when the workflow-completion condition of the current generation is True', () => {
    expect(
      judge(
        resource(2, [
          {
            type: 'ConfigureWorkflowCompleted',
            status: 'True',
            observedGeneration: 2,
          },
        ]),
      ),
    ).toEqual({
      done: expect.objectContaining({ type: 'ConfigureWorkflowCompleted' }),
    });
  });

  it('keeps waiting when the completion is about an older generation (a spec change re-runs the workflow)', () => {
    expect(
      judge(
        resource(3, [
          {
            type: 'ConfigureWorkflowCompleted',
            status: 'True',
            observedGeneration: 2,
          },
        ]),
      ),
    ).toHaveProperty('waiting');
  });

  it('detects legacy PipelineCompleted, which carries no observedGeneration', () => {
    expect(
      judge(resource(1, [{ type: 'PipelineCompleted', status: 'True' }])),
    ).toEqual({ done: expect.objectContaining({ type: 'PipelineCompleted' }) });
  });

  it('fails on a failed workflow, also while waiting for another condition', () => {
    const failed = resource(1, [
      {
        type: 'ConfigureWorkflowCompleted',
        status: 'False',
        reason: 'ConfigureWorkflowFailed',
        observedGeneration: 1,
      },
      { type: 'Reconciled', status: 'Unknown' },
    ]);
    expect(judge(failed)).toHaveProperty('failed');
    expect(judge(failed, 'Reconciled')).toHaveProperty('failed');
  });

  it('waits for a named condition to become True', () => {
    const running = resource(1, [
      {
        type: 'ConfigureWorkflowCompleted',
        status: 'True',
        observedGeneration: 1,
      },
      { type: 'Reconciled', status: 'Unknown', reason: 'WorkflowPending' },
    ]);
    expect(judge(running, 'Reconciled')).toEqual({
      waiting: expect.objectContaining({ reason: 'WorkflowPending' }),
    });
    expect(judge(running)).toHaveProperty('done');
  });

  it('ends the wait when Kratix says the Promise is not Available, unless the awaited condition is already met', () => {
    const unavailable = {
      type: 'PromiseAvailable',
      status: 'False',
      reason: 'PromiseRequirementsNotInstalled',
      message: 'Promise Requirements are not installed',
    };
    expect(judge(resource(1, [unavailable]))).toEqual({
      unavailable: expect.objectContaining({
        reason: 'PromiseRequirementsNotInstalled',
      }),
    });
    expect(judge(resource(1, [unavailable]), 'Reconciled')).toHaveProperty(
      'unavailable',
    );
    expect(
      judge(
        resource(1, [
          unavailable,
          {
            type: 'ConfigureWorkflowCompleted',
            status: 'True',
            observedGeneration: 1,
          },
        ]),
      ),
    ).toHaveProperty('done');
  });
});
