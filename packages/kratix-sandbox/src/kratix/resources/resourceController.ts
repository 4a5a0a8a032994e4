/*
 * Emulates Kratix's DynamicResourceRequestController (KX internal/controller/
 * dynamic_resource_request_controller.go) for every Resource kind a Promise defines: decides when a
 * Resource's configure workflow runs (create, generation change, manual-reconciliation label,
 * unpause, Promise update) and writes the statuses around the run.
 */
import type { KubeObject, StoreChange, TypeKey } from '../../store/types';
import {
  COND,
  LABEL_MANUAL_RECONCILIATION,
  LABEL_PAUSED,
  LABEL_PROMISE_NAME,
  PROMISE_KEY,
} from '../common/constants';
import { getCondition, setCondition } from '../common/conditions';
import { ControllerContext, typeId } from '../common/controllerContext';
import {
  configurePipelines,
  getPromiseApi,
  isLegacyPromise,
  pipelineNamespace,
} from '../promises/promiseApi';
import {
  labelsOf,
  statusOf,
  updateStatus,
  writeWithRetry,
} from '../common/storeUtil';
import { ResourceDeletion } from './resourceDeletion';
import {
  LABEL_WORKFLOW_SUSPENDED,
  nextRetryAt,
  suspendedPipelineIndex,
} from '../workflows/workflowControl';
import {
  deleteResourceJobs,
  recordRequestEvent,
} from '../workflows/workflowRecords';
import { WorkflowRun } from '../workflows/workflowRun';
import {
  applyWorksStatus,
  worksOfResource,
  worksState,
  type Event as WorkEvent,
} from '../scheduling/worksStatus';

const isTrue = (labels: Record<string, string>, key: string) =>
  labels[key] === 'true';

export class ResourceController {
  /** Generation whose workflow run was started last, per Resource (in-memory, like Kratix's Jobs). */
  private readonly ranGeneration = new Map<string, number>();
  /** Resources to re-run regardless of generation (Promise updated / reconcile-resources). */
  private readonly forced = new Set<string>();
  private readonly deletion: ResourceDeletion;
  /** Resources with a pending retryAfter timer. */
  private readonly retryTimers = new Set<string>();

  constructor(private readonly ctx: ControllerContext) {
    this.deletion = new ResourceDeletion(ctx);
  }

  handleChange(change: StoreChange, promiseName: string): void {
    const { object, previous, resourceType } = change;
    const key: TypeKey = {
      group: resourceType.group,
      plural: resourceType.plural,
    };
    const id = this.id(key, object);
    if (change.type === 'DELETED') {
      this.ranGeneration.delete(id);
      this.forced.delete(id);
      this.deleteJobs(promiseName, object);
      return;
    }
    if (change.type === 'MODIFIED' && previous) {
      const before = labelsOf(previous);
      const after = labelsOf(object);
      const relevant =
        previous.metadata.generation !== object.metadata.generation ||
        (isTrue(after, LABEL_MANUAL_RECONCILIATION) &&
          !isTrue(before, LABEL_MANUAL_RECONCILIATION)) ||
        before[LABEL_PAUSED] !== after[LABEL_PAUSED] ||
        before[LABEL_WORKFLOW_SUSPENDED] !== after[LABEL_WORKFLOW_SUSPENDED] ||
        (!!object.metadata.deletionTimestamp &&
          !previous.metadata.deletionTimestamp);
      if (!relevant) return; // status-only and bookkeeping writes don't trigger a run
    }
    this.enqueue(
      promiseName,
      key,
      object.metadata.namespace,
      object.metadata.name,
    );
  }

  enqueue(
    promiseName: string,
    key: TypeKey,
    namespace: string | undefined,
    name: string,
  ): void {
    const id = `resource:${typeId(key)}/${namespace ?? ''}/${name}`;
    this.ctx.queue.enqueue(id, () =>
      this.reconcile(promiseName, key, namespace, name),
    );
  }

  /** Queues every Resource of a Promise; `force` re-runs their workflows (Promise spec changed). */
  enqueueAll(promiseName: string, options: { force?: boolean } = {}): void {
    const promise = this.ctx.store.get(PROMISE_KEY, undefined, promiseName);
    const api = promise && getPromiseApi(promise);
    if (
      !api ||
      !this.ctx.store.getType({ group: api.group, plural: api.plural })
    )
      return;
    const key = { group: api.group, plural: api.plural };
    for (const item of this.ctx.store.list(key).items) {
      if (options.force) this.forced.add(this.id(key, item));
      this.enqueue(
        promiseName,
        key,
        item.metadata.namespace,
        item.metadata.name,
      );
    }
  }

