/*
 * kratix:resource:create against the sandbox over HTTPS: the real create flow, the real cluster
 * service and its watch, pipelines run by the sandbox.
 */
import {
  CONDITION,
  pipelineStatuses,
  sortedConditions,
} from '@kratix-backstage/plugin-kratix-common';
import {
  startSandboxCluster,
  type SandboxCluster,
} from '../__testUtils__/sandboxCluster';
import {
  creationWith,
  permissionsThat,
  runAction,
  waitsWith,
} from '../__testUtils__/actionHarness';
import { createKratixResourceAction } from './createResourceAction';

jest.setTimeout(60_000);

const APP = 'http://portal.example.com';
const REDIS = { group: 'marketplace.kratix.io', plural: 'redis' };
const ELASTIC = { group: 'workshop.kratix.io', plural: 'elastic-clouds' };

describe('kratix:resource:create', () => {
  let cluster: SandboxCluster;
  const stored = (type: { group: string; plural: string }, name: string) =>
    cluster.sandbox.store.get(type, 'default', name);
  const actionWith = (permissions = permissionsThat('allow')) => {
    const { creation, audits } = creationWith(cluster.clusters, permissions);
    return {
      action: createKratixResourceAction({
        creation,
        clusters: cluster.clusters,
        permissions,
        waits: waitsWith(cluster.clusters),
        appBaseUrl: APP,
      }),
      audits,
    };
  };

  /** Resolves when the watch shows the Resource's pipeline running and its workflow not complete. */
  const untilPipelineRunning = (promise: string, name: string) =>
    new Promise<void>(resolve => {
      const unsubscribe = cluster.clusters.onResourceChange(
        ({ kind, object }) => {
          const running =
            kind.promise === promise &&
            object.metadata.name === name &&
            pipelineStatuses(object.status).some(
              p => p.name === 'instance-configure' && p.phase === 'Running',
            ) &&
            sortedConditions(object.status).some(
              c =>
                c.type === CONDITION.configureWorkflowCompleted &&
                c.status === 'False',
            );
          if (running) {
            unsubscribe();
            resolve();
          }
        },
      );
    });

  beforeAll(async () => {
    cluster = await startSandboxCluster({
      allowedNamespaces: ['default'],
      allowedClusters: ['sandbox'],
    });
  });
  afterAll(() => cluster?.close());

  it('creates the Resource as the user, reports its progress, and returns when the workflow completes', async () => {
    const { action, audits } = actionWith();
    const run = await runAction(action, {
      promise: 'elastic-cloud',
      name: 'search-logs',
      namespace: 'default',
      entityRef: 'component:default/search-service',
      spec: { enableDataCollection: true },
    });
    expect(run.output).toMatchObject({
      resourceRef: 'sandbox:elastic-cloud/default/search-logs',
      message:
        'Instance search-logs provisioned with preconfigured system metrics',
      status: {
        initialLoginDetails: {
          username: 'elastic',
          passwordSecretName: 'search-logs-es-elastic-user',
        },
      },
      entityUrl: `${APP}/catalog/default/component/search-service/kratix?resource=sandbox%2Fdefault%2Felastic-cloud%2Fsearch-logs`,
      adopted: false,
      dryRun: false,
    });
    // The tutorial's Promise emulates Kratix before October 2024: PipelineCompleted decides.
    expect(run.output.conditions).toContainEqual(
      expect.objectContaining({ type: 'PipelineCompleted', status: 'True' }),
    );
    const object = stored(ELASTIC, 'search-logs');
    expect(object?.metadata.annotations).toMatchObject({
      'kratix.backstage.io/requested-by': 'user:default/guest',
      'kratix.backstage.io/entity-ref': 'component:default/search-service',
    });
    expect(run.logs[0]).toMatch(
      /^Created elastic-cloud elastic-cloud default\/search-logs/,
    );
    expect(run.logs).toEqual(
      expect.arrayContaining([
        'Condition PipelineCompleted=False (PipelineNotCompleted): Pipeline has not completed',
        'Condition PipelineCompleted=True (PipelineExecutedSuccessfully): Pipeline completed',
        'Message: Instance search-logs provisioned with preconfigured system metrics',
      ]),
    );
    expect(run.logs.at(-1)).toMatch(/^Done: PipelineCompleted=True/);
    expect(audits.map(a => a.status)).toEqual(['succeeded']);
  });

  it('detects ConfigureWorkflowCompleted on current Kratix and reports each pipeline', async () => {
    const { action } = actionWith();
    const run = await runAction(action, {
      promise: 'redis',
      name: 'kind-cache',
      entityRef: 'component:default/checkout-service',
      spec: { size: 'large' },
    });
    expect(run.output.conditions).toContainEqual(
      expect.objectContaining({
        type: 'ConfigureWorkflowCompleted',
        status: 'True',
      }),
    );
    expect(run.logs).toEqual(
      expect.arrayContaining([
        'Pipeline instance-configure started',
        'Pipeline instance-configure ended: succeeded',
      ]),
    );
    expect(
      run.logs.indexOf('Pipeline instance-configure started'),
    ).toBeLessThan(
      run.logs.indexOf('Pipeline instance-configure ended: succeeded'),
    );
    expect(run.logs.at(-1)).toMatch(/^Done: ConfigureWorkflowCompleted=True/);
    expect(stored(REDIS, 'kind-cache')?.spec).toEqual({ size: 'large' });
  });

  it('fails the step with the condition when the workflow fails', async () => {
    const { action } = actionWith();
    await expect(
      runAction(action, {
        promise: 'flaky-db',
        name: 'orders-db',
        entityRef: 'component:default/checkout-service',
      }),
    ).rejects.toThrow(
      /^The workflow of flaky-db default\/orders-db on cluster sandbox failed: ConfigureWorkflowCompleted=False \(\w*Fail\w*\)/,
    );
  });

  it('fails the step when the timeout passes, with the condition it was waiting on', async () => {
    const { action } = actionWith();
    const input = {
      promise: 'stuck-queue',
      name: 'jobs',
      entityRef: 'component:default/checkout-service',
    };
    // Requested without waiting, and waited on once the watch shows its pipeline running: the 1 s
    // timeout then bounds only the wait, not how soon the sandbox starts a pipeline.
    const running = untilPipelineRunning('stuck-queue', 'jobs');
    await runAction(action, { ...input, waitFor: 'none' });
    await running;

    const logs: string[] = [];
    await expect(
      runAction(action, { ...input, timeoutSeconds: 1 }, { logs }),
    ).rejects.toThrow(
      /^Timed out after 1s waiting for workflow completion .* on stuck-queue default\/jobs on cluster sandbox; last ConfigureWorkflowCompleted=False/,
    );
    expect(logs[0]).toMatch(/already exists .* adopted \(re-run\)/);
    expect(logs).toContain('Pipeline instance-configure started');
  });

  it('returns at once with waitFor none, and accepts the Resource kind for the Promise', async () => {
    const { action } = actionWith();
    const run = await runAction(action, {
      promise: 'StuckQueue',
      name: 'no-wait',
      entityRef: 'component:default/checkout-service',
      waitFor: 'none',
    });
    expect(run.output.resourceRef).toBe('sandbox:stuck-queue/default/no-wait');
    expect(run.output.message).toBe('Pending');
  });

  it('refuses a user without permission, and creates nothing', async () => {
    const { action, audits } = actionWith(permissionsThat('deny'));
    await expect(
      runAction(action, {
        promise: 'redis',
        name: 'not-allowed',
        entityRef: 'component:default/checkout-service',
      }),
    ).rejects.toThrow(
      'You may not create Kratix Resources for component:default/checkout-service',
    );
    expect(stored(REDIS, 'not-allowed')).toBeUndefined();
    expect(audits).toEqual([{ status: 'failed', error: 'NotAllowedError' }]);
  });

  it.each([
    [
      'an unknown Promise',
      { promise: 'postgres' },
      /^promise: no Promise "postgres"/,
    ],
    [
      'a spec that breaks the schema',
      { spec: { size: 'huge' } },
      /^spec\.size: /,
    ],
    [
      'a name that is not a DNS name',
      { name: 'Bad_Name' },
      /^name: "Bad_Name"/,
    ],
    [
      'a namespace outside the bounds',
      { namespace: 'kube-system' },
      /^namespace: /,
    ],
    ['a cluster outside the bounds', { cluster: 'elsewhere' }, /^cluster: /],
    [
      'an entity that does not exist',
      { entityRef: 'component:default/nope' },
      /^No entity component:default\/nope/,
    ],
  ])(
    'refuses %s with a message naming the field, and creates nothing',
    async (_, bad, message) => {
      const { action } = actionWith();
      const before = cluster.sandbox.store.list(REDIS).items.length;
      await expect(
        runAction(action, {
          promise: 'redis',
          name: 'bad-input',
          entityRef: 'component:default/checkout-service',
          spec: { size: 'small' },
          ...bad,
        }),
      ).rejects.toThrow(message);
      expect(cluster.sandbox.store.list(REDIS).items).toHaveLength(before);
      expect(stored(REDIS, 'bad-input')).toBeUndefined();
    },
  );

  it('validates and reports on a dry run without creating anything', async () => {
    const { action } = actionWith();
    const run = await runAction(
      action,
      {
        promise: 'redis',
        name: 'dry-cache',
        entityRef: 'component:default/checkout-service',
        spec: {},
      },
      { isDryRun: true },
    );
    expect(run.output).toMatchObject({
      dryRun: true,
      resourceRef: 'sandbox:redis/default/dry-cache',
    });
    expect(run.logs[0]).toBe(
      'Dry run: would create redis redis default/dry-cache on cluster sandbox for component:default/checkout-service with spec {"size":"small"}; nothing was created',
    );
    expect(stored(REDIS, 'dry-cache')).toBeUndefined();
    await expect(
      runAction(
        action,
        { promise: 'redis', name: 'dry-cache', spec: { size: 'huge' } },
        { isDryRun: true },
      ),
    ).rejects.toThrow(/^spec\.size: /);
  });

  it('adopts its own Resource on a re-run, and refuses one with another spec or owner', async () => {
    const { action } = actionWith();
    const input = {
      promise: 'redis',
      name: 'rerun-cache',
      entityRef: 'component:default/checkout-service',
      spec: {},
    };
    const first = await runAction(action, input);
    const uid = stored(REDIS, 'rerun-cache')?.metadata.uid;
    expect(first.output.adopted).toBe(false);

    // Same name, entity and (defaulted) spec: the step is re-run, nothing new is created.
    const again = await runAction(action, {
      ...input,
      spec: { size: 'small' },
    });
    expect(again.output).toMatchObject({
      adopted: true,
      message: first.output.message,
    });
    expect(again.logs[0]).toMatch(
      /already exists for component:default\/checkout-service with the same spec: adopted/,
    );
    expect(stored(REDIS, 'rerun-cache')?.metadata.uid).toBe(uid);
    expect(
      cluster.sandbox.store
        .list(REDIS)
        .items.filter(o => o.metadata.name === 'rerun-cache'),
    ).toHaveLength(1);

    const dry = await runAction(action, input, { isDryRun: true });
    expect(dry.logs[0]).toMatch(
      /^Dry run: .* already exists .* a run would adopt it$/,
    );

    await expect(
      runAction(action, { ...input, spec: { size: 'large' } }),
    ).rejects.toThrow(
      /^spec: redis "default\/rerun-cache" already exists .* with a different spec/,
    );
    await expect(
      runAction(action, {
        ...input,
        entityRef: 'component:default/search-service',
      }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringMatching(/^name: .* belongs to another entity/),
    });
    expect(stored(REDIS, 'rerun-cache')?.spec).toEqual({ size: 'small' });
  });
});
