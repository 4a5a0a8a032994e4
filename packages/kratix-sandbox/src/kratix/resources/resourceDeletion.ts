/*
 * Deleting a Resource as Kratix does (KX internal/controller/dynamic_resource_request_controller.go
 * deleteResources, lib/workflow/reconciler.go ReconcileDelete): the finalizers Kratix adds hold the
 * deleted object while the Promise's first resource delete pipeline runs as a Job, then its Works
 * and workflow Jobs are cleaned up; once the last finalizer is removed the store deletes the object.
 * A failed delete pipeline keeps the Resource (DeleteWorkflowCompleted False) until
 * `kratix.io/manual-reconciliation` asks for another run.
 */
import type { KubeObject, TypeKey } from '../../store/types';
import {
  LABEL_MANUAL_RECONCILIATION,
  LABEL_PIPELINE_NAME,
  LABEL_WORKFLOW_ACTION,
  LABEL_WORKFLOW_TYPE,
  PHASE,
} from '../common/constants';
import { getCondition, setCondition } from '../common/conditions';
import type { ControllerContext } from '../common/controllerContext';
import {
  deletePipelines,
  isLegacyPromise,
  PipelineDef,
  pipelineNamespace,
} from '../promises/promiseApi';
import {
  assertNoKratixKey,
  mergeStatuses,
  StatusWriteError,
} from '../workflows/statusMerge';
import {
  labelsOf,
  statusOf,
  updateStatus,
  writeWithRetry,
} from '../common/storeUtil';
import {
  createPipelineJob,
  deleteResourceJobs,
  finishPipelineJob,
  recordRequestEvent,
  resourceJobs,
} from '../workflows/workflowRecords';
import {
  kratixEnv,
  readerLines,
  resetPipelines,
  setPipelinePhase,
} from '../workflows/workflowRun';

export const FINALIZER_WORK_CLEANUP = 'kratix.io/work-cleanup';
export const FINALIZER_WORKFLOWS_CLEANUP = 'kratix.io/workflows-cleanup';
export const FINALIZER_DELETE_WORKFLOWS = 'kratix.io/delete-workflows';
export const FINALIZER_RESOURCE_BINDING_CLEANUP =
  'kratix.io/resource-binding-cleanup';

/** getRRFinalizers: Kratix adds all of them to every Resource, delete pipelines or not. */
export const RESOURCE_FINALIZERS = [
  FINALIZER_WORK_CLEANUP,
  FINALIZER_WORKFLOWS_CLEANUP,
  FINALIZER_DELETE_WORKFLOWS,
  FINALIZER_RESOURCE_BINDING_CLEANUP,
];

export const COND_DELETE_WORKFLOW_COMPLETED = 'DeleteWorkflowCompleted';

const finalizersOf = (o: KubeObject) => o.metadata.finalizers ?? [];

const jobIsFailed = (job: KubeObject) =>
  Number((job.status as any)?.failed ?? 0) > 0;
const jobIsSucceeded = (job: KubeObject) =>
  Number((job.status as any)?.succeeded ?? 0) > 0;

export class ResourceDeletion {
  constructor(private readonly ctx: ControllerContext) {}

  /** addFinalizers: one update adding whichever Kratix finalizers are missing. */
  ensureFinalizers(key: TypeKey, rr: KubeObject): KubeObject | undefined {
    if (RESOURCE_FINALIZERS.every(f => finalizersOf(rr).includes(f))) return rr;
    return writeWithRetry(
      this.ctx.store,
      key,
      rr.metadata.namespace,
      rr.metadata.name,
      o => {
        if (o.metadata.deletionTimestamp) return false; // no new finalizers on a deleting object
        const missing = RESOURCE_FINALIZERS.filter(
          f => !finalizersOf(o).includes(f),
        );
        if (!missing.length) return false;
        o.metadata.finalizers = [...finalizersOf(o), ...missing];
        return true;
      },
    );
  }