  private id(key: TypeKey, object: KubeObject): string {
    return `${typeId(key)}/${object.metadata.namespace ?? ''}/${
      object.metadata.name
    }`;
  }

  private async reconcile(
    promiseName: string,
    key: TypeKey,
    namespace: string | undefined,
    name: string,
  ) {
    const { store } = this.ctx;
    let rr = store.get(key, namespace, name);
    const promise = store.get(PROMISE_KEY, undefined, promiseName);
    if (!rr || !promise) return;
    const legacy = isLegacyPromise(promise);
    const id = this.id(key, rr);

    // reconcileIfPaused: a paused Promise pauses all its Resources.
    const promisePaused = isTrue(labelsOf(promise), LABEL_PAUSED);
    if (promisePaused || isTrue(labelsOf(rr), LABEL_PAUSED)) {
      if (!legacy) this.markPaused(key, rr, promisePaused);
      return; // as in Kratix, this holds a deleting Resource too until it is unpaused
    }

    if (rr.metadata.deletionTimestamp) {
      await this.deletion.reconcile(promise, key, rr);
      return;
    }

    // Kratix labels each Resource with its Promise.
    if (labelsOf(rr)[LABEL_PROMISE_NAME] !== promiseName) {
      rr =
        writeWithRetry(store, key, namespace, name, o => {
          o.metadata.labels = {
            ...(o.metadata.labels ?? {}),
            [LABEL_PROMISE_NAME]: promiseName,
          };
        }) ?? rr;
    }

    // The dynamic controller only fulfils requests once the Promise is Available.
    const promiseStatus = statusOf(promise);
    if (promiseStatus.status !== 'Available') {
      if (
        getCondition(promiseStatus, COND.requirementsFulfilled)?.status ===
        'False'
      ) {
        this.markPromiseUnavailable(key, rr);
      }
      return; // otherwise still installing; the Promise controller re-queues us when Available
    }
    if (getCondition(statusOf(rr), COND.promiseAvailable)?.status === 'False') {
      updateStatus(store, key, namespace, name, status => {
        setCondition(status, {
          type: COND.promiseAvailable,
          status: 'True',
          reason: 'PromiseAvailable',
          message: 'Promise Requirements are met',
        });
      });
    }

    const withFinalizers = this.deletion.ensureFinalizers(key, rr);
    if (!withFinalizers) return;
    rr = withFinalizers;

    const pipelines = configurePipelines(promise, 'resource');
    const generation = rr.metadata.generation ?? 1;
    const status = statusOf(rr);
    if (
      !this.ranGeneration.has(id) &&
      status.observedGeneration === generation
    ) {
      this.ranGeneration.set(id, generation); // already reconciled before we started watching
    }
    if (pipelines.length === 0) {
      this.ranGeneration.set(id, generation);
      this.reconcileWithoutWorkflow(key, rr, legacy);
      return;
    }

    const manual = isTrue(labelsOf(rr), LABEL_MANUAL_RECONCILIATION);
    // reconcileSuspendedWorkflow: workflow-control.yaml suspended the run at a pipeline.
    const suspendedAt = suspendedPipelineIndex(status);
    let resumeAt: number | undefined;
    if (isTrue(labelsOf(rr), LABEL_WORKFLOW_SUSPENDED)) {
      const suspendedGeneration = Number(
        (status.kratix as any)?.workflows?.suspendedGeneration ?? 0,
      );
      if (
        !manual &&
        !(suspendedGeneration !== 0 && generation > suspendedGeneration)
      ) {
        this.markSuspended(key, rr);
        return;
      }
      // Manual reconciliation or a spec change: run again from the start.
      writeWithRetry(store, key, namespace, name, o => {
        const labels = { ...(o.metadata.labels ?? {}) };
        delete labels[LABEL_WORKFLOW_SUSPENDED];
        o.metadata.labels = labels;
      });
      this.forced.add(id);
    } else if (suspendedAt >= 0 && this.ranGeneration.get(id) === generation) {
      resumeAt = suspendedAt; // the label was removed: re-run the suspended pipeline
    }
    const reconciled = getCondition(status, COND.reconciled);
    const unpaused =
      reconciled?.status === 'Unknown' &&
      reconciled.reason === 'PausedReconciliation';
    const forced = this.forced.delete(id);
    if (
      !manual &&
      !unpaused &&
      !forced &&
      resumeAt === undefined &&
      this.ranGeneration.get(id) === generation
    )
      return;

    if (unpaused) {
      updateStatus(store, key, namespace, name, s => {
        setCondition(s, {
          type: COND.reconciled,
          status: 'Unknown',
          reason: 'Unpaused',
          message: 'Pending',
        });
      });
    }
    if (manual) {
      // createConfigurePipeline removes the label as the run starts.
      writeWithRetry(store, key, namespace, name, o => {
        const labels = { ...(o.metadata.labels ?? {}) };
        delete labels[LABEL_MANUAL_RECONCILIATION];
        o.metadata.labels = labels;
      });
    }
    this.ranGeneration.set(id, generation);

    const pipelineNs = pipelineNamespace(promise);
    const outcome = await new WorkflowRun(this.ctx, {
      key,
      namespace,
      name,
      type: 'resource',
      promise,
      pipelines,
      legacy,
      jobNamespace: pipelineNs ?? namespace ?? 'default',
      pipelineNamespaceSet: !!pipelineNs,
      startAt: manual || forced ? 0 : resumeAt,
    }).run();
    if (outcome === 'succeeded')
      this.completeRun(
        key,
        namespace,
        name,
        generation,
        pipelines.length,
        legacy,
      );
  }

