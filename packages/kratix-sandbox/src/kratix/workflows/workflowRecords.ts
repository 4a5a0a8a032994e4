/*
 * The traces a Kratix workflow leaves in the cluster: one batch/v1 Job per pipeline run
 * (KX api/v1alpha1/pipeline_factory.go) and core v1 Events on the object
 * (KX lib/workflow/reconciler.go, internal/controller/*; recorders "ResourceRequestController"
 * and "PromiseController"). The Jobs run nothing: they mirror the in-process run's progress.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { KubeObject, Store } from '../../store/types';
import {
  ANNOTATION_JOB_RESOURCE_API_VERSION,
  ANNOTATION_JOB_RESOURCE_KIND,
  ANNOTATION_JOB_RESOURCE_NAME,
  ANNOTATION_JOB_RESOURCE_NAMESPACE,
  EVENT_KEY,
  JOB_KEY,
  LABEL_MANAGED_BY,
  LABEL_PIPELINE_NAME,
  LABEL_PROMISE_NAME,
  LABEL_RESOURCE_NAME,
  LABEL_RESOURCE_NAMESPACE,
  LABEL_WORKFLOW_ACTION,
  LABEL_WORKFLOW_TYPE,
} from '../common/constants';
import { nowTime } from '../common/conditions';
import type { PipelineDef } from '../promises/promiseApi';
import { updateStatus } from '../common/storeUtil';

const PIPELINE_ADAPTER_IMAGE =
  'ghcr.io/syntasso/kratix-platform-pipeline-adapter:latest';
const MAX_NAME = 63 - 1 - 5;

/** objectutil.GenerateObjectName: truncate, trim non-alphanumerics, append 5 hex chars. */
export function generateObjectName(name: string): string {
  let base = name.length > MAX_NAME ? name.slice(0, MAX_NAME - 1) : name;
  while (base && !/[a-zA-Z0-9]$/.test(base)) base = base.slice(0, -1);
  return `${base}-${randomUUID().slice(0, 5)}`;
}

export interface JobContext {
  promise: KubeObject;
  /** The Resource for resource workflows; absent for Promise workflows. */
  resource?: KubeObject;
  pipeline: PipelineDef;
  namespace: string;
  /** `spec.workflows.config.pipelineNamespace` is set (adds the resource namespace to names/labels). */
  pipelineNamespaceSet: boolean;
  /** The workflow action (default `configure`). */
  action?: 'configure' | 'delete';
}

export function jobName(ctx: JobContext): string {
  let name = `kratix-${ctx.promise.metadata.name}`;
  if (ctx.resource) {
    name += `-${ctx.resource.metadata.name}`;
    if (ctx.pipelineNamespaceSet) name += `-${ctx.resource.metadata.namespace}`;
  }
  return generateObjectName(`${name}-${ctx.pipeline.name}`);
}

export function jobLabels(ctx: JobContext): Record<string, string> {
  const labels: Record<string, string> = {
    [LABEL_PROMISE_NAME]: ctx.promise.metadata.name,
    [LABEL_WORKFLOW_TYPE]: ctx.resource ? 'resource' : 'promise',
    [LABEL_WORKFLOW_ACTION]: ctx.action ?? 'configure',
    [LABEL_PIPELINE_NAME]: ctx.pipeline.name,
    [LABEL_MANAGED_BY]: 'Kratix',
  };
  if (ctx.resource) {
    labels[LABEL_RESOURCE_NAME] = ctx.resource.metadata.name;
    if (ctx.pipelineNamespaceSet)
      labels[LABEL_RESOURCE_NAMESPACE] = ctx.resource.metadata.namespace ?? '';
  }
  return labels;
}

function ownerReference(
  owner: KubeObject,
  controller: boolean,
): Record<string, unknown> {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    ...(controller ? { controller: true, blockOwnerDeletion: true } : {}),
  };
}

