import { readKratixFixture } from '@internal/kratix-fixtures';
import {
  extraStatus,
  kratixManagedStatus,
  lastSuccessfulConfigureWorkflowTime,
  pipelineStatuses,
  resourceHealth,
  resourceState,
  sortedConditions,
  statusMessage,
  workflowCompletion,
} from './status';

const fixture = (name: string) => readKratixFixture(`status-examples/${name}`);

const legacyElastic = fixture(
  'resource-elastic-cloud-status-LEGACY-PipelineCompleted-workshop-2023.yaml',
);
const reconciled = fixture('resource-status-reconciled-docs.yaml').status;
const firstRequest = fixture(
  'resource-status-first-request-in-progress-docs.yaml',
).status;
const pipelinesInProgress = fixture(
  'resource-status-pipelines-in-progress-docs.yaml',
).status;
const database = fixture(
  'resource-database-with-custom-status-docs.yaml',
).status;

const meta = { name: 'example', labels: {} as Record<string, string> };

describe('statusMessage', () => {
  it('is the message the workflow wrote', () => {
    expect(statusMessage(legacyElastic)).toBe(
      'Instance example provisioned with preconfigured system metrics',
    );
    expect(statusMessage(database)).toBe(
      'Resource provisioned with database size 10Gb',
    );
  });

  it('is Pending before any workflow ran', () => {
    expect(statusMessage(undefined)).toBe('Pending');
    expect(statusMessage({})).toBe('Pending');
    expect(statusMessage(firstRequest)).toBe('Pending');
  });
});

describe('extraStatus', () => {
  it('keeps what the workflow wrote besides message and conditions', () => {
    expect(extraStatus(legacyElastic)).toEqual({
      initialLoginDetails: {
        username: 'elastic',
        passwordSecretName: 'example-es-elastic-user',
      },
    });
    expect(extraStatus(database)).toEqual({
      connectionDetails: { host: 'example.com', dbName: 'root' },
    });
  });

  it('keeps Kratix-managed fields apart', () => {
    const status = {
      ...reconciled,
      observedGeneration: 2,
      workflows: 1,
      workflowsSucceeded: 1,
      workflowsFailed: 0,
      lastSuccessfulConfigureWorkflowTime: '2026-03-06T16:08:46Z',
      url: 'https://example.com',
    };
    expect(extraStatus(status)).toEqual({ url: 'https://example.com' });
    expect(Object.keys(kratixManagedStatus(status)).sort()).toEqual([
      'kratix',
      'lastSuccessfulConfigureWorkflowTime',
      'observedGeneration',
      'workflows',
      'workflowsFailed',
      'workflowsSucceeded',
    ]);
  });
});

describe('conditions', () => {
  it('puts the workflow-completion condition first and types every condition', () => {
    const shuffled = {
      conditions: [
        { type: 'WorksSucceeded', status: 'True' },
        { type: 'CustomFromPipeline', status: 'maybe' },
        { type: 'Reconciled', status: 'True' },
        { type: 'ConfigureWorkflowCompleted', status: 'True' },
      ],
    };
    const sorted = sortedConditions(shuffled);
    expect(sorted.map(c => c.type)).toEqual([
      'ConfigureWorkflowCompleted',
      'Reconciled',
      'WorksSucceeded',
      'CustomFromPipeline',
    ]);
    expect(sorted[3].status).toBe('Unknown');
  });

  it('reads current and legacy workflow completion', () => {
    expect(workflowCompletion(sortedConditions(reconciled))).toMatchObject({
      conditionType: 'ConfigureWorkflowCompleted',
      state: 'completed',
    });
    expect(workflowCompletion(sortedConditions(legacyElastic))).toMatchObject({
      conditionType: 'PipelineCompleted',
      state: 'completed',
      condition: { reason: 'PipelineExecutedSuccessfully' },
    });
    expect(workflowCompletion(sortedConditions(firstRequest))?.state).toBe(
      'running',
    );
    expect(
      workflowCompletion(
        sortedConditions({
          conditions: [
            {
              type: 'ConfigureWorkflowCompleted',
              status: 'False',
              reason: 'ConfigureWorkflowFailed',
            },
          ],
        }),
      )?.state,
    ).toBe('failed');
    expect(workflowCompletion([])).toBeUndefined();
  });
});

