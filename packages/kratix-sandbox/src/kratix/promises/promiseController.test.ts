/*
 * The Promise controller as Kratix's PromiseReconciler behaves: the generated CRD with Kratix's
 * label, status subresource and columns, the Promise's status and conditions, its configure
 * workflow as a Job, and a deleted Promise taking its CRD and Resources with it.
 */
import {
  conditionOf,
  Harness,
  pipelinesWith,
  readSeed,
  startHarness,
  statusOf,
  testPromise,
  thing,
  THINGS,
} from '../__testUtils__/harness';
import {
  CRD_KEY as CRDS,
  JOB_KEY as JOBS,
  PROMISE_KEY as PROMISES,
} from '../common/constants';

let h: Harness;
afterEach(async () => {
  await h?.stop();
});

describe('Promise controller', () => {
  it('installs the CRD like Kratix and marks the Promise Available', async () => {
    h = startHarness();
    await h.install(readSeed('promises/redis.yaml'));

    const crd = h.store.get(CRDS, undefined, 'redis.marketplace.kratix.io')!;
    expect(crd.metadata.labels).toMatchObject({
      'kratix.io/promise-name': 'redis',
    });
    const version = (crd.spec as any).versions[0];
    expect(version.subresources).toEqual({ status: {} });
    expect(
      version.additionalPrinterColumns.map((c: any) => c.jsonPath),
    ).toEqual([
      '.status.message',
      '.status.conditions[?(@.type=="Reconciled")].message',
    ]);
    const type = h.store.getType({
      group: 'marketplace.kratix.io',
      plural: 'redis',
    })!;
    expect(type.statusSubresource).toBe(true);
    expect(type.namespaced).toBe(true);

    const promise = h.store.get(PROMISES, undefined, 'redis')!;
    const status = statusOf(promise);
    expect(status).toMatchObject({
      status: 'Available',
      kind: 'redis',
      apiVersion: 'marketplace.kratix.io/v1alpha1',
      version: 'v0.1.0',
      message: 'Promise configured', // its promise configure pipeline wrote no message
      workflows: 1,
      workflowsSucceeded: 1,
      workflowsFailed: 0,
      kratix: {
        status: 'Available',
        kind: 'redis',
        apiVersion: 'marketplace.kratix.io/v1alpha1',
        version: 'v0.1.0',
      },
    });
    expect(conditionOf(promise, 'Available')).toMatchObject({
      status: 'True',
      reason: 'PromiseAvailable',
      message: 'Ready to fulfil resource requests',
    });
    expect(conditionOf(promise, 'ConfigureWorkflowCompleted')).toMatchObject({
      status: 'True',
      reason: 'PipelinesExecutedSuccessfully',
    });
    expect(conditionOf(promise, 'Reconciled')).toMatchObject({
      status: 'True',
      reason: 'Reconciled',
    });
    expect(conditionOf(promise, 'RequirementsFulfilled')).toBeUndefined();
    // The promise workflow ran as a Job in kratix-platform-system.
    const promiseJobs = h.store.list(JOBS, {
      namespace: 'kratix-platform-system',
      labelSelector: 'kratix.io/workflow-type=promise',
    }).items;
    expect(promiseJobs).toHaveLength(1);
    expect(promiseJobs[0].metadata.name).toMatch(
      /^kratix-redis-promise-configure-[0-9a-f]{5}$/,
    );
  });

  it('deleting a Promise deletes its CRD and its Resources', async () => {
    h = startHarness(pipelinesWith({}));
    await h.install(testPromise('gone', []));
    await h.createAndWait([thing('gone', 'a')]);
    h.store.delete(PROMISES, undefined, 'gone');
    await h.emulator.idle();
    expect(
      h.store.get(CRDS, undefined, 'gones.test.kratix.io'),
    ).toBeUndefined();
    expect(h.store.getType(THINGS('gone'))).toBeUndefined();
    expect(
      h.changes.some(
        c =>
          c.type === 'DELETED' &&
          c.object.kind === 'gone' &&
          c.object.metadata.name === 'a',
      ),
    ).toBe(true);
  });
});
