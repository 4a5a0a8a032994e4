import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { KubeObject } from '../../store/types';
import {
  conditionOf,
  Harness,
  pipelinesWith,
  startHarness,
  statusOf,
  tempDir,
  testPromise,
  thing,
  THINGS,
} from '../__testUtils__/harness';
import {
  EVENT_KEY as EVENTS,
  JOB_KEY as JOBS,
  PROMISE_KEY as PROMISES,
} from '../common/constants';

let h: Harness;
afterEach(async () => {
  await h?.stop();
});

/** A Promise with a configure pipeline (image `ok`) and the given resource delete pipelines. */
function promiseWithDelete(name: string, deleteImages: string[]): KubeObject {
  const promise = testPromise(name, [{ name: 'configure', images: ['ok'] }]);
  const workflows = (promise.spec as any).workflows;
  workflows.resource.delete = deleteImages.map((image, i) => ({
    apiVersion: 'platform.kratix.io/v1alpha1',
    kind: 'Pipeline',
    metadata: { name: `delete-${i}` },
    spec: { containers: [{ name: 'c0', image }] },
  }));
  return promise;
}

async function installAndCreate(promise: KubeObject, name: string) {
  h.store.create(PROMISES, promise);
  await h.emulator.idle();
  h.store.create(
    THINGS(promise.metadata.name),
    thing(promise.metadata.name, name),
  );
  await h.emulator.idle();
}

const get = (promise: string, name: string) =>
  h.store.get(THINGS(promise), 'default', name);

const jobsEverCreated = (resource: string, action: string) =>
  h.changes.filter(
    c =>
      c.type === 'ADDED' &&
      c.object.kind === 'Job' &&
      c.object.metadata.labels?.['kratix.io/resource-name'] === resource &&
      c.object.metadata.labels?.['kratix.io/workflow-action'] === action,
  );

const eventsFor = (name: string) =>
  h.store
    .list(EVENTS, { namespace: 'default' })
    .items.filter((e: any) => e.involvedObject?.name === name) as any[];

function setLabel(
  promise: string,
  name: string,
  label: string,
  value?: string,
) {
  const rr = get(promise, name)!;
  const labels = { ...rr.metadata.labels };
  if (value === undefined) delete labels[label];
  else labels[label] = value;
  return h.store.update(THINGS(promise), {
    ...rr,
    metadata: { ...rr.metadata, labels },
  });
}

describe('Resource deletion', () => {
  it('adds the Kratix finalizers, runs the delete pipeline as a Job, cleans up and removes the Resource', async () => {
    const out = tempDir();
    h = startHarness(
      pipelinesWith({
        ok: 'true\n',
        cleanup: `echo "$KRATIX_WORKFLOW_ACTION $KRATIX_OBJECT_NAME" > '${out}/ran'\n`,
      }),
    );
    await installAndCreate(promiseWithDelete('delthing', ['cleanup']), 'd');
    expect(get('delthing', 'd')!.metadata.finalizers).toEqual(
      expect.arrayContaining([
        'kratix.io/work-cleanup',
        'kratix.io/workflows-cleanup',
        'kratix.io/delete-workflows',
      ]),
    );

    h.store.delete(THINGS('delthing'), 'default', 'd');
    // Held by the finalizers until the delete workflow has run.
    expect(get('delthing', 'd')?.metadata.deletionTimestamp).toBeDefined();
    await h.emulator.idle();

    expect(get('delthing', 'd')).toBeUndefined();
    expect(fs.readFileSync(path.join(out, 'ran'), 'utf8')).toBe('delete d\n');
    const deleteJobs = jobsEverCreated('d', 'delete');
    expect(deleteJobs).toHaveLength(1);
    expect(deleteJobs[0].object.metadata.name).toMatch(
      /^kratix-delthing-d-delete-0-[0-9a-f]{5}$/,
    );
    // kratix.io/workflows-cleanup: no workflow Job of the Resource is left.
    expect(
      h.store.list(JOBS, { labelSelector: 'kratix.io/resource-name=d' }).items,
    ).toHaveLength(0);
    expect(
      h.changes.some(
        c =>
          c.object.kind === 'delthing' &&
          (c.object.status as any)?.kratix?.workflows?.pipelines?.[0]?.name ===
            'delete-0' &&
          (c.object.status as any).kratix.workflows.pipelines[0].phase ===
            'Running',
      ),
    ).toBe(true);
    expect(h.errors).toEqual([]);
  });

  it('a Promise without delete pipelines: the finalizers go at once and the Resource disappears', async () => {
    h = startHarness(pipelinesWith({ ok: 'true\n' }));
    await installAndCreate(
      testPromise('nodelthing', [{ name: 'configure', images: ['ok'] }]),
      'n',
    );
    expect(get('nodelthing', 'n')!.metadata.finalizers).toContain(
      'kratix.io/delete-workflows',
    );
    h.store.delete(THINGS('nodelthing'), 'default', 'n');
    await h.emulator.idle();
    expect(get('nodelthing', 'n')).toBeUndefined();
    expect(jobsEverCreated('n', 'delete')).toHaveLength(0);
  });

  it('a failing delete pipeline keeps the Resource with DeleteWorkflowFailed; manual reconciliation retries it', async () => {
    const dir = pipelinesWith({ ok: 'true\n', cleanup: 'exit 1\n' });
    h = startHarness(dir);
    await installAndCreate(promiseWithDelete('faildel', ['cleanup']), 'f');
    h.store.delete(THINGS('faildel'), 'default', 'f');
    await h.emulator.idle();

    const stuck = get('faildel', 'f');
    expect(stuck?.metadata.deletionTimestamp).toBeDefined();
    expect(stuck?.metadata.finalizers).toContain('kratix.io/delete-workflows');
    expect(conditionOf(stuck, 'DeleteWorkflowCompleted')).toMatchObject({
      status: 'False',
      reason: 'DeleteWorkflowFailed',
      message: 'The Delete Pipeline has failed',
    });
    expect(statusOf(stuck).kratix.workflows.pipelines).toMatchObject([
      { name: 'delete-0', phase: 'Failed' },
    ]);
    expect(
      eventsFor('f').some(
        e =>
          e.type === 'Warning' &&
          e.reason === 'Failed Pipeline' &&
          e.message === 'The Delete Pipeline has failed',
      ),
    ).toBe(true);
    expect(jobsEverCreated('f', 'delete')).toHaveLength(1);

    // A status-only write does not re-run the failed delete pipeline.
    fs.writeFileSync(path.join(dir, 'cleanup'), 'true\n', { mode: 0o755 });
    setLabel('faildel', 'f', 'unrelated', 'x');
    await h.emulator.idle();
    expect(get('faildel', 'f')).toBeDefined();

    setLabel('faildel', 'f', 'kratix.io/manual-reconciliation', 'true');
    await h.emulator.idle();
    expect(get('faildel', 'f')).toBeUndefined();
    expect(jobsEverCreated('f', 'delete')).toHaveLength(2);
  });
});

