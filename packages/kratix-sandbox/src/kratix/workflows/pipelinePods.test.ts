/*
 * The Pod of each pipeline Job, as Kratix's Jobs produce it, and its garbage collection with the
 * Jobs Kratix prunes (numberOfJobsToKeep).
 */
import {
  type PodsSandbox,
  startPodsSandbox,
} from '../../__testUtils__/podsSandbox';
import type { KubeObject } from '../../store/types';
import { DEFAULT_JOBS_TO_KEEP } from './workflowRecords';

const POD_KEY = { group: '', plural: 'pods' };
const JOB_KEY = { group: 'batch', plural: 'jobs' };
const JENKINS = { group: 'marketplace.kratix.io', plural: 'jenkins' };
const phaseIs = (phase: string) => (pod: KubeObject) =>
  (pod.status as any)?.phase === phase;

describe('pipeline Pods', () => {
  jest.setTimeout(60_000);
  let p: PodsSandbox;
  beforeAll(async () => {
    p = await startPodsSandbox({ jobsToKeep: 2 });
  });
  afterAll(async () => {
    await p?.close();
  });

  it("carry the Job's labels, the Job controller's, and an ownerReference to the Job", async () => {
    p.create('jenkins', 'shape');
    const pod = await p.untilPod('shape', phaseIs('Succeeded'));
    const job = p.sandbox.store.get(
      JOB_KEY,
      'default',
      pod.metadata.labels!['job-name'],
    )!;
    expect(pod.metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'Kratix',
      'kratix.io/promise-name': 'jenkins',
      'kratix.io/resource-name': 'shape',
      'kratix.io/pipeline-name': 'instance-configure',
      'kratix.io/workflow-type': 'resource',
      'kratix.io/workflow-action': 'configure',
      'job-name': job.metadata.name,
      'batch.kubernetes.io/job-name': job.metadata.name,
      'controller-uid': job.metadata.uid,
      'batch.kubernetes.io/controller-uid': job.metadata.uid,
    });
    expect(pod.metadata.name).toMatch(
      new RegExp(`^${job.metadata.name}-[a-z0-9]{5}$`),
    );
    expect(pod.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        name: job.metadata.name,
        uid: job.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    // kubectl logs job/<job> finds the Pod through the Job's generated selector.
    expect((job.spec as any).selector).toEqual({
      matchLabels: { 'batch.kubernetes.io/controller-uid': job.metadata.uid },
    });
    const status = pod.status as any;
    expect(
      status.initContainerStatuses.map((c: any) => [
        c.name,
        c.state.terminated?.reason,
        c.state.terminated?.exitCode,
      ]),
    ).toEqual([
      ['reader', 'Completed', 0],
      ['jenkins-configure-pipeline', 'Completed', 0],
      ['work-writer', 'Completed', 0],
    ]);
    expect(status.containerStatuses).toMatchObject([
      {
        name: 'status-writer',
        ready: false,
        restartCount: 0,
        state: {
          terminated: {
            exitCode: 0,
            reason: 'Completed',
            startedAt: expect.any(String),
            finishedAt: expect.any(String),
          },
        },
      },
    ]);
  });

  it('of a failed run show the failing container with its exit code; those after it never ran', async () => {
    p.create('jenkins', 'fails', 'fail');
    const pod = await p.untilPod('fails', phaseIs('Failed'));
    const status = pod.status as any;
    expect(
      status.initContainerStatuses.map((c: any) => [c.name, c.state]),
    ).toEqual([
      [
        'reader',
        {
          terminated: expect.objectContaining({
            exitCode: 0,
            reason: 'Completed',
          }),
        },
      ],
      [
        'jenkins-configure-pipeline',
        {
          terminated: expect.objectContaining({ exitCode: 1, reason: 'Error' }),
        },
      ],
      ['work-writer', { waiting: { reason: 'PodInitializing' } }],
    ]);
    expect(status.containerStatuses[0].state).toEqual({
      waiting: { reason: 'PodInitializing' },
    });
  });

  it('go with the old Jobs Kratix prunes, keeping numberOfJobsToKeep per pipeline', async () => {
    expect(DEFAULT_JOBS_TO_KEEP).toBe(5); // Kratix's default; this sandbox keeps 2
    // Every Job of this Resource, in the order they were made.
    const made: string[] = [];
    const unsubscribe = p.sandbox.store.subscribe(change => {
      if (
        change.type === 'ADDED' &&
        change.resourceType.plural === 'jobs' &&
        change.object.metadata.labels?.['kratix.io/resource-name'] === 'rerun'
      )
        made.push(change.object.metadata.name);
    });
    p.create('jenkins', 'rerun');
    await p.sandbox.emulator.idle();
    for (const env of ['prod', 'dev', 'prod']) {
      // A spec change is a new generation: a new workflow run, a new Job and Pod.
      p.sandbox.store.patch(JENKINS, 'default', 'rerun', 'merge', {
        spec: { env },
      });
      await p.sandbox.emulator.idle();
    }
    unsubscribe();
    expect(made).toHaveLength(4);
    const selector = {
      namespace: 'default',
      labelSelector: 'kratix.io/resource-name=rerun',
    };
    const jobs = p.sandbox.store.list(JOB_KEY, selector).items;
    const pods = p.sandbox.store.list(POD_KEY, selector).items;
    // The two newest are kept; the older two went, and their Pods with them.
    expect(jobs.map(job => job.metadata.name).sort()).toEqual(
      made.slice(-2).sort(),
    );
    expect(pods.map(pod => pod.metadata.labels!['job-name']).sort()).toEqual(
      made.slice(-2).sort(),
    );
  });
});
