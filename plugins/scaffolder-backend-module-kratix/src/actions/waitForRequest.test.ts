/*
 * kratix:resource:wait with `requestId`, against the sandbox over HTTPS: the platform applying a
 * request delivered through Git is played by writing the Resource, carrying the request id, into
 * the sandbox's store (what its Git sync or a GitOps agent does), at the moment the step logs that
 * it waits for it. The wait service is the real one: the request wait holds the user's slot and
 * the one timeout bounds both phases.
 */
import { KRATIX_REQUEST_ID_ANNOTATION } from '@kratix-backstage/plugin-kratix-common';
import {
  startSandboxCluster,
  type SandboxCluster,
} from '../__testUtils__/sandboxCluster';
import {
  permissionsThat,
  runAction,
  startStep,
  waitsWith,
} from '../__testUtils__/actionHarness';
import { createKratixWaitAction } from './waitResourceAction';

jest.setTimeout(60_000);

const APP = 'http://portal.example.com';
const REDIS = { group: 'marketplace.kratix.io', plural: 'redis' };
const STUCK = { group: 'test.kratix.io', plural: 'stuck-queues' };
const WAITING = /^Waiting for the platform to apply request /;

describe('kratix:resource:wait with a requestId', () => {
  let cluster: SandboxCluster;
  const actionWith = (
    options: { permissions?: ReturnType<typeof permissionsThat> } & {
      maxPerUser?: number;
    } = {},
  ) =>
    createKratixWaitAction({
      clusters: cluster.clusters,
      permissions: options.permissions ?? permissionsThat('allow'),
      waits: waitsWith(cluster.clusters, {
        maxPerUser: options.maxPerUser ?? 3,
      }),
      appBaseUrl: APP,
    });

  /** What the platform does with a delivered request: the Resource appears, with its request id. */
  const apply = (
    name: string,
    requestId: string,
    type: { group: string; plural: string } = REDIS,
  ) =>
    cluster.sandbox.store.create(type, {
      apiVersion:
        type === REDIS
          ? 'marketplace.kratix.io/v1alpha1'
          : 'test.kratix.io/v1alpha1',
      kind: type === REDIS ? 'redis' : 'StuckQueue',
      metadata: {
        name,
        namespace: 'default',
        annotations: {
          [KRATIX_REQUEST_ID_ANNOTATION]: requestId,
          'kratix.backstage.io/entity-ref':
            'component:default/checkout-service',
        },
      },
      spec: {},
    });

  beforeAll(async () => {
    cluster = await startSandboxCluster();
  });
  afterAll(() => cluster?.close());

  it('waits for the platform to apply the request, then for its workflow', async () => {
    const step = startStep(
      ({ onLog, signal }) =>
        runAction(
          actionWith(),
          {
            promise: 'redis',
            name: 'git-cache',
            requestId: 'req-git-cache',
          },
          { onLog, signal },
        ),
      WAITING,
    );
    await step.started;
    apply('git-cache', 'req-git-cache');
    const { ok, error, run } = await step.outcome;
    expect(error).toBeUndefined();
    expect(ok).toBe(true);
    expect(run?.output).toMatchObject({
      resourceRef: 'sandbox:redis/default/git-cache',
      entityUrl: `${APP}/catalog/default/component/checkout-service/kratix?resource=sandbox%2Fdefault%2Fredis%2Fgit-cache`,
    });
    expect(run?.output.conditions).toContainEqual(
      expect.objectContaining({
        type: 'ConfigureWorkflowCompleted',
        status: 'True',
      }),
    );
    const logs = run!.logs;
    expect(logs[0]).toBe(
      'Waiting for the platform to apply request req-git-cache: redis default/git-cache on cluster sandbox (at most 300s)',
    );
    const applied = logs.findIndex(l =>
      /^Applied by the platform: redis default\/git-cache on cluster sandbox carries request req-git-cache \(after [\d.]+s\)$/.test(
        l,
      ),
    );
    expect(applied).toBeGreaterThan(0);
    expect(logs.findIndex(l => l.startsWith('Done: '))).toBeGreaterThan(
      applied,
    );
  });

  it('finds a request applied before the step, and with waitFor none returns once it is applied', async () => {
    apply('early-cache', 'req-early');
    const run = await runAction(actionWith(), {
      promise: 'redis',
      name: 'early-cache',
      requestId: 'req-early',
      waitFor: 'none',
    });
    expect(run.output.resourceRef).toBe('sandbox:redis/default/early-cache');
    expect(run.logs.at(-1)).toMatch(
      /^Applied by the platform: redis default\/early-cache .* carries request req-early/,
    );
    expect(run.logs.some(l => l.startsWith('Done: '))).toBe(false);
  });

  it('does not take a Resource that carries another request for it, and times out saying which request', async () => {
    apply('older-cache', 'req-older');
    await expect(
      runAction(actionWith(), {
        promise: 'redis',
        name: 'older-cache',
        requestId: 'req-newer',
        timeoutSeconds: 0.5,
      }),
    ).rejects.toMatchObject({
      name: 'KratixWaitTimeoutError',
      message:
        'Timed out after 0.5s waiting for the platform to apply request req-newer (redis default/older-cache on cluster sandbox): no Resource carrying it appeared on the cluster',
    });
  });

  it('bounds the workflow wait by what is left of the one timeout', async () => {
    const step = startStep(
      ({ onLog, signal }) =>
        runAction(
          actionWith(),
          {
            promise: 'stuck-queue',
            name: 'git-jobs',
            requestId: 'req-git-jobs',
            timeoutSeconds: 4,
          },
          { onLog, signal },
        ),
      WAITING,
    );
    await step.started;
    apply('git-jobs', 'req-git-jobs', STUCK);
    const { error } = await step.outcome;
    expect(error?.message).toMatch(
      /^Timed out after [\d.]+s waiting for workflow completion .* on stuck-queue default\/git-jobs on cluster sandbox; .* \(the 4s timeout counts the [\d.]+s the platform took to apply request req-git-jobs\)$/,
    );
  });

  it('holds the user’s wait slot while waiting for the platform, and gives it back when stopped', async () => {
    const action = actionWith({ maxPerUser: 1 });
    const first = startStep(
      ({ onLog, signal }) =>
        runAction(
          action,
          { promise: 'redis', name: 'slot-cache', requestId: 'req-slot' },
          { onLog, signal },
        ),
      WAITING,
    );
    await first.started;
    apply('slot-other', 'req-slot-other');
    const second = {
      promise: 'redis',
      name: 'slot-other',
      requestId: 'req-slot-other',
      waitFor: 'none',
    };
    await expect(runAction(action, second)).rejects.toMatchObject({
      reason: 'limit',
    });
    first.abort();
    expect((await first.outcome).error?.message).toBe(
      'Stopped waiting for the platform to apply request req-slot (redis default/slot-cache on cluster sandbox)',
    );
    await expect(runAction(action, second)).resolves.toMatchObject({
      output: { resourceRef: 'sandbox:redis/default/slot-other' },
    });
  });

  it('refuses a caller who may not read the Resource before waiting for anything', async () => {
    const logs: string[] = [];
    await expect(
      runAction(
        actionWith({ permissions: permissionsThat('deny') }),
        { promise: 'redis', name: 'someone-elses', requestId: 'req-x' },
        { logs },
      ),
    ).rejects.toThrow(
      'You may not read the Kratix Resource sandbox:redis/default/someone-elses',
    );
    expect(logs).toEqual([]);
  });
});