describe('Manual reconciliation', () => {
  it('re-runs a Resource whose previous run failed', async () => {
    const dir = pipelinesWith({ step: 'exit 1\n' });
    h = startHarness(dir);
    h.store.create(
      PROMISES,
      testPromise('retrything', [{ name: 'configure', images: ['step'] }]),
    );
    await h.emulator.idle();
    h.store.create(THINGS('retrything'), thing('retrything', 'r'));
    await h.emulator.idle();
    expect(conditionOf(get('retrything', 'r'), 'Reconciled')?.status).toBe(
      'False',
    );

    fs.writeFileSync(path.join(dir, 'step'), 'true\n', { mode: 0o755 });
    setLabel('retrything', 'r', 'kratix.io/manual-reconciliation', 'true');
    await h.emulator.idle();
    const rr = get('retrything', 'r')!;
    expect(rr.metadata.labels).not.toHaveProperty(
      'kratix.io/manual-reconciliation',
    );
    expect(conditionOf(rr, 'Reconciled')).toMatchObject({
      status: 'True',
      reason: 'Reconciled',
    });
    expect(statusOf(rr).workflowsFailed).toBe(0);
    expect(jobsEverCreated('r', 'configure')).toHaveLength(2);
  });

  it('set while a run is in progress: another run follows it and the label is removed', async () => {
    const dir = tempDir();
    const gate = path.join(dir, 'gate');
    execFileSync('mkfifo', [gate]);
    // Only the first run waits at the gate; later runs finish at once.
    h = startHarness(
      pipelinesWith({
        step: `if [ ! -e '${dir}/ran' ]; then touch '${dir}/ran'; read -r _ < '${gate}'; fi\n`,
      }),
    );
    h.store.create(
      PROMISES,
      testPromise('busything', [{ name: 'configure', images: ['step'] }]),
    );
    await h.emulator.idle();

    const running = new Promise<void>(resolve => {
      const unsubscribe = h.store.subscribe(change => {
        if (
          change.object.kind === 'Job' &&
          (change.object.status as any)?.active === 1
        ) {
          unsubscribe();
          resolve();
        }
      });
    });
    h.store.create(THINGS('busything'), thing('busything', 'b'));
    await running;
    setLabel('busything', 'b', 'kratix.io/manual-reconciliation', 'true');
    await writeFile(gate, 'go\n'); // returns once the first run reads it
    await h.emulator.idle();

    const rr = get('busything', 'b')!;
    expect(jobsEverCreated('b', 'configure')).toHaveLength(2);
    expect(rr.metadata.labels).not.toHaveProperty(
      'kratix.io/manual-reconciliation',
    );
    expect(conditionOf(rr, 'Reconciled')?.status).toBe('True');
  });
});
