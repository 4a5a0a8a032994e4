import { stateReasonOf } from './status';
import type { KratixResourceObject, KratixTimelineEntry } from './types';
import { toResourceView } from './view';

const api = {
  cluster: 'platform',
  promise: 'redis',
  group: 'marketplace.kratix.io',
  version: 'v1alpha1',
  kind: 'redis',
  plural: 'redis',
};

const view = (
  status: Record<string, unknown>,
  metadata: Partial<KratixResourceObject['metadata']> = {},
) =>
  toResourceView(api, {
    apiVersion: 'marketplace.kratix.io/v1alpha1',
    kind: 'redis',
    metadata: { name: 'example', namespace: 'default', ...metadata },
    status,
  });

// As Kratix writes a Resource whose configure workflow's Job timed out.
const failed = {
  message: 'Pending',
  conditions: [
    {
      type: 'Reconciled',
      status: 'False',
      reason: 'ConfigureWorkflowFailed',
      message: 'Failing',
      lastTransitionTime: '2026-03-06T16:15:00Z',
    },
    {
      type: 'ConfigureWorkflowCompleted',
      status: 'False',
      reason: 'ConfigureWorkflowFailed',
      message: 'Job has reached the specified deadline: timed out after 900s',
      lastTransitionTime: '2026-03-06T16:15:00Z',
    },
  ],
};

describe('stateReasonOf', () => {
  it('leads a failed Resource with the failing workflow condition’s message, not Reconciled’s "Failing"', () => {
    const resource = view(failed);
    expect(resource.state).toBe('failed');
    expect(stateReasonOf(resource)).toEqual({
      text: 'Job has reached the specified deadline: timed out after 900s — ConfigureWorkflowCompleted (ConfigureWorkflowFailed)',
      since: '2026-03-06T16:15:00Z',
    });
  });

  it('names the failed pipeline and its message when Kratix reports pipelines', () => {
    const resource = view({
      ...failed,
      kratix: {
        workflows: {
          pipelines: [
            { name: 'instance-configure', phase: 'Succeeded' },
            {
              name: 'database-configure',
              phase: 'Failed',
              message: 'container exited with code 1',
              lastTransitionTime: '2026-03-06T16:14:00Z',
            },
          ],
        },
      },
    });
    expect(stateReasonOf(resource)).toEqual({
      text: 'Pipeline database-configure failed: container exited with code 1',
      since: '2026-03-06T16:14:00Z',
    });
  });

  it('falls back to the condition type and reason when no condition has a message', () => {
    const resource = view({
      conditions: [
        { type: 'Reconciled', status: 'False', reason: 'WorksFailing' },
      ],
    });
    expect(stateReasonOf(resource)?.text).toBe('Reconciled (WorksFailing)');
  });

  it('says which Promise’s requirements a blocked Resource waits for', () => {
    const resource = view({
      message: 'Pending',
      conditions: [
        {
          type: 'PromiseAvailable',
          status: 'False',
          reason: 'PromiseRequirementsNotInstalled',
          message: 'Promise Requirements are not installed',
          lastTransitionTime: '2026-03-06T16:00:00Z',
        },
      ],
    });
    expect(resource.state).toBe('blocked');
    expect(stateReasonOf(resource)).toEqual({
      text: 'Waiting for the Promises that the redis Promise requires to be installed (Promise Requirements are not installed): Kratix runs no workflow until they are',
      since: '2026-03-06T16:00:00Z',
    });
  });

  it('says who paused a Resource and when, from the latest pause in the timeline', () => {
    const resource = view(
      { message: 'Resource ready', conditions: [] },
      { labels: { 'kratix.io/paused': 'true' } },
    );
    const timeline: KratixTimelineEntry[] = [
      {
        time: '2026-03-06T10:00:00Z',
        source: 'action',
        title: 'Paused',
        status: 'user:default/alice',
      },
      {
        time: '2026-03-06T12:00:00Z',
        source: 'action',
        title: 'Paused',
        status: 'user:default/bob',
      },
      {
        time: '2026-03-06T11:00:00Z',
        source: 'action',
        title: 'Resumed',
        status: 'user:default/alice',
      },
    ];
    expect(resource.state).toBe('paused');
    expect(stateReasonOf(resource, timeline)).toEqual({
      text: 'Paused: Kratix does not reconcile it until it is resumed',
      by: 'user:default/bob',
      since: '2026-03-06T12:00:00Z',
    });
    // Without a timeline (a list row), or paused with kubectl: no one to name.
    expect(stateReasonOf(resource)).toEqual({
      text: 'Paused: Kratix does not reconcile it until it is resumed',
    });
  });

  it('dates a pause Kratix acknowledged from the PausedReconciliation condition', () => {
    const resource = view({
      conditions: [
        {
          type: 'Reconciled',
          status: 'False',
          reason: 'PausedReconciliation',
          lastTransitionTime: '2026-03-06T09:00:00Z',
        },
      ],
    });
    expect(stateReasonOf(resource)?.since).toBe('2026-03-06T09:00:00Z');
  });

  it('says a deleting Resource is being deleted, since when', () => {
    const resource = view(failed, {
      deletionTimestamp: '2026-03-06T17:00:00Z',
    });
    expect(resource.state).toBe('deleting');
    expect(stateReasonOf(resource)).toEqual({
      text: 'Being deleted: Kratix is running the delete workflow',
      since: '2026-03-06T17:00:00Z',
    });
  });

  it('gives no reason for ready, in-progress and unknown Resources', () => {
    expect(
      stateReasonOf(
        view({
          conditions: [{ type: 'Reconciled', status: 'True' }],
        }),
      ),
    ).toBeUndefined();
    expect(
      stateReasonOf(
        view({
          conditions: [
            {
              type: 'ConfigureWorkflowCompleted',
              status: 'False',
              reason: 'PipelinesInProgress',
            },
          ],
        }),
      ),
    ).toBeUndefined();
    expect(stateReasonOf(view({}))).toBeUndefined();
  });
});
