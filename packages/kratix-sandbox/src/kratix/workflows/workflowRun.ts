/*
 * One run of a configure workflow (all pipelines, in order) for a Resource or a Promise, writing the
 * status Kratix writes at each step:
 *  - current Kratix: KX lib/workflow/reconciler.go (setPipelineStartingStatus, setFailedConditionAndEvents,
 *    reconcileWorkflowStatus) + the status-writer (statusMerge.ts);
 *  - legacy (pre 2024-10): PipelineCompleted False at each start, True after each pipeline, deep merge.
 * Each pipeline lasts at least `stepDelayMs` so clients can watch the in-progress states.
 */
import { stringify } from 'yaml';
import type { KubeObject, Store, TypeKey } from '../../store/types';
import { createOrUpdateWork, type WorkTarget } from '../scheduling/workCreator';
import type { PipelineOutput } from '../runner/pipelineRunner';
import { COND, PHASE } from '../common/constants';
import { getCondition, setCondition } from '../common/conditions';
import {
  getPromiseApi,
  PipelineDef,
  withPromiseCounters,
} from '../promises/promiseApi';
import type { PipelineRunner } from '../runner/pipelineRunner';
import {
  assertNoKratixKey,
  legacyMergeStatus,
  markAsCompleted,
  mergeStatuses,
  promiseStatusKeys,
  StatusWriteError,
} from './statusMerge';
import { updateStatus, writeWithRetry } from '../common/storeUtil';
import type { WorkflowControl } from '../runner/pipelineRunner';
import {
  clearPipelineSuspension,
  LABEL_WORKFLOW_SUSPENDED,
  markPipelineAsSuspended,
  parseGoDuration,
  suspendsOrRetries,
} from './workflowControl';
import {
  BACKOFF_LIMIT_EXCEEDED,
  createPipelineJob,
  DEADLINE_EXCEEDED,
  EventReporter,
  finishPipelineJob,
  pruneJobs,
  tryRecordEvent,
} from './workflowRecords';
import type { PipelinePod, PipelinePods } from './pipelinePods';

/**
 * Where the sandbox logs.
 *
 * @public
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug?(message: string): void;
}

export interface WorkflowDeps {
  store: Store;
  runner: PipelineRunner;
  stepDelayMs: number;
  logger: Logger;
  isStopped(): boolean;
  sleep(ms: number): Promise<void>;
  /** Pods for the pipeline Jobs, with their containers' logs; none when absent. */
  pods?: PipelinePods;
  /** Old Jobs kept per pipeline of an object (Kratix's numberOfJobsToKeep, default 5). */
  jobsToKeep?: number;
}

export interface WorkflowTarget {
  key: TypeKey;
  namespace?: string;
  name: string;
  type: 'resource' | 'promise';
  promise: KubeObject;
  pipelines: PipelineDef[];
  legacy: boolean;
  jobNamespace: string;
  pipelineNamespaceSet: boolean;
  /** Resume a suspended workflow at this pipeline (no reset of the earlier ones); default 0. */
  startAt?: number;
}

export type WorkflowOutcome =
  | 'succeeded'
  | 'failed'
  | 'gone'
  | 'stopped'
  | 'suspended';

type Status = Record<string, unknown>;
type PipelineEntry = {
  name: string;
  phase: string;
  lastTransitionTime: string;
  [k: string]: unknown;
};

function pipelinesOf(status: Status): PipelineEntry[] {
  const list = (status.kratix as any)?.workflows?.pipelines;
  return Array.isArray(list) ? list.map((p: PipelineEntry) => ({ ...p })) : [];
}

function setKratixWorkflows(
  status: Status,
  patch: Record<string, unknown>,
): void {
  const kratix = (
    status.kratix && typeof status.kratix === 'object' ? status.kratix : {}
  ) as Status;
  const workflows = (
    kratix.workflows && typeof kratix.workflows === 'object'
      ? kratix.workflows
      : {}
  ) as Status;
  status.kratix = { ...kratix, workflows: { ...workflows, ...patch } };
}

