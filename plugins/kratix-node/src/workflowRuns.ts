/*
 * A Resource's workflow runs as Kratix leaves them on the cluster: each pipeline Job with what its
 * Pod did (containers in Kratix's order: `reader`, the pipeline's own, `work-writer`, then the main
 * `status-writer`), newest first. No log content here: what a caller may see of the logs is decided
 * by whoever serves the runs.
 */
import type { KratixRunContainer } from '@kratix-backstage/plugin-kratix-common';
import type { V1ContainerStatus, V1Job, V1Pod } from '@kubernetes/client-node';

/**
 * One run as the cluster has it: a Job, and its Pod when the cluster still has one.
 *
 * @public
 */
export interface KratixWorkflowRunInfo {
  job: string;
  /** Where the Job and its Pod run. */
  namespace: string;
  pipeline: string;
  action?: string;
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  startedAt?: string;
  finishedAt?: string;
  pod?: string;
  containers: KratixRunContainer[];
  failedContainer?: string;
}

const JOB_NAME_LABELS = ['batch.kubernetes.io/job-name', 'job-name'];

const iso = (value: unknown): string | undefined => {
  if (value === undefined || value === null) return undefined;
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};

function jobOfPod(pod: V1Pod): string | undefined {
  const labels = pod.metadata?.labels ?? {};
  for (const key of JOB_NAME_LABELS) if (labels[key]) return labels[key];
  return pod.metadata?.ownerReferences?.find(o => o.kind === 'Job')?.name;
}

function containerOf(status: V1ContainerStatus, init: boolean) {
  const { running, terminated } = status.state ?? {};
  let state: KratixRunContainer['state'] = 'waiting';
  if (terminated) state = 'terminated';
  else if (running) state = 'running';
  const container: KratixRunContainer = { name: status.name, init, state };
  if (terminated) {
    container.exitCode = terminated.exitCode;
    container.reason = terminated.reason;
    container.startedAt = iso(terminated.startedAt);
    container.finishedAt = iso(terminated.finishedAt);
  } else if (running) {
    container.startedAt = iso(running.startedAt);
  } else if (status.state?.waiting?.reason) {
    container.reason = status.state.waiting.reason;
  }
  return container;
}

/** The Pod's containers in the order they run; ones without a status yet are waiting. */
export function podContainers(pod: V1Pod): KratixRunContainer[] {
  const statuses = new Map<string, V1ContainerStatus>();
  for (const s of [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ])
    statuses.set(s.name, s);
  const of = (name: string, init: boolean): KratixRunContainer => {
    const status = statuses.get(name);
    return status
      ? containerOf(status, init)
      : { name, init, state: 'waiting' };
  };
  return [
    ...(pod.spec?.initContainers ?? []).map(c => of(c.name, true)),
    ...(pod.spec?.containers ?? []).map(c => of(c.name, false)),
  ];
}

function jobPhase(job: V1Job, pod?: V1Pod): KratixWorkflowRunInfo['phase'] {
  const conditions = job.status?.conditions ?? [];
  const holds = (type: string) =>
    conditions.some(c => c.type === type && c.status === 'True');
  if (holds('Failed')) return 'Failed';
  if (holds('Complete')) return 'Succeeded';
  const podPhase = pod?.status?.phase;
  if (
    podPhase === 'Pending' ||
    podPhase === 'Running' ||
    podPhase === 'Succeeded' ||
    podPhase === 'Failed'
  )
    return podPhase;
  if ((job.status?.active ?? 0) > 0) return 'Running';
  return pod ? 'Unknown' : 'Pending';
}

/** The Jobs with their Pods (the newest Pod of each Job), newest run first. */
export function workflowRunsOf(
  jobs: V1Job[],
  pods: V1Pod[],
): KratixWorkflowRunInfo[] {
  const podOf = new Map<string, V1Pod>();
  for (const pod of pods) {
    const job = jobOfPod(pod);
    if (!job) continue;
    const key = `${pod.metadata?.namespace}/${job}`;
    const current = podOf.get(key);
    // A Job whose Pod was replaced has more than one: the newest tells what happened last.
    if (
      !current ||
      String(pod.metadata?.creationTimestamp ?? '') >
        String(current.metadata?.creationTimestamp ?? '')
    )
      podOf.set(key, pod);
  }
  const runs = jobs.map(job => {
    const labels = job.metadata?.labels ?? {};
    const namespace = job.metadata?.namespace ?? 'default';
    const name = job.metadata?.name ?? '';
    const pod = podOf.get(`${namespace}/${name}`);
    const containers = pod ? podContainers(pod) : [];
    const failedContainer = containers.find(
      c => c.state === 'terminated' && (c.exitCode ?? 0) !== 0,
    )?.name;
    const conditions = job.status?.conditions ?? [];
    const ended = conditions.find(
      c =>
        (c.type === 'Failed' || c.type === 'Complete') && c.status === 'True',
    );
    const run: KratixWorkflowRunInfo = {
      job: name,
      namespace,
      pipeline: labels['kratix.io/pipeline-name'] ?? name,
      action: labels['kratix.io/workflow-action'],
      phase: jobPhase(job, pod),
      startedAt: iso(job.status?.startTime ?? job.metadata?.creationTimestamp),
      finishedAt: iso(job.status?.completionTime ?? ended?.lastTransitionTime),
      pod: pod?.metadata?.name,
      containers,
    };
    if (failedContainer) run.failedContainer = failedContainer;
    return run;
  });
  return runs.sort(
    (a, b) =>
      (b.startedAt ?? '').localeCompare(a.startedAt ?? '') ||
      b.job.localeCompare(a.job),
  );
}