describe('resourceState', () => {
  it('derives the state from Reconciled, then from workflow completion', () => {
    expect(resourceState({ metadata: meta, status: reconciled })).toBe('ready');
    expect(resourceState({ metadata: meta, status: legacyElastic })).toBe(
      'ready',
    );
    expect(resourceState({ metadata: meta, status: firstRequest })).toBe(
      'in-progress',
    );
    expect(
      resourceState({
        metadata: meta,
        status: {
          conditions: [
            {
              type: 'Reconciled',
              status: 'False',
              reason: 'ConfigureWorkflowFailed',
            },
          ],
        },
      }),
    ).toBe('failed');
    expect(resourceState({ metadata: meta, status: {} })).toBe('unknown');
  });

  it('is paused when the label or the Reconciled reason says so', () => {
    expect(
      resourceState({
        metadata: { ...meta, labels: { 'kratix.io/paused': 'true' } },
        status: reconciled,
      }),
    ).toBe('paused');
    expect(
      resourceState({
        metadata: meta,
        status: {
          conditions: [
            {
              type: 'Reconciled',
              status: 'Unknown',
              reason: 'PausedReconciliation',
            },
          ],
        },
      }),
    ).toBe('paused');
  });
});

describe('resourceState: blocked and deleting', () => {
  // As Kratix writes a Resource whose Promise's requiredPromises are missing (the sandbox's team-database/orders).
  const requirementsMissing = {
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
  };

  it('is blocked when the Promise requirements are not installed', () => {
    expect(resourceState({ metadata: meta, status: requirementsMissing })).toBe(
      'blocked',
    );
    // a Reconciled left from an earlier run does not hide it
    expect(
      resourceState({
        metadata: meta,
        status: {
          conditions: [
            ...requirementsMissing.conditions,
            { type: 'Reconciled', status: 'True', reason: 'Reconciled' },
          ],
        },
      }),
    ).toBe('blocked');
  });

  it('is not blocked once the requirements are met', () => {
    expect(
      resourceState({
        metadata: meta,
        status: {
          conditions: [
            {
              type: 'PromiseAvailable',
              status: 'True',
              reason: 'PromiseAvailable',
            },
            ...reconciled.conditions,
          ],
        },
      }),
    ).toBe('ready');
  });

  it('is deleting when a deletionTimestamp is set, whatever else it says', () => {
    expect(
      resourceState({
        metadata: {
          ...meta,
          labels: { 'kratix.io/paused': 'true' },
          deletionTimestamp: '2026-03-06T17:00:00Z',
        },
        status: reconciled,
      }),
    ).toBe('deleting');
  });
});

describe('resourceHealth', () => {
  it('reads the documented status.healthRecord', () => {
    expect(
      resourceHealth({
        healthRecord: {
          state: 'degraded',
          lastRun: 1772812800,
          details: { checks: 'replica 2 of 3 answered' },
        },
      }),
    ).toEqual({
      state: 'degraded',
      lastRun: '2026-03-06T16:00:00.000Z',
      records: [
        {
          state: 'degraded',
          lastRun: '2026-03-06T16:00:00.000Z',
          details: { checks: 'replica 2 of 3 answered' },
        },
      ],
    });
  });

  it('reads status.healthStatus, worst record first', () => {
    const health = resourceHealth({
      healthStatus: {
        state: 'unhealthy',
        healthRecords: [
          {
            state: 'healthy',
            lastRun: '2026-03-06T16:00:00Z',
            source: { name: 'ping', namespace: 'default' },
          },
          { state: 'unhealthy', lastRun: '2026-03-06T16:05:00Z' },
        ],
      },
    });
    expect(health?.state).toBe('unhealthy');
    expect(health?.lastRun).toBe('2026-03-06T16:05:00Z');
    expect(health?.records.map(r => r.state)).toEqual(['unhealthy', 'healthy']);
    expect(health?.records[1].source).toBe('default/ping');
  });

  it('is undefined when no health check reported, and kept out of the extra status', () => {
    expect(resourceHealth(reconciled)).toBeUndefined();
    expect(resourceHealth(undefined)).toBeUndefined();
    expect(extraStatus({ healthRecord: { state: 'ready' }, url: 'x' })).toEqual(
      { url: 'x' },
    );
  });
});

describe('pipelines', () => {
  it('reads per-pipeline phases and the last successful run time', () => {
    expect(pipelineStatuses(pipelinesInProgress).map(p => p.phase)).toEqual([
      'Succeeded',
      'Running',
      'Pending',
    ]);
    expect(pipelineStatuses(legacyElastic)).toEqual([]);
    expect(lastSuccessfulConfigureWorkflowTime(reconciled)).toBe(
      '2026-03-06T16:08:46Z',
    );
    expect(
      lastSuccessfulConfigureWorkflowTime({
        lastSuccessfulConfigureWorkflowTime: '2024-11-18T10:00:00Z',
      }),
    ).toBe('2024-11-18T10:00:00Z');
  });
});