/** MarkCurrentPipelineAs: sets one pipeline's phase (and its lastTransitionTime when it changes). */
export function setPipelinePhase(
  status: Status,
  name: string,
  phase: string,
): void {
  const pipelines = pipelinesOf(status);
  const entry = pipelines.find(p => p.name === name);
  if (!entry || entry.phase === phase) return;
  entry.phase = phase;
  entry.lastTransitionTime = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  setKratixWorkflows(status, { pipelines });
}

/** ResetPipelineStatusToPending. */
export function resetPipelines(status: Status, pipelines: PipelineDef[]): void {
  const time = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const kratix = (
    status.kratix && typeof status.kratix === 'object' ? status.kratix : {}
  ) as Status;
  const workflows = { ...((kratix.workflows as Status) ?? {}) };
  delete workflows.suspendedGeneration;
  workflows.pipelines = pipelines.map(p => ({
    name: p.name,
    phase: PHASE.pending,
    lastTransitionTime: time,
  }));
  status.kratix = { ...kratix, workflows };
}

export function kratixEnv(
  target: WorkflowTarget,
  object: KubeObject,
  pipeline: PipelineDef,
  isLast: boolean,
  action: 'configure' | 'delete' = 'configure',
) {
  const [group, version] = object.apiVersion.includes('/')
    ? object.apiVersion.split('/')
    : ['', object.apiVersion];
  const api = getPromiseApi(target.promise);
  return {
    KRATIX_WORKFLOW_ACTION: action,
    KRATIX_WORKFLOW_TYPE: target.type,
    KRATIX_PROMISE_NAME: target.promise.metadata.name,
    KRATIX_PIPELINE_NAME: pipeline.name,
    KRATIX_OBJECT_KIND: object.kind,
    KRATIX_OBJECT_GROUP: group,
    KRATIX_OBJECT_VERSION: version,
    KRATIX_OBJECT_NAME: object.metadata.name,
    KRATIX_OBJECT_NAMESPACE: object.metadata.namespace ?? '',
    KRATIX_CRD_PLURAL:
      target.type === 'resource' ? api?.plural ?? '' : 'promises',
    KRATIX_CLUSTER_SCOPED: String(target.type === 'promise'),
    IS_LAST_PIPELINE: String(isLast),
  };
}

export class WorkflowRun {
  constructor(
    private readonly deps: WorkflowDeps,
    private readonly target: WorkflowTarget,
  ) {}

  /** Resources use cluster-api condition semantics, Promises apimachinery's. */
  private get style(): 'resource' | 'promise' {
    return this.target.type;
  }

  private get reporter(): EventReporter {
    return this.target.type === 'resource'
      ? 'ResourceRequestController'
      : 'PromiseController';
  }

  private status(
    mutate: (status: Status, object: KubeObject) => boolean | void,
  ): KubeObject | undefined {
    const { key, namespace, name } = this.target;
    return updateStatus(
      this.deps.store,
      key,
      namespace,
      name,
      (status, object) => {
        const result = mutate(status, object);
        if (this.target.type === 'promise') withPromiseCounters(status);
        return result;
      },
    );
  }

  private event(
    object: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
  ) {
    if (this.target.legacy) return; // pre-2024-10 Kratix recorded no workflow events
    tryRecordEvent(
      this.deps.store,
      this.deps.logger,
      object,
      type,
      reason,
      message,
      this.reporter,
    );
  }

  /** Runs every pipeline in order; stops at the first failure. */
  async run(): Promise<WorkflowOutcome> {
    const { pipelines, legacy } = this.target;
    const startAt = this.target.startAt ?? 0;
    if (!legacy && startAt === 0) {
      // ensureConfigureWorkflowStatus + reconcileWorkflowStatus for a fresh run.
      const ok = this.status(status => {
        status.workflows = pipelines.length;
        status.workflowsSucceeded = 0;
        status.workflowsFailed = 0;
        resetPipelines(status, pipelines);
      });
      if (!ok) return 'gone';
    }
    for (const [index, pipeline] of pipelines.entries()) {
      if (index < startAt) continue;
      const outcome = await this.runPipeline(
        pipeline,
        index,
        index === pipelines.length - 1,
      );
      if (outcome !== 'succeeded') return outcome;
    }
    return 'succeeded';
  }