/** Creates the Job for a pipeline run, already "active" (its pod is running). */
export function createPipelineJob(store: Store, ctx: JobContext): KubeObject {
  const parent = ctx.resource ?? ctx.promise;
  const labels = jobLabels(ctx);
  // Resource Jobs are owned by the Resource only when in its namespace; Promise Jobs always.
  const owners =
    !ctx.resource || ctx.resource.metadata.namespace === ctx.namespace
      ? [ownerReference(parent, !ctx.resource)]
      : undefined;
  const containers = ctx.pipeline.containers.map((c, i) => ({
    name: c.name ?? `container-${i}`,
    image: c.image,
    ...(c.env ? { env: c.env } : {}),
  }));
  const job: KubeObject = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobName(ctx),
      namespace: ctx.namespace,
      labels,
      annotations: {
        [ANNOTATION_JOB_RESOURCE_NAMESPACE]: parent.metadata.namespace ?? '',
        [ANNOTATION_JOB_RESOURCE_NAME]: parent.metadata.name,
        [ANNOTATION_JOB_RESOURCE_KIND]: parent.kind,
        [ANNOTATION_JOB_RESOURCE_API_VERSION]: parent.apiVersion,
      },
      ...(owners ? { ownerReferences: owners } : {}),
    },
    spec: {
      backoffLimit: 6,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'OnFailure',
          serviceAccountName: `${ctx.promise.metadata.name}-${
            ctx.resource ? 'resource' : 'promise'
          }-${ctx.action ?? 'configure'}-${ctx.pipeline.name}`,
          initContainers: [
            {
              name: 'reader',
              image: PIPELINE_ADAPTER_IMAGE,
              command: ['sh', '-c', 'reader'],
            },
            ...containers,
            // Delete pipelines schedule no Works, so they have no work-writer.
            ...(ctx.action === 'delete'
              ? []
              : [
                  {
                    name: 'work-writer',
                    image: PIPELINE_ADAPTER_IMAGE,
                    command: ['/bin/pipeline-adapter'],
                  },
                ]),
          ],
          containers: [
            {
              name: 'status-writer',
              image: PIPELINE_ADAPTER_IMAGE,
              command: ['/bin/pipeline-adapter'],
              args: ['update-status'],
            },
          ],
        },
      },
    },
  };
  const created = store.create(JOB_KEY, job);
  return (
    updateStatus(
      store,
      JOB_KEY,
      ctx.namespace,
      created.metadata.name,
      status => {
        status.active = 1;
        status.ready = 0;
        status.startTime = nowTime();
      },
    ) ?? created
  );
}

/** Why the Job controller failed a Job: the reason and message of its Failed condition. */
export interface JobFailure {
  reason: string;
  message: string;
}

/** The pod kept failing (here: a script exited non-zero). */
export const BACKOFF_LIMIT_EXCEEDED: JobFailure = {
  reason: 'BackoffLimitExceeded',
  message: 'Job has reached the specified backoff limit',
};

/** The Job ran past its deadline (here: the sandbox's pipeline timeout). */
export const DEADLINE_EXCEEDED: JobFailure = {
  reason: 'DeadlineExceeded',
  message: 'Job was active longer than specified deadline',
};

/** Marks a Job finished, as the Job controller reports a pod that exited 0 / non-zero. */
export function finishPipelineJob(
  store: Store,
  job: KubeObject,
  succeeded: boolean,
  failure: JobFailure = BACKOFF_LIMIT_EXCEEDED,
): void {
  updateStatus(
    store,
    JOB_KEY,
    job.metadata.namespace,
    job.metadata.name,
    status => {
      const time = nowTime();
      delete status.active;
      status.ready = 0;
      if (succeeded) {
        status.succeeded = 1;
        status.completionTime = time;
        status.conditions = [
          {
            type: 'SuccessCriteriaMet',
            status: 'True',
            reason: 'CompletionsReached',
            message: 'Reached expected number of succeeded pods',
            lastProbeTime: time,
            lastTransitionTime: time,
          },
          {
            type: 'Complete',
            status: 'True',
            reason: 'CompletionsReached',
            message: 'Reached expected number of succeeded pods',
            lastProbeTime: time,
            lastTransitionTime: time,
          },
        ];
      } else {
        status.failed = 1;
        status.conditions = [
          {
            type: 'FailureTarget',
            status: 'True',
            reason: failure.reason,
            message: failure.message,
            lastProbeTime: time,
            lastTransitionTime: time,
          },
          {
            type: 'Failed',
            status: 'True',
            reason: failure.reason,
            message: failure.message,
            lastProbeTime: time,
            lastTransitionTime: time,
          },
        ];
      }
    },
  );
}

export type EventReporter =
  | 'ResourceRequestController'
  | 'PromiseController'
  | 'DestinationController'
  | 'Scheduler'
  | 'WorkController'
  | 'WorkPlacementController'
  | 'job-controller';

/**
 * A Resource's workflow Jobs: those labelled with its Promise and name (and `labels`, more
 * `key=value` terms) whose resource-namespace annotation is its namespace. `namespace` narrows the
 * search to the namespace the Jobs run in.
 */
export function resourceJobs(
  store: Store,
  promiseName: string,
  rr: KubeObject,
  labels: string[] = [],
  namespace?: string,
): KubeObject[] {
  if (!store.getType(JOB_KEY)) return [];
  const labelSelector = [
    `${LABEL_PROMISE_NAME}=${promiseName}`,
    `${LABEL_RESOURCE_NAME}=${rr.metadata.name}`,
    ...labels,
  ].join(',');
  return store
    .list(JOB_KEY, { namespace, labelSelector })
    .items.filter(
      job =>
        job.metadata.annotations?.[ANNOTATION_JOB_RESOURCE_NAMESPACE] ===
        (rr.metadata.namespace ?? ''),
    );
}

/** Kratix's default `numberOfJobsToKeep` (KX cmd/main.go numJobsToKeepDefault). */
export const DEFAULT_JOBS_TO_KEEP = 5;

/**
 * KX lib/workflow/reconciler.go cleanupJobs/pruneJobs: per pipeline of the workflow, the object's
 * Jobs beyond the newest `keep` are deleted, oldest first, in the background; the garbage
 * collector takes their Pods (and with them their logs). Runs after each run, failed or not.
 */