  /** deleteResources: works through the finalizers in Kratix's order. */
  async reconcile(
    promise: KubeObject,
    key: TypeKey,
    rr: KubeObject,
  ): Promise<void> {
    let current: KubeObject | undefined = rr;
    if (finalizersOf(current).includes(FINALIZER_DELETE_WORKFLOWS)) {
      const done = await this.runDeleteWorkflow(promise, key, current);
      if (!done) return;
      current = this.removeFinalizer(key, current, FINALIZER_DELETE_WORKFLOWS);
    }
    // The sandbox schedules no Works and creates no ResourceBindings: nothing to wait for.
    if (current && finalizersOf(current).includes(FINALIZER_WORK_CLEANUP))
      current = this.removeFinalizer(key, current, FINALIZER_WORK_CLEANUP);
    if (
      current &&
      finalizersOf(current).includes(FINALIZER_WORKFLOWS_CLEANUP)
    ) {
      this.deleteWorkflowJobs(promise, current);
      current = this.removeFinalizer(key, current, FINALIZER_WORKFLOWS_CLEANUP);
    }
    if (
      current &&
      finalizersOf(current).includes(FINALIZER_RESOURCE_BINDING_CLEANUP)
    ) {
      this.removeFinalizer(key, current, FINALIZER_RESOURCE_BINDING_CLEANUP);
    }
  }

  private removeFinalizer(
    key: TypeKey,
    rr: KubeObject,
    finalizer: string,
  ): KubeObject | undefined {
    // Removing the last finalizer deletes the object: the store then has nothing to return.
    const result = writeWithRetry(
      this.ctx.store,
      key,
      rr.metadata.namespace,
      rr.metadata.name,
      o => {
        if (!finalizersOf(o).includes(finalizer)) return false;
        o.metadata.finalizers = finalizersOf(o).filter(f => f !== finalizer);
        return true;
      },
    );
    return this.ctx.store.get(key, rr.metadata.namespace, rr.metadata.name)
      ? result
      : undefined;
  }

  /** ReconcileDelete; true once the delete workflow has succeeded (or there is none). */
  private async runDeleteWorkflow(
    promise: KubeObject,
    key: TypeKey,
    rr: KubeObject,
  ): Promise<boolean> {
    const pipelines = deletePipelines(promise, 'resource');
    if (pipelines.length === 0) return true;
    if (pipelines.length > 1) {
      this.ctx.logger.warn(
        `${promise.metadata.name}: multiple delete pipelines found; only the first will be used`,
      );
    }
    const pipeline = pipelines[0];
    const jobNamespace =
      pipelineNamespace(promise) ?? rr.metadata.namespace ?? 'default';
    const manual = labelsOf(rr)[LABEL_MANUAL_RECONCILIATION] === 'true';
    const last = this.mostRecentDeleteJob(promise, rr, pipeline, jobNamespace);
    // A Job still "active" was left by a stopped emulator and never finishes: run again.
    if (last && !manual && jobIsSucceeded(last)) return true;
    if (last && !manual && jobIsFailed(last)) {
      this.markFailed(key, rr);
      return false;
    }
    return this.runPipeline(promise, key, rr, pipeline, jobNamespace);
  }