  private startStatus(pipeline: PipelineDef, index: number) {
    return this.status(status => {
      if (this.target.legacy) {
        // setPipelineCompletedConditionStatus (KX 5a827eda^ lib/workflow/reconciler.go)
        const completed = getCondition(status, COND.pipelineCompleted);
        if (completed && completed.status === 'False') return false;
        const message = status.message;
        if (index === 0 || !message || message === 'Resource requested')
          status.message = 'Pending';
        setCondition(
          status,
          {
            type: COND.pipelineCompleted,
            status: 'False',
            reason: 'PipelineNotCompleted',
            message: 'Pipeline has not completed',
          },
          this.style,
        );
        return true;
      }
      status.message = 'Pending';
      setCondition(
        status,
        {
          type: COND.reconciled,
          status: 'Unknown',
          reason: 'WorkflowPending',
          message: 'Pending',
        },
        this.style,
      );
      const cwc = getCondition(status, COND.configureWorkflowCompleted);
      if (
        !cwc ||
        cwc.status !== 'False' ||
        cwc.reason !== 'PipelinesInProgress'
      ) {
        setCondition(
          status,
          {
            type: COND.configureWorkflowCompleted,
            status: 'False',
            reason: 'PipelinesInProgress',
            message: 'Pipelines are still in progress',
          },
          this.style,
        );
      }
      setPipelinePhase(status, pipeline.name, PHASE.running);
      return true;
    });
  }