  /** reconcileAfterConfigure: observedGeneration, WorksSucceeded/Reconciled, counters, last success time. */
  private completeRun(
    key: TypeKey,
    namespace: string | undefined,
    name: string,
    generation: number,
    pipelineCount: number,
    legacy: boolean,
  ) {
    const { store } = this.ctx;
    const updated = updateStatus(store, key, namespace, name, status => {
      status.observedGeneration = generation;
    });
    if (!updated || legacy) return;
    const works = worksState(
      worksOfResource(store, this.promiseOf(key), namespace, name),
    );
    let events: WorkEvent[] = [];
    const withConditions = updateStatus(store, key, namespace, name, status => {
      events = applyWorksStatus(status, works);
      const cwc = getCondition(status, COND.configureWorkflowCompleted);
      status.workflows = pipelineCount;
      status.workflowsSucceeded = cwc?.status === 'True' ? pipelineCount : 0;
      status.workflowsFailed = 0;
    });
    if (!withConditions) return;
    for (const [type, reason, message] of events)
      this.event(withConditions, type, reason, message);
    updateStatus(store, key, namespace, name, status => {
      const cwc = getCondition(status, COND.configureWorkflowCompleted);
      if (cwc?.status !== 'True' || !cwc.lastTransitionTime) return false;
      status.lastSuccessfulConfigureWorkflowTime = cwc.lastTransitionTime;
      const kratix = (status.kratix ?? {}) as Record<string, any>;
      status.kratix = {
        ...kratix,
        workflows: {
          ...(kratix.workflows ?? {}),
          lastSuccessfulConfigureWorkflowTime: cwc.lastTransitionTime,
        },
      };
      return true;
    });
  }

  /** Kratix's dynamic controller is requeued by its Works: recompute WorksSucceeded/Reconciled. */
  refreshWorks(promiseName: string, namespace: string, name: string): void {
    const promise = this.ctx.store.get(PROMISE_KEY, undefined, promiseName);
    const api = promise && getPromiseApi(promise);
    if (!promise || !api || isLegacyPromise(promise)) return;
    const key = { group: api.group, plural: api.plural };
    this.ctx.queue.enqueue(
      `works:${typeId(key)}/${namespace}/${name}`,
      async () => {
        const rr = this.ctx.store.get(key, namespace, name);
        if (!rr || rr.metadata.deletionTimestamp) return;
        const status = statusOf(rr);
        // Works are only read in reconcileAfterConfigure: after a completed run of this generation.
        if (
          getCondition(status, COND.configureWorkflowCompleted)?.status !==
            'True' ||
          status.observedGeneration !== (rr.metadata.generation ?? 1) ||
          getCondition(status, COND.reconciled)?.reason ===
            'PausedReconciliation'
        )
          return;
        const works = worksState(
          worksOfResource(this.ctx.store, promiseName, namespace, name),
        );
        let events: WorkEvent[] = [];
        const updated = updateStatus(
          this.ctx.store,
          key,
          namespace,
          name,
          s => {
            events = applyWorksStatus(s, works);
          },
        );
        if (updated)
          for (const [type, reason, message] of events)
            this.event(updated, type, reason, message);
      },
    );
  }

  private promiseOf(key: TypeKey): string {
    return this.ctx.resourceTypes.get(typeId(key)) ?? '';
  }

