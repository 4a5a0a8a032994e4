import fs from 'node:fs';
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
import { PROMISE_KEY as PROMISES } from '../common/constants';
import { parseGoDuration } from './workflowControl';

let h: Harness;
afterEach(async () => {
  await h?.stop();
});

/** First run writes `control` to workflow-control.yaml; later runs finish normally. */
function controlScript(dir: string, control: string) {
  return pipelinesWith({
    step:
      `if [ ! -e '${dir}/ran' ]; then touch '${dir}/ran'; ` +
      `printf '${control}' > /kratix/metadata/workflow-control.yaml; fi\n` +
      `echo "runs: $(ls '${dir}' | wc -l)" > /kratix/metadata/status.yaml; touch '${dir}/run-'$$\n`,
  });
}

async function start(promise: string, pipelinesDir: string) {
  h = startHarness(pipelinesDir);
  h.store.create(
    PROMISES,
    testPromise(promise, [
      { name: 'first', images: ['step'] },
      { name: 'second', images: [] },
    ]),
  );
  await h.emulator.idle();
  h.store.create(THINGS(promise), thing(promise, 's'));
  await h.emulator.idle();
  return h.store.get(THINGS(promise), 'default', 's')!;
}

/** Resolves with the Resource once it is Reconciled True (a watch event, no polling). */
function reconciled(promise: string): Promise<KubeObject> {
  return new Promise(resolve => {
    let unsubscribe = () => {};
    const check = (o: KubeObject | undefined) => {
      if (o && conditionOf(o, 'Reconciled')?.status === 'True') {
        unsubscribe();
        resolve(o);
      }
    };
    unsubscribe = h.store.subscribe(change => {
      if (change.object.kind === promise && change.type !== 'DELETED')
        check(change.object);
    });
    check(h.store.get(THINGS(promise), 'default', 's'));
  });
}

describe('workflow-control.yaml', () => {
  it('parses Go durations', () => {
    expect(parseGoDuration('1m30s')).toBe(90_000);
    expect(parseGoDuration('250ms')).toBe(250);
    expect(parseGoDuration('1.5h')).toBe(5_400_000);
    expect(parseGoDuration('soon')).toBeUndefined();
    expect(parseGoDuration('5')).toBeUndefined();
  });

  it('suspend: labels the Resource, marks it Suspended, and resumes at that pipeline when the label goes', async () => {
    const dir = tempDir();
    const rr = await start(
      'suspthing',
      controlScript(dir, 'suspend: true\\nmessage: waiting for approval\\n'),
    );
    expect(rr.metadata.labels).toMatchObject({
      'kratix.io/workflow-suspended': 'true',
    });
    expect(conditionOf(rr, 'Reconciled')).toMatchObject({
      status: 'Unknown',
      reason: 'WorkflowSuspended',
      message: 'Suspended',
    });
    expect(conditionOf(rr, 'ConfigureWorkflowCompleted')?.status).toBe('False');
    const workflows = statusOf(rr).kratix.workflows;
    expect(workflows.suspendedGeneration).toBe(1);
    expect(workflows.pipelines).toMatchObject([
      { name: 'first', phase: 'Suspended', message: 'waiting for approval' },
      { name: 'second', phase: 'Pending' },
    ]);
    expect(workflows.pipelines[0]).not.toHaveProperty('nextRetryAt');

    const done = reconciled('suspthing');
    const labels = { ...rr.metadata.labels };
    delete labels['kratix.io/workflow-suspended'];
    h.store.update(THINGS('suspthing'), {
      ...rr,
      metadata: { ...rr.metadata, labels },
    });
    const after = await done;
    expect(statusOf(after).runs).toBe(2); // the suspended pipeline ran a second time
    expect(statusOf(after).kratix.workflows).not.toHaveProperty(
      'suspendedGeneration',
    );
    expect(
      statusOf(after).kratix.workflows.pipelines.map((p: any) => p.phase),
    ).toEqual(['Succeeded', 'Succeeded']);
  });

  it('retryAfter: records nextRetryAt and attempts, then re-runs by itself after the interval', async () => {
    const dir = tempDir();
    const rr = await start(
      'retrything',
      controlScript(dir, 'retryAfter: 1s\\nmessage: not yet\\n'),
    );
    const done = reconciled('retrything');
    const entry = statusOf(rr).kratix.workflows.pipelines[0];
    expect(entry).toMatchObject({
      phase: 'Suspended',
      attempts: 1,
      message: 'not yet',
    });
    expect(Date.parse(entry.nextRetryAt)).toBeGreaterThan(Date.now() - 1000);
    expect(conditionOf(rr, 'Reconciled')?.reason).toBe('WorkflowSuspended');

    const after = await done;
    expect(after.metadata.labels).not.toHaveProperty(
      'kratix.io/workflow-suspended',
    );
    expect(statusOf(after).kratix.workflows.pipelines[0]).not.toHaveProperty(
      'attempts',
    );
    expect(fs.readdirSync(dir).filter(f => f.startsWith('run-'))).toHaveLength(
      2,
    );
  });
});