  private async runPipeline(
    pipeline: PipelineDef,
    index: number,
    isLast: boolean,
  ): Promise<WorkflowOutcome> {
    const { store, logger } = this.deps;
    const { type, name } = this.target;
    const current = store.get(this.target.key, this.target.namespace, name);
    if (!current) return 'gone';
    // A deleting Resource starts no further configure pipeline (Kratix goes to deleteResources).
    if (type === 'resource' && current.metadata.deletionTimestamp)
      return 'gone';

    let job: KubeObject | undefined;
    try {
      job = createPipelineJob(store, {
        promise: this.target.promise,
        resource: type === 'resource' ? current : undefined,
        pipeline,
        namespace: this.target.jobNamespace,
        pipelineNamespaceSet: this.target.pipelineNamespaceSet,
      });
    } catch (error) {
      logger.warn(
        `could not create Job for pipeline ${pipeline.name}: ${error}`,
      );
    }
    this.event(
      current,
      'Normal',
      'PipelineStarted',
      `Configure Pipeline started: ${pipeline.name}`,
    );
    const started =
      this.startStatus(pipeline, index) ??
      store.get(this.target.key, this.target.namespace, name);
    if (!started) return 'gone';

    const startedAt = Date.now();
    logger.info(
      `${type} ${this.describe()}: running pipeline ${pipeline.name}`,
    );
    const pod = job ? this.deps.pods?.start(job) : undefined;
    pod?.adapter('reader', readerLines(started), () => undefined);
    const result = await this.deps.runner.run({
      pipeline,
      object: started,
      env: kratixEnv(this.target, started, pipeline, isLast),
      hooks: pod?.hooks,
    });
    const remaining = this.deps.stepDelayMs - (Date.now() - startedAt);
    if (remaining > 0) await this.deps.sleep(remaining);
    if (this.deps.isStopped()) return 'stopped';
    if (result.logs) logger.debug?.(result.logs);

    let failure = result.ok ? undefined : result.error;
    const control =
      type === 'resource' && !this.target.legacy ? result.control : undefined;
    let retryMs: number | undefined;
    if (!failure && control?.retryAfter) {
      retryMs = parseGoDuration(control.retryAfter);
      if (retryMs === undefined)
        failure = `failed to parse retryAfter duration specified in the workflow-control.yaml file: "${control.retryAfter}"`;
    }
    if (!failure) {
      try {
        // The work-creator init container runs before the status-writer.
        const writesWork =
          type === 'resource' && result.output && !suspendsOrRetries(control);
        this.inContainer(pod, 'work-writer', () => {
          if (!writesWork || !result.output) return;
          this.createWork(
            {
              promise: this.target.promise,
              resourceName: name,
              resourceNamespace: this.target.namespace ?? 'default',
              pipelineName: pipeline.name,
              pipelineNamespace: this.target.pipelineNamespaceSet
                ? this.target.jobNamespace
                : undefined,
            },
            result.output,
          );
        });
        this.inContainer(pod, 'status-writer', () =>
          this.writePipelineStatus(
            result.status ?? {},
            isLast,
            pipeline,
            control,
            retryMs,
          ),
        );
      } catch (error) {
        if (!(error instanceof StatusWriteError)) throw error;
        failure = error.message; // the status-writer container fails, so the Job fails
      }
    }
    if (failure) {
      logger.warn(
        `${type} ${this.describe()}: pipeline ${
          pipeline.name
        } failed: ${failure}`,
      );
      if (pod && !result.ok && !result.failedContainer && !result.timedOut) {
        // Reading the pipeline's metadata failed: that is the adapter's work, after the pipeline.
        const error = result.error;
        pod.adapter('work-writer', [], () => undefined);
        try {
          pod.adapter('status-writer', [], () => {
            throw new Error(error);
          });
        } catch {
          // recorded as the container's failure
        }
      }
      pod?.finish(false);
      if (job) this.finishJob(job, false, result.timedOut);
      this.pruneJobs();
      // A timeout says why in the Resource's condition; other failures keep Kratix's exact text.
      this.markFailed(pipeline, result.timedOut ? failure : undefined);
      return store.get(this.target.key, this.target.namespace, name)
        ? 'failed'
        : 'gone';
    }
    pod?.finish(true);
    if (job) this.finishJob(job, true);
    this.pruneJobs();
    if (suspendsOrRetries(control)) return 'suspended';
    if (!this.target.legacy) {
      // Next reconcile after the Job completed: count it and mark its phase.
      this.status(status => {
        status.workflowsSucceeded = index + 1;
        setPipelinePhase(status, pipeline.name, PHASE.succeeded);
      });
    }
    return 'succeeded';
  }

  /** One of the pipeline adapter's containers, when there is a Pod to show it in. */
  private inContainer(
    pod: PipelinePod | undefined,
    name: string,
    fn: () => void,
  ): void {
    if (pod) pod.adapter(name, [], fn);
    else fn();
  }

  /** Kratix's cleanupJobs: keep the newest Jobs of each of this object's pipelines. */
  private pruneJobs(): void {
    try {
      pruneJobs(this.deps.store, {
        promise: this.target.promise.metadata.name,
        object:
          this.target.type === 'resource'
            ? this.deps.store.get(
                this.target.key,
                this.target.namespace,
                this.target.name,
              )
            : undefined,
        type: this.target.type,
        namespace: this.target.jobNamespace,
        pipelines: this.target.pipelines.map(p => p.name),
        keep: this.deps.jobsToKeep,
      });
    } catch (error) {
      this.deps.logger.warn(`could not prune old Jobs: ${error}`);
    }
  }

  private createWork(...args: [WorkTarget, PipelineOutput]) {
    try {
      createOrUpdateWork(this.deps.store, ...args);
    } catch (error) {
      if (error instanceof StatusWriteError) throw error;
      throw new StatusWriteError(`work-creator failed: ${error}`); // the init container fails the Job
    }
  }