export function pruneJobs(
  store: Store,
  opts: {
    promise: string;
    type: 'resource' | 'promise';
    /** The Resource (resource workflows); a Resource already gone is left to its own cleanup. */
    object?: KubeObject;
    namespace: string;
    pipelines: string[];
    action?: 'configure' | 'delete';
    keep?: number;
  },
): void {
  if (opts.type === 'resource' && !opts.object) return;
  // As Kratix's getNumJobsToKeep: less than one is not a setting, so the default applies.
  const keep =
    opts.keep !== undefined && opts.keep >= 1
      ? Math.floor(opts.keep)
      : DEFAULT_JOBS_TO_KEEP;
  for (const pipeline of opts.pipelines) {
    const selector = [
      `${LABEL_PROMISE_NAME}=${opts.promise}`,
      `${LABEL_WORKFLOW_TYPE}=${opts.type}`,
      `${LABEL_WORKFLOW_ACTION}=${opts.action ?? 'configure'}`,
      `${LABEL_PIPELINE_NAME}=${pipeline}`,
      ...(opts.object
        ? [`${LABEL_RESOURCE_NAME}=${opts.object.metadata.name}`]
        : []),
    ].join(',');
    const jobs = store
      .list(JOB_KEY, { namespace: opts.namespace, labelSelector: selector })
      .items.filter(
        job =>
          !opts.object ||
          job.metadata.annotations?.[ANNOTATION_JOB_RESOURCE_NAMESPACE] ===
            (opts.object.metadata.namespace ?? ''),
      );
    if (jobs.length <= keep) continue;
    // Creation order: creationTimestamp has whole seconds, so ties go by resourceVersion.
    jobs.sort(
      (a, b) =>
        String(a.metadata.creationTimestamp).localeCompare(
          String(b.metadata.creationTimestamp),
        ) ||
        Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion),
    );
    for (const job of jobs.slice(0, jobs.length - keep)) {
      try {
        store.delete(JOB_KEY, job.metadata.namespace, job.metadata.name, {
          propagationPolicy: 'Background',
        });
      } catch {
        // already gone
      }
    }
  }
}

/** Deletes a Resource's workflow Jobs (see resourceJobs); one already gone is no error. */
export function deleteResourceJobs(
  store: Store,
  promiseName: string,
  rr: KubeObject,
  labels: string[] = [],
): void {
  for (const job of resourceJobs(store, promiseName, rr, labels)) {
    try {
      store.delete(JOB_KEY, job.metadata.namespace, job.metadata.name);
    } catch {
      // already gone
    }
  }
}

/** An Event about a Resource, reported as Kratix's resource request controller reports it. */
export function recordRequestEvent(
  ctx: { store: Store; logger: { warn(message: string): void } },
  object: KubeObject,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
): void {
  tryRecordEvent(
    ctx.store,
    ctx.logger,
    object,
    type,
    reason,
    message,
    'ResourceRequestController',
  );
}

/** Records an Event, best-effort as Kubernetes controllers do: a failure is logged, not thrown. */
export function tryRecordEvent(
  store: Store,
  logger: { warn(message: string): void },
  object: KubeObject,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
  reporter: EventReporter,
): void {
  try {
    recordEvent(store, object, type, reason, message, reporter);
  } catch (error) {
    logger.warn(`could not record event ${reason}: ${error}`);
  }
}

/**
 * Records a core v1 Event about `object`; an identical event (same object, type, reason, message)
 * is aggregated by bumping `count`/`lastTimestamp`, as client-go's recorder does.
 */
export function recordEvent(
  store: Store,
  object: KubeObject,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
  reporter: EventReporter,
): void {
  // Events about cluster-scoped objects live in `default`, as kubectl describe expects.
  const namespace = object.metadata.namespace || 'default';
  const existing = store
    .list(EVENT_KEY, { namespace })
    .items.find(
      e =>
        (e.involvedObject as any)?.uid === object.metadata.uid &&
        e.reason === reason &&
        e.message === message &&
        e.type === type,
    );
  const time = nowTime();
  if (existing) {
    const next = {
      ...existing,
      count: Number(existing.count ?? 1) + 1,
      lastTimestamp: time,
    };
    store.update(EVENT_KEY, next);
    return;
  }
  store.create(EVENT_KEY, {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `${object.metadata.name}.${randomBytes(8).toString('hex')}`,
      namespace,
    },
    involvedObject: {
      apiVersion: object.apiVersion,
      kind: object.kind,
      name: object.metadata.name,
      ...(object.metadata.namespace
        ? { namespace: object.metadata.namespace }
        : {}),
      uid: object.metadata.uid,
      resourceVersion: object.metadata.resourceVersion,
    },
    reason,
    message,
    type,
    count: 1,
    firstTimestamp: time,
    lastTimestamp: time,
    source: { component: reporter },
    reportingComponent: reporter,
    reportingInstance: '',
    action: reason,
  });
}
