/*
 * A Resource's configure workflow as Kratix's dynamic controller runs it: when it runs (create,
 * generation change, manual-reconciliation, unpause, Promise change, requiredPromises met), the
 * statuses, conditions, Jobs and Events at each step, current and legacy Kratix, failures and
 * timeouts.
 */
import fs from 'node:fs';
import type { KubeObject } from '../../store/types';
import {
  conditionOf,
  Harness,
  pipelinesWith,
  readSeed,
  startHarness,
  statusOf,
  tempDir,
  testPromise,
  thing,
  THINGS,
} from '../__testUtils__/harness';
import {
  CRD_KEY as CRDS,
  EVENT_KEY as EVENTS,
  JOB_KEY as JOBS,
  PROMISE_KEY as PROMISES,
} from '../common/constants';

let h: Harness;
afterEach(async () => {
  await h?.stop();
});

const jobsFor = (resource: string) =>
  h.store.list(JOBS, { labelSelector: `kratix.io/resource-name=${resource}` })
    .items;

describe('Resource workflows', () => {
  it('elastic-cloud (legacy switch) ends as the tutorial shows, with PipelineCompleted', async () => {
    h = startHarness();
    await h.install(readSeed('promises/elastic-cloud.yaml'));
    const crd = h.store.get(
      CRDS,
      undefined,
      'elastic-clouds.workshop.kratix.io',
    )!;
    expect((crd.spec as any).versions[0].additionalPrinterColumns).toEqual([
      { name: 'status', type: 'string', jsonPath: '.status.message' },
    ]);
    await h.createAndWait([readSeed('resources/elastic-cloud-example.yaml')]);

    const rr = h.store.get(
      { group: 'workshop.kratix.io', plural: 'elastic-clouds' },
      'default',
      'example',
    )!;
    const status = statusOf(rr);
    expect(status.message).toBe(
      'Instance example provisioned with preconfigured system metrics',
    );
    expect(status.initialLoginDetails).toEqual({
      username: 'elastic',
      passwordSecretName: 'example-es-elastic-user',
    });
    expect(status.conditions).toEqual([
      {
        type: 'PipelineCompleted',
        status: 'True',
        reason: 'PipelineExecutedSuccessfully',
        message: 'Pipeline completed',
        lastTransitionTime: expect.stringMatching(/Z$/),
      },
    ]);
    expect(status.observedGeneration).toBe(1);
    for (const absent of [
      'kratix',
      'workflows',
      'workflowsSucceeded',
      'lastSuccessfulConfigureWorkflowTime',
    ]) {
      expect(status).not.toHaveProperty(absent);
    }
    expect(rr.metadata.labels).toMatchObject({
      'kratix.io/promise-name': 'elastic-cloud',
    });
    // It passed through PipelineCompleted False while running.
    expect(
      h.changes.some(
        c =>
          c.object.metadata.name === 'example' &&
          conditionOf(c.object, 'PipelineCompleted')?.reason ===
            'PipelineNotCompleted' &&
          statusOf(c.object).message === 'Pending',
      ),
    ).toBe(true);
  });

  it('current Kratix: a pipeline writing no status ends Reconciled with "Resource requested"', async () => {
    h = startHarness(pipelinesWith({ quiet: 'echo nothing to report\n' }));
    await h.install(
      testPromise('quietthing', [
        { name: 'configure', images: ['example.com/quiet:v1'] },
      ]),
    );
    await h.createAndWait([thing('quietthing', 'one')]);

    const rr = h.store.get(THINGS('quietthing'), 'default', 'one')!;
    const status = statusOf(rr);
    expect(status.message).toBe('Resource requested');
    const cwc = conditionOf(rr, 'ConfigureWorkflowCompleted');
    expect(cwc).toMatchObject({
      status: 'True',
      reason: 'PipelinesExecutedSuccessfully',
      message: 'Pipelines completed',
    });
    expect(conditionOf(rr, 'WorksSucceeded')).toMatchObject({
      status: 'True',
      reason: 'WorksSucceeded',
      message: 'All works associated with this resource are ready',
    });
    expect(conditionOf(rr, 'Reconciled')).toMatchObject({
      status: 'True',
      reason: 'Reconciled',
      message: 'Reconciled',
    });
    expect(status.lastSuccessfulConfigureWorkflowTime).toBe(
      cwc.lastTransitionTime,
    );
    expect(status.kratix.workflows.lastSuccessfulConfigureWorkflowTime).toBe(
      cwc.lastTransitionTime,
    );
    expect(status.kratix.workflows.pipelines).toEqual([
      {
        name: 'configure',
        phase: 'Succeeded',
        lastTransitionTime: expect.any(String),
      },
    ]);
    expect(status).toMatchObject({
      observedGeneration: 1,
      workflows: 1,
      workflowsSucceeded: 1,
      workflowsFailed: 0,
    });
  });

  it('shows the in-progress state while a pipeline runs', async () => {
    h = startHarness(pipelinesWith({ step: 'true\n' }), 50);
    await h.install(
      testPromise('slowthing', [{ name: 'configure', images: ['step'] }]),
    );
    let midRun: KubeObject | undefined;
    const unsubscribe = h.store.subscribe(change => {
      // The moment the Job exists, the Resource must already show Pending / in progress.
      if (
        change.type === 'MODIFIED' &&
        change.object.kind === 'Job' &&
        (change.object.status as any)?.active === 1
      ) {
        midRun = h.store.get(THINGS('slowthing'), 'default', 'mid');
      }
    });
    h.store.create(THINGS('slowthing'), thing('slowthing', 'mid'));
    await h.emulator.idle();
    unsubscribe();

    const snapshots = h.changes
      .filter(c => c.object.kind === 'slowthing')
      .map(c => c.object);
    const inProgress = snapshots.find(
      o =>
        conditionOf(o, 'ConfigureWorkflowCompleted')?.reason ===
        'PipelinesInProgress',
    );
    expect(inProgress).toBeDefined();
    expect(statusOf(inProgress).message).toBe('Pending');
    expect(conditionOf(inProgress, 'ConfigureWorkflowCompleted')).toMatchObject(
      { status: 'False', message: 'Pipelines are still in progress' },
    );
    expect(conditionOf(inProgress, 'Reconciled')).toMatchObject({
      status: 'Unknown',
      reason: 'WorkflowPending',
      message: 'Pending',
    });
    expect(
      snapshots.some(
        o => statusOf(o).kratix?.workflows?.pipelines?.[0]?.phase === 'Running',
      ),
    ).toBe(true);
    expect(
      snapshots.some(
        o => statusOf(o).kratix?.workflows?.pipelines?.[0]?.phase === 'Pending',
      ),
    ).toBe(true);
    expect(midRun).toBeDefined();
    expect(
      conditionOf(
        h.store.get(THINGS('slowthing'), 'default', 'mid'),
        'Reconciled',
      )?.status,
    ).toBe('True');
  });

  it('runs pipelines in order; each sees the previous status; top-level keys are replaced, not deep-merged', async () => {
    h = startHarness(
      pipelinesWith({
        first:
          'cat <<EOF > /kratix/metadata/status.yaml\nmessage: User created, next step is to create vault secret for user\niam:\n  user: admin\nfirst: done\nEOF\n',
        // Fails unless pipeline 1's status reached the object it receives.
        second:
          'set -e\ngrep -q "first: done" /kratix/input/object.yaml\ngrep -q "user: admin" /kratix/input/object.yaml\ncat <<EOF > /kratix/metadata/status.yaml\nmessage: User created and vault secret created\niam:\n  password: <vault-ref>\nEOF\n',
      }),
    );
    await h.install(
      testPromise('iamthing', [
        { name: 'create-user', images: ['first'] },
        { name: 'create-secret', images: ['second'] },
      ]),
    );
    await h.createAndWait([thing('iamthing', 'svc')]);

    const status = statusOf(h.store.get(THINGS('iamthing'), 'default', 'svc'));
    expect(
      conditionOf(
        h.store.get(THINGS('iamthing'), 'default', 'svc'),
        'ConfigureWorkflowCompleted',
      )?.status,
    ).toBe('True');
    expect(status.iam).toEqual({ password: '<vault-ref>' });
    expect(status.first).toBe('done');
    expect(status.message).toBe('User created and vault secret created');
    expect(
      status.kratix.workflows.pipelines.map((p: any) => [p.name, p.phase]),
    ).toEqual([
      ['create-user', 'Succeeded'],
      ['create-secret', 'Succeeded'],
    ]);
    expect(status).toMatchObject({ workflows: 2, workflowsSucceeded: 2 });
    // Jobs in creation order (a list is sorted by name).
    const jobs = h.changes
      .filter(
        c =>
          c.type === 'ADDED' &&
          c.object.kind === 'Job' &&
          c.object.metadata.labels?.['kratix.io/resource-name'] === 'svc',
      )
      .map(c => c.object.metadata.labels!['kratix.io/pipeline-name']);
    expect(jobs).toEqual(['create-user', 'create-secret']);
    // While pipeline 2 ran, pipeline 1 was Succeeded and ConfigureWorkflowCompleted was still False.
    expect(
      h.changes.some(c => {
        const pipelines = statusOf(c.object).kratix?.workflows?.pipelines;
        return (
          c.object.kind === 'iamthing' &&
          pipelines?.[0]?.phase === 'Succeeded' &&
          pipelines?.[1]?.phase === 'Running' &&
          conditionOf(c.object, 'ConfigureWorkflowCompleted')?.status ===
            'False'
        );
      }),
    ).toBe(true);
  });

  it("refuses a status.yaml writing the reserved 'kratix' key and fails the pipeline", async () => {
    h = startHarness(
      pipelinesWith({
        sneaky:
          'printf "message: hi\\nkratix:\\n  foo: bar\\n" > /kratix/metadata/status.yaml\n',
      }),
    );
    await h.install(
      testPromise('sneakything', [{ name: 'configure', images: ['sneaky'] }]),
    );
    await h.createAndWait([thing('sneakything', 's')]);
    const rr = h.store.get(THINGS('sneakything'), 'default', 's')!;
    expect(conditionOf(rr, 'ConfigureWorkflowCompleted')).toMatchObject({
      status: 'False',
      reason: 'ConfigureWorkflowFailed',
      message: 'A Configure Pipeline has failed: configure',
    });
    expect(statusOf(rr).message).toBe('Pending');
    expect(statusOf(rr).kratix.foo).toBeUndefined();
  });

  it('reports a failing pipeline like Kratix and writes nothing from its status.yaml', async () => {
    h = startHarness(
      pipelinesWith({
        broken:
          'echo "message: should not appear" > /kratix/metadata/status.yaml\nexit 1\n',
      }),
    );
    await h.install(
      testPromise('brokenthing', [
        { name: 'instance-configure', images: ['broken'] },
      ]),
    );
    await h.createAndWait([thing('brokenthing', 'b')]);

    const rr = h.store.get(THINGS('brokenthing'), 'default', 'b')!;
    const status = statusOf(rr);
    expect(status.message).toBe('Pending');
    expect(conditionOf(rr, 'ConfigureWorkflowCompleted')).toMatchObject({
      status: 'False',
      reason: 'ConfigureWorkflowFailed',
      message: 'A Configure Pipeline has failed: instance-configure',
    });
    expect(conditionOf(rr, 'Reconciled')).toMatchObject({
      status: 'False',
      reason: 'ConfigureWorkflowFailed',
      message: 'Failing',
    });
    expect(conditionOf(rr, 'WorksSucceeded')).toBeUndefined();
    expect(status).toMatchObject({
      workflows: 1,
      workflowsSucceeded: 0,
      workflowsFailed: 1,
    });
    expect(status.kratix.workflows.pipelines[0].phase).toBe('Failed');
    expect(status.observedGeneration).toBeUndefined();
    const [job] = jobsFor('b');
    expect(job.status).toMatchObject({ failed: 1 });
    expect((job.status as any).conditions.map((c: any) => c.type)).toContain(
      'Failed',
    );
    const events = h.store
      .list(EVENTS, { namespace: 'default' })
      .items.filter(e => (e.involvedObject as any).name === 'b');
    expect(
      events.find(e => e.reason === 'ConfigureWorkflowFailed'),
    ).toMatchObject({
      type: 'Warning',
      message: 'A resource/configure Pipeline has failed: instance-configure',
    });
  });

  it('kills a pipeline that outlives the timeout and fails it as a Job past its deadline', async () => {
    const workDir = tempDir('kratix-timeout-work-');
    h = startHarness(pipelinesWith({ hang: 'sleep 3600\n' }), 0, {
      pipelineTimeoutMs: 200,
      workDir,
    });
    await h.install(
      testPromise('hangthing', [
        { name: 'instance-configure', images: ['hang'] },
      ]),
    );
    // idle() resolves once the run has ended: here only the timeout can end it.
    await h.createAndWait([thing('hangthing', 'h')]);

    const rr = h.store.get(THINGS('hangthing'), 'default', 'h')!;
    const message =
      "A Configure Pipeline has failed: instance-configure: ran longer than the sandbox's pipeline timeout of 0.2s and was killed";
    expect(conditionOf(rr, 'ConfigureWorkflowCompleted')).toMatchObject({
      status: 'False',
      reason: 'ConfigureWorkflowFailed',
      message,
    });
    expect(conditionOf(rr, 'Reconciled')).toMatchObject({
      status: 'False',
      reason: 'ConfigureWorkflowFailed',
    });
    expect(statusOf(rr)).toMatchObject({ workflowsFailed: 1 });
    expect(statusOf(rr).kratix.workflows.pipelines[0].phase).toBe('Failed');

    const [job] = jobsFor('h');
    expect(job.status).toMatchObject({ failed: 1 });
    expect((job.status as any).active).toBeUndefined();
    expect((job.status as any).conditions).toEqual([
      expect.objectContaining({
        type: 'FailureTarget',
        status: 'True',
        reason: 'DeadlineExceeded',
        message: 'Job was active longer than specified deadline',
      }),
      expect.objectContaining({
        type: 'Failed',
        status: 'True',
        reason: 'DeadlineExceeded',
        message: 'Job was active longer than specified deadline',
      }),
    ]);

    const events = h.store.list(EVENTS, { namespace: 'default' }).items;
    expect(
      events.find(
        e =>
          (e.involvedObject as any).name === 'h' &&
          e.reason === 'ConfigureWorkflowFailed',
      ),
    ).toMatchObject({
      type: 'Warning',
      message:
        "A resource/configure Pipeline has failed: instance-configure: ran longer than the sandbox's pipeline timeout of 0.2s and was killed",
    });
    expect(
      events.find(
        e =>
          (e.involvedObject as any).kind === 'Job' &&
          (e.involvedObject as any).name === job.metadata.name,
      ),
    ).toMatchObject({
      type: 'Warning',
      reason: 'DeadlineExceeded',
      source: { component: 'job-controller' },
    });
    expect(fs.readdirSync(workDir)).toEqual([]);
  });

  it('a Promise without a resource configure workflow gives its Resources no conditions', async () => {
    h = startHarness(pipelinesWith({}));
    await h.install(testPromise('plainthing', []));
    await h.createAndWait([thing('plainthing', 'p')]);
    const status = statusOf(h.store.get(THINGS('plainthing'), 'default', 'p'));
    expect(status).toEqual({
      observedGeneration: 1,
      workflows: 0,
      workflowsSucceeded: 0,
      workflowsFailed: 0,
    });
    expect(jobsFor('p')).toHaveLength(0);
  });

  it('holds Resources Pending until requiredPromises are installed, then runs them', async () => {
    h = startHarness(
      pipelinesWith({
        ok: 'echo "message: ready" > /kratix/metadata/status.yaml\n',
      }),
    );
    await h.install(
      testPromise('needy', [{ name: 'configure', images: ['ok'] }], {
        requiredPromises: [{ name: 'base' }],
      }),
    );
    await h.createAndWait([thing('needy', 'n')]);

    let promise = h.store.get(PROMISES, undefined, 'needy')!;
    expect(statusOf(promise)).toMatchObject({
      status: 'Unavailable',
      requiredPromises: [{ name: 'base', state: 'Requirement not installed' }],
    });
    expect(conditionOf(promise, 'RequirementsFulfilled')).toMatchObject({
      status: 'False',
      reason: 'RequirementsNotInstalled',
      message: 'Requirements not fulfilled',
    });
    expect(conditionOf(promise, 'Available')).toMatchObject({
      status: 'False',
      reason: 'PromiseUnavailable',
    });
    let rr = h.store.get(THINGS('needy'), 'default', 'n')!;
    expect(statusOf(rr).message).toBe('Pending');
    expect(conditionOf(rr, 'PromiseAvailable')).toMatchObject({
      status: 'False',
      reason: 'PromiseRequirementsNotInstalled',
      message: 'Promise Requirements are not installed',
    });
    expect(jobsFor('n')).toHaveLength(0);

    await h.install(testPromise('base', []));
    promise = h.store.get(PROMISES, undefined, 'needy')!;
    expect(statusOf(promise)).toMatchObject({
      status: 'Available',
      requiredPromises: [{ name: 'base', state: 'Requirement installed' }],
    });
    expect(conditionOf(promise, 'RequirementsFulfilled')).toMatchObject({
      status: 'True',
      reason: 'RequirementsInstalled',
    });
    expect(
      statusOf(h.store.get(PROMISES, undefined, 'base')).requiredBy,
    ).toEqual([{ promise: { name: 'needy' } }]);
    rr = h.store.get(THINGS('needy'), 'default', 'n')!;
    expect(conditionOf(rr, 'PromiseAvailable')).toMatchObject({
      status: 'True',
      reason: 'PromiseAvailable',
      message: 'Promise Requirements are met',
    });
    expect(statusOf(rr).message).toBe('ready');
    expect(conditionOf(rr, 'Reconciled')?.status).toBe('True');
  });

  it('re-runs on kratix.io/manual-reconciliation and removes the label', async () => {
    h = startHarness(pipelinesWith({ ok: 'true\n' }));
    await h.install(
      testPromise('manualthing', [{ name: 'configure', images: ['ok'] }]),
    );
    await h.createAndWait([thing('manualthing', 'm')]);
    expect(jobsFor('m')).toHaveLength(1);

    const rr = h.store.get(THINGS('manualthing'), 'default', 'm')!;
    h.store.update(THINGS('manualthing'), {
      ...rr,
      metadata: {
        ...rr.metadata,
        labels: {
          ...rr.metadata.labels,
          'kratix.io/manual-reconciliation': 'true',
        },
      },
    });
    await h.emulator.idle();
    expect(jobsFor('m')).toHaveLength(2);
    const after = h.store.get(THINGS('manualthing'), 'default', 'm')!;
    expect(after.metadata.labels).not.toHaveProperty(
      'kratix.io/manual-reconciliation',
    );
    expect(conditionOf(after, 'Reconciled')?.status).toBe('True');
  });

  it('honours kratix.io/paused and resumes when it is removed', async () => {
    h = startHarness(pipelinesWith({ ok: 'true\n' }));
    await h.install(
      testPromise('pausething', [{ name: 'configure', images: ['ok'] }]),
    );
    await h.createAndWait([
      thing(
        'pausething',
        'z',
        { size: 'small' },
        { labels: { 'kratix.io/paused': 'true' } },
      ),
    ]);
    let rr = h.store.get(THINGS('pausething'), 'default', 'z')!;
    expect(conditionOf(rr, 'Reconciled')).toMatchObject({
      status: 'Unknown',
      reason: 'PausedReconciliation',
      message: 'Paused',
    });
    expect(jobsFor('z')).toHaveLength(0);

    const labels = { ...rr.metadata.labels };
    delete labels['kratix.io/paused'];
    h.store.update(THINGS('pausething'), {
      ...rr,
      metadata: { ...rr.metadata, labels },
    });
    await h.emulator.idle();
    rr = h.store.get(THINGS('pausething'), 'default', 'z')!;
    expect(jobsFor('z')).toHaveLength(1);
    expect(conditionOf(rr, 'Reconciled')).toMatchObject({
      status: 'True',
      reason: 'Reconciled',
    });
  });

  it('records Jobs and Events as Kratix does', async () => {
    h = startHarness(pipelinesWith({ ok: 'true\n' }));
    await h.install(
      testPromise('recordthing', [
        { name: 'instance-configure', images: ['ghcr.io/x/ok:v1'] },
      ]),
    );
    await h.createAndWait([thing('recordthing', 'r')]);
    const rr = h.store.get(THINGS('recordthing'), 'default', 'r')!;

    const [job] = jobsFor('r');
    expect(job.metadata.namespace).toBe('default'); // the Resource's namespace (no pipelineNamespace)
    expect(job.metadata.name).toMatch(
      /^kratix-recordthing-r-instance-configure-[0-9a-f]{5}$/,
    );
    expect(job.metadata.labels).toEqual({
      'kratix.io/promise-name': 'recordthing',
      'kratix.io/resource-name': 'r',
      'kratix.io/pipeline-name': 'instance-configure',
      'kratix.io/workflow-type': 'resource',
      'kratix.io/workflow-action': 'configure',
      'app.kubernetes.io/managed-by': 'Kratix',
    });
    expect(job.metadata.annotations).toEqual({
      'kratix.io/job-resource-namespace': 'default',
      'kratix.io/job-resource-name': 'r',
      'kratix.io/job-resource-kind': 'recordthing',
      'kratix.io/job-resource-api-version': 'test.kratix.io/v1alpha1',
    });
    expect(job.metadata.ownerReferences).toEqual([
      expect.objectContaining({
        kind: 'recordthing',
        name: 'r',
        uid: rr.metadata.uid,
      }),
    ]);
    expect(job.status).toMatchObject({
      succeeded: 1,
      startTime: expect.any(String),
      completionTime: expect.any(String),
    });
    expect((job.status as any).conditions.map((c: any) => c.type)).toContain(
      'Complete',
    );
    const images = (job.spec as any).template.spec.initContainers.map(
      (c: any) => c.name,
    );
    expect(images).toEqual(['reader', 'c0', 'work-writer']);

    const events = h.store
      .list(EVENTS, { namespace: 'default' })
      .items.filter(e => (e.involvedObject as any).uid === rr.metadata.uid);
    const byReason = Object.fromEntries(events.map(e => [e.reason, e]));
    expect(byReason.PipelineStarted).toMatchObject({
      type: 'Normal',
      message: 'Configure Pipeline started: instance-configure',
      source: { component: 'ResourceRequestController' },
      count: 1,
    });
    expect(byReason.WorksSucceeded).toMatchObject({
      message: 'All works associated with this resource are ready',
    });
    expect(byReason.ReconcileSucceeded).toMatchObject({
      message: 'Successfully reconciled',
    });
    expect(byReason.PipelineStarted.involvedObject as any).toMatchObject({
      kind: 'recordthing',
      name: 'r',
      namespace: 'default',
    });
  });

  it('re-runs on a generation change but not on a status-only write', async () => {
    h = startHarness(pipelinesWith({ ok: 'true\n' }));
    await h.install(
      testPromise('genthing', [{ name: 'configure', images: ['ok'] }]),
    );
    await h.createAndWait([thing('genthing', 'g')]);
    expect(jobsFor('g')).toHaveLength(1);

    let rr = h.store.get(THINGS('genthing'), 'default', 'g')!;
    h.store.update(
      THINGS('genthing'),
      { ...rr, status: { ...(rr.status as object), note: 'hello' } },
      { subresource: 'status' },
    );
    await h.emulator.idle();
    expect(jobsFor('g')).toHaveLength(1);

    rr = h.store.get(THINGS('genthing'), 'default', 'g')!;
    h.store.update(THINGS('genthing'), { ...rr, spec: { size: 'large' } });
    await h.emulator.idle();
    expect(jobsFor('g')).toHaveLength(2);
    rr = h.store.get(THINGS('genthing'), 'default', 'g')!;
    expect(rr.metadata.generation).toBe(2);
    expect(statusOf(rr).observedGeneration).toBe(2);
    expect(statusOf(rr).note).toBe('hello'); // keys nobody rewrote persist
  });

  it('re-runs every Resource when its Promise changes', async () => {
    h = startHarness(pipelinesWith({ ok: 'true\n' }));
    await h.install(
      testPromise('promisegen', [{ name: 'configure', images: ['ok'] }]),
    );
    await h.createAndWait([thing('promisegen', 'x'), thing('promisegen', 'y')]);
    const promise = h.store.get(PROMISES, undefined, 'promisegen')!;
    h.store.update(PROMISES, {
      ...promise,
      spec: {
        ...(promise.spec as object),
        destinationSelectors: [{ matchLabels: { env: 'dev' } }],
      },
    });
    await h.emulator.idle();
    expect(jobsFor('x')).toHaveLength(2);
    expect(jobsFor('y')).toHaveLength(2);
    expect(
      statusOf(h.store.get(PROMISES, undefined, 'promisegen'))
        .observedGeneration,
    ).toBe(2);
  });
});