  /** The status-writer: merge status.yaml into the current status (one full status update). */
  private writePipelineStatus(
    incoming: Status,
    isLast: boolean,
    pipeline: PipelineDef,
    control?: WorkflowControl,
    retryMs?: number,
  ): void {
    const { legacy, type } = this.target;
    if (!legacy) assertNoKratixKey(incoming);
    let payload = incoming;
    if (type === 'promise') {
      const { kept, dropped } = promiseStatusKeys(incoming);
      if (dropped.length) {
        this.deps.logger.warn(
          `Warning: promise workflow status has unsupported keys: ${dropped.join(
            ', ',
          )} in status.yaml; only 'message' can be updated in Promise status.`,
        );
      }
      payload = kept;
    }
    const suspend = suspendsOrRetries(control);
    if (suspend) {
      // addWorkflowSuspendLabel, before the status update.
      const { key, namespace, name } = this.target;
      writeWithRetry(this.deps.store, key, namespace, name, o => {
        if (o.metadata.labels?.[LABEL_WORKFLOW_SUSPENDED] === 'true')
          return false;
        o.metadata.labels = {
          ...(o.metadata.labels ?? {}),
          [LABEL_WORKFLOW_SUSPENDED]: 'true',
        };
        return true;
      });
    }
    this.status((status, object) => {
      let merged = legacy
        ? legacyMergeStatus(status, payload, isLast)
        : mergeStatuses(status, payload);
      if (!legacy && isLast && !suspend) merged = markAsCompleted(merged, type);
      if (suspend && control) {
        const retryAt =
          retryMs === undefined
            ? undefined
            : new Date(Date.now() + retryMs)
                .toISOString()
                .replace(/\.\d{3}Z$/, 'Z');
        markPipelineAsSuspended(
          merged,
          pipeline.name,
          control,
          retryAt,
          object.metadata.generation ?? 1,
        );
      } else if (type === 'resource' && !legacy) {
        clearPipelineSuspension(merged, pipeline.name);
      }
      for (const key of Object.keys(status)) delete status[key];
      Object.assign(status, merged);
    });
  }

  private markFailed(pipeline: PipelineDef, detail?: string): void {
    if (this.target.legacy) return; // legacy: PipelineCompleted simply stays False
    const suffix = detail ? `: ${detail}` : '';
    const updated = this.status(status => {
      setCondition(
        status,
        {
          type: COND.configureWorkflowCompleted,
          status: 'False',
          reason: 'ConfigureWorkflowFailed',
          message: `A Configure Pipeline has failed: ${pipeline.name}${suffix}`,
        },
        this.style,
      );
      setCondition(
        status,
        {
          type: COND.reconciled,
          status: 'False',
          reason: 'ConfigureWorkflowFailed',
          message: 'Failing',
        },
        this.style,
      );
      status.workflowsFailed = 1;
      setPipelinePhase(status, pipeline.name, PHASE.failed);
    });
    if (updated) {
      this.event(
        updated,
        'Warning',
        'ConfigureWorkflowFailed',
        `A ${this.target.type}/configure Pipeline has failed: ${pipeline.name}${suffix}`,
      );
    }
  }

  private finishJob(job: KubeObject, succeeded: boolean, timedOut = false) {
    try {
      const failure = timedOut ? DEADLINE_EXCEEDED : BACKOFF_LIMIT_EXCEEDED;
      finishPipelineJob(this.deps.store, job, succeeded, failure);
      // The Job controller's own Event when it gives up on a Job past its deadline.
      if (timedOut) {
        tryRecordEvent(
          this.deps.store,
          this.deps.logger,
          job,
          'Warning',
          failure.reason,
          failure.message,
          'job-controller',
        );
      }
    } catch (error) {
      this.deps.logger.warn(
        `could not update Job ${job.metadata.name}: ${error}`,
      );
    }
  }

  private describe(): string {
    return this.target.namespace
      ? `${this.target.namespace}/${this.target.name}`
      : this.target.name;
  }
}

/** What Kratix's reader prints: where it wrote the object, and the head of the file. */
export function readerLines(object: KubeObject): string[] {
  const head = stringify(object).split('\n').slice(0, 10);
  return [
    'Object file written to: /kratix/input/object.yaml head of file:',
    ...head,
  ];
}
