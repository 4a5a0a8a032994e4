import {
  assertNoKratixKey,
  legacyMergeStatus,
  markAsCompleted,
  mergeStatuses,
  promiseStatusKeys,
  StatusWriteError,
} from './statusMerge';
import { KRATIX_STATUS_KEY_ERROR } from '../common/constants';

describe('mergeStatuses (current Kratix status-writer)', () => {
  it('replaces nested maps wholesale instead of deep-merging (docs multi-pipeline example)', () => {
    // fixtures multi-pipeline-1/2-status-yaml-docs.yaml
    const afterFirst = mergeStatuses(
      {},
      {
        iam: { user: 'admin' },
        message: 'User created, next step is to create vault secret for user',
      },
    );
    const afterSecond = mergeStatuses(afterFirst, {
      message: 'User created and vault secret created',
      iam: { password: '<vault-ref>' },
    });
    expect(afterSecond).toEqual({
      iam: { password: '<vault-ref>' },
      message: 'User created and vault secret created',
    });
  });

  it('keeps keys the pipeline does not mention and merges conditions by type', () => {
    const existing = {
      keep: 1,
      conditions: [
        { type: 'A', status: 'True', reason: 'r', message: 'old' },
        { type: 'B', status: 'True', reason: 'r', message: 'b' },
      ],
    };
    const merged = mergeStatuses(existing, {
      conditions: [
        { type: 'A', status: 'False', reason: 'x', message: 'new' },
        { type: 'C', status: 'True', reason: 'c', message: 'c' },
      ],
    });
    expect(merged.keep).toBe(1);
    const byType = Object.fromEntries(
      (merged.conditions as any[]).map(c => [c.type, c.message]),
    );
    expect(byType).toEqual({ A: 'new', B: 'b', C: 'c' });
  });

  it('refuses the reserved kratix key with Kratix message', () => {
    expect(() => assertNoKratixKey({ kratix: {} })).toThrow(StatusWriteError);
    expect(() => assertNoKratixKey({ kratix: {} })).toThrow(
      KRATIX_STATUS_KEY_ERROR,
    );
    expect(() => assertNoKratixKey({ message: 'ok' })).not.toThrow();
  });

  it('MarkAsCompleted turns Pending into Resource requested / Promise configured and sets ConfigureWorkflowCompleted', () => {
    const done = markAsCompleted(
      {
        message: 'Pending',
        kratix: { workflows: { suspendedGeneration: 3, pipelines: [] } },
      },
      'resource',
    );
    expect(done.message).toBe('Resource requested');
    expect((done.kratix as any).workflows).toEqual({ pipelines: [] });
    expect(done.conditions).toEqual([
      expect.objectContaining({
        type: 'ConfigureWorkflowCompleted',
        status: 'True',
        reason: 'PipelinesExecutedSuccessfully',
        message: 'Pipelines completed',
      }),
    ]);
    expect(markAsCompleted({ message: 'Pending' }, 'promise').message).toBe(
      'Promise configured',
    );
    expect(markAsCompleted({ message: 'custom' }, 'resource').message).toBe(
      'custom',
    );
  });

  it('Promise workflows may only write message', () => {
    expect(promiseStatusKeys({ message: 'm', other: 1 })).toEqual({
      kept: { message: 'm' },
      dropped: ['other'],
    });
  });
});

describe('legacyMergeStatus (pre-2024-10 update-status script)', () => {
  it('deep-merges, discards incoming conditions and marks PipelineCompleted True', () => {
    const existing = {
      message: 'Pending',
      iam: { user: 'admin' },
      conditions: [
        {
          type: 'PipelineCompleted',
          status: 'False',
          reason: 'PipelineNotCompleted',
          message: 'Pipeline has not completed',
        },
      ],
    };
    const merged = legacyMergeStatus(
      existing,
      {
        iam: { password: 'p' },
        conditions: [{ type: 'X', status: 'True', reason: 'r', message: 'm' }],
      },
      true,
    );
    expect(merged.iam).toEqual({ user: 'admin', password: 'p' });
    expect(merged.message).toBe('Resource requested');
    expect(merged.conditions).toEqual([
      expect.objectContaining({
        type: 'PipelineCompleted',
        status: 'True',
        reason: 'PipelineExecutedSuccessfully',
        message: 'Pipeline completed',
      }),
    ]);
  });
});