  /** No resource configure workflow: only observedGeneration and zeroed counters, no conditions. */
  private reconcileWithoutWorkflow(
    key: TypeKey,
    rr: KubeObject,
    legacy: boolean,
  ) {
    updateStatus(
      this.ctx.store,
      key,
      rr.metadata.namespace,
      rr.metadata.name,
      (status, object) => {
        let changed = false;
        if (status.observedGeneration !== object.metadata.generation) {
          status.observedGeneration = object.metadata.generation;
          changed = true;
        }
        if (
          !legacy &&
          (status.workflows !== 0 ||
            status.workflowsSucceeded !== 0 ||
            status.workflowsFailed !== 0)
        ) {
          status.workflows = 0;
          status.workflowsSucceeded = 0;
          status.workflowsFailed = 0;
          const workflows = (status.kratix as any)?.workflows;
          if (workflows?.pipelines) delete workflows.pipelines;
          changed = true;
        }
        return changed;
      },
    );
  }

  /** Reconciled Unknown/WorkflowSuspended; a retryAfter removes the label when its time comes. */
  private markSuspended(key: TypeKey, rr: KubeObject) {
    const { namespace, name } = rr.metadata;
    const reconciled = getCondition(statusOf(rr), COND.reconciled);
    if (reconciled?.reason !== 'WorkflowSuspended') {
      const updated = updateStatus(this.ctx.store, key, namespace, name, s => {
        setCondition(s, {
          type: COND.reconciled,
          status: 'Unknown',
          reason: 'WorkflowSuspended',
          message: 'Suspended',
        });
      });
      if (updated)
        this.event(
          updated,
          'Warning',
          'WorkflowSuspended',
          `'${LABEL_WORKFLOW_SUSPENDED}' label set to 'true' for resource request; skipping reconciliation`,
        );
    }
    const retryAt = nextRetryAt(statusOf(rr));
    const id = this.id(key, rr);
    if (retryAt === undefined || this.retryTimers.has(id)) return;
    this.retryTimers.add(id);
    void this.ctx.sleep(Math.max(0, retryAt - Date.now())).then(() => {
      this.retryTimers.delete(id);
      if (this.ctx.isStopped()) return;
      writeWithRetry(this.ctx.store, key, namespace, name, o => {
        const labels = { ...(o.metadata.labels ?? {}) };
        if (labels[LABEL_WORKFLOW_SUSPENDED] !== 'true') return false;
        if (nextRetryAt(statusOf(o)) !== retryAt) return false; // superseded
        delete labels[LABEL_WORKFLOW_SUSPENDED];
        o.metadata.labels = labels;
        return true;
      });
    });
  }

  private markPaused(key: TypeKey, rr: KubeObject, byPromise: boolean) {
    const reconciled = getCondition(statusOf(rr), COND.reconciled);
    if (reconciled?.status === 'Unknown' && reconciled.message === 'Paused')
      return;
    const updated = updateStatus(
      this.ctx.store,
      key,
      rr.metadata.namespace,
      rr.metadata.name,
      status => {
        setCondition(status, {
          type: COND.reconciled,
          status: 'Unknown',
          reason: 'PausedReconciliation',
          message: 'Paused',
        });
      },
    );
    if (updated) {
      const message = byPromise
        ? `'${LABEL_PAUSED}' label set to 'true' for promise; pausing reconciliation for this resource request`
        : `'${LABEL_PAUSED}' label set to 'true' for this resource request; pausing reconciliation`;
      this.event(updated, 'Warning', 'PausedReconciliation', message);
    }
  }

  /** MarkPromiseConditionAsNotAvailable: `message: Pending` + PromiseAvailable False. */
  private markPromiseUnavailable(key: TypeKey, rr: KubeObject) {
    if (getCondition(statusOf(rr), COND.promiseAvailable)?.status === 'False')
      return;
    updateStatus(
      this.ctx.store,
      key,
      rr.metadata.namespace,
      rr.metadata.name,
      status => {
        status.message = 'Pending';
        setCondition(status, {
          type: COND.promiseAvailable,
          status: 'False',
          reason: 'PromiseRequirementsNotInstalled',
          message: 'Promise Requirements are not installed',
        });
      },
    );
  }

  private event(
    object: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
  ) {
    recordRequestEvent(this.ctx, object, type, reason, message);
  }

  /** Jobs are owned by their Resource; the garbage collector removes them with it. */
  private deleteJobs(promiseName: string, rr: KubeObject) {
    deleteResourceJobs(this.ctx.store, promiseName, rr);
  }
}