  private async runPipeline(
    promise: KubeObject,
    key: TypeKey,
    rr: KubeObject,
    pipeline: PipelineDef,
    jobNamespace: string,
  ): Promise<boolean> {
    const { store, logger } = this.ctx;
    const { namespace, name } = rr.metadata;
    const legacy = isLegacyPromise(promise);
    // createDeletePipeline: drop the manual-reconciliation label, pipeline status Pending → Running.
    writeWithRetry(store, key, namespace, name, o => {
      const labels = { ...(o.metadata.labels ?? {}) };
      if (!(LABEL_MANUAL_RECONCILIATION in labels)) return false;
      delete labels[LABEL_MANUAL_RECONCILIATION];
      o.metadata.labels = labels;
      return true;
    });
    const started = legacy
      ? store.get(key, namespace, name)
      : updateStatus(store, key, namespace, name, status => {
          resetPipelines(status, [pipeline]);
          setPipelinePhase(status, pipeline.name, PHASE.running);
        });
    if (!started) return false;
    let job: KubeObject | undefined;
    try {
      job = createPipelineJob(store, {
        promise,
        resource: started,
        pipeline,
        namespace: jobNamespace,
        pipelineNamespaceSet: !!pipelineNamespace(promise),
        action: 'delete',
      });
    } catch (error) {
      logger.warn(
        `could not create Job for delete pipeline ${pipeline.name}: ${error}`,
      );
    }
    this.event(
      started,
      'Normal',
      'PipelineStarted',
      `Delete Pipeline started: ${pipeline.name}`,
    );

    const startedAt = Date.now();
    const target = {
      key,
      namespace,
      name,
      type: 'resource' as const,
      promise,
      pipelines: [pipeline],
      legacy,
      jobNamespace,
      pipelineNamespaceSet: !!pipelineNamespace(promise),
    };
    const pod = job ? this.ctx.pods?.start(job) : undefined;
    pod?.adapter('reader', readerLines(started), () => undefined);
    const result = await this.ctx.runner.run({
      pipeline,
      object: started,
      env: kratixEnv(target, started, pipeline, true, 'delete'),
      hooks: pod?.hooks,
    });
    const remaining = this.ctx.stepDelayMs - (Date.now() - startedAt);
    if (remaining > 0) await this.ctx.sleep(remaining);
    if (this.ctx.isStopped()) return false;
    if (result.logs) logger.debug?.(result.logs);

    let failure = result.ok ? undefined : result.error;
    if (!failure) {
      try {
        // The delete Job's status-writer merges status.yaml like the configure one.
        const incoming = result.status ?? {};
        const writeStatus = () => {
          if (!legacy) assertNoKratixKey(incoming);
          updateStatus(store, key, namespace, name, status => {
            const merged = mergeStatuses(status, incoming);
            if (!legacy)
              setPipelinePhase(merged, pipeline.name, PHASE.succeeded);
            for (const k of Object.keys(status)) delete status[k];
            Object.assign(status, merged);
          });
        };
        if (pod) pod.adapter('status-writer', [], writeStatus);
        else writeStatus();
      } catch (error) {
        if (!(error instanceof StatusWriteError)) throw error;
        failure = error.message;
      }
    }
    pod?.finish(!failure);
    if (job) {
      try {
        finishPipelineJob(store, job, !failure);
      } catch (error) {
        logger.warn(`could not update Job ${job.metadata.name}: ${error}`);
      }
    }
    if (failure) {
      logger.warn(
        `resource ${namespace}/${name}: delete pipeline ${pipeline.name} failed: ${failure}`,
      );
      this.markFailed(key, rr, pipeline);
      return false;
    }
    return true;
  }

  /** handleDeletePipelineFailure: the condition, a Warning event, the pipeline phase. */
  private markFailed(key: TypeKey, rr: KubeObject, pipeline?: PipelineDef) {
    const existing = getCondition(
      statusOf(
        this.ctx.store.get(key, rr.metadata.namespace, rr.metadata.name),
      ),
      COND_DELETE_WORKFLOW_COMPLETED,
    );
    if (existing?.reason === 'DeleteWorkflowFailed' && !pipeline) return;
    const updated = updateStatus(
      this.ctx.store,
      key,
      rr.metadata.namespace,
      rr.metadata.name,
      status => {
        setCondition(status, {
          type: COND_DELETE_WORKFLOW_COMPLETED,
          status: 'False',
          reason: 'DeleteWorkflowFailed',
          message: 'The Delete Pipeline has failed',
        });
        if (pipeline) setPipelinePhase(status, pipeline.name, PHASE.failed);
      },
    );
    if (updated)
      this.event(
        updated,
        'Warning',
        'Failed Pipeline',
        'The Delete Pipeline has failed',
      );
  }

  private mostRecentDeleteJob(
    promise: KubeObject,
    rr: KubeObject,
    pipeline: PipelineDef,
    jobNamespace: string,
  ): KubeObject | undefined {
    const jobs = resourceJobs(
      this.ctx.store,
      promise.metadata.name,
      rr,
      [
        `${LABEL_WORKFLOW_TYPE}=resource`,
        `${LABEL_WORKFLOW_ACTION}=delete`,
        `${LABEL_PIPELINE_NAME}=${pipeline.name}`,
      ],
      jobNamespace,
    );
    // resourceVersion grows with every write, so the greatest one is the newest Job.
    return jobs.sort(
      (a, b) =>
        Number(b.metadata.resourceVersion) - Number(a.metadata.resourceVersion),
    )[0];
  }

  /** deleteWorkflows: every workflow Job (configure and delete) of the Resource. */
  private deleteWorkflowJobs(promise: KubeObject, rr: KubeObject) {
    deleteResourceJobs(this.ctx.store, promise.metadata.name, rr, [
      `${LABEL_WORKFLOW_TYPE}=resource`,
    ]);
  }

  private event(
    object: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
  ) {
    recordRequestEvent(this.ctx, object, type, reason, message);
  }
}
