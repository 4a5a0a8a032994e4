/*
 * Emulates Kratix's PromiseReconciler (KX internal/controller/promise_controller.go). A reconcile
 * runs in phases, each in its own file: pause (promiseAvailability), Resource API / CRD
 * (promiseCrd), requiredPromises (promiseRequirements), the Promise configure workflow (here),
 * availability (promiseAvailability), then the Promise's Resources are reconciled (here).
 */
import type { KubeObject, StoreChange } from '../../store/types';
import {
  LABEL_MANUAL_RECONCILIATION,
  LABEL_PAUSED,
  LABEL_RECONCILE_RESOURCES,
  PROMISE_KEY,
  SYSTEM_NAMESPACE,
} from '../common/constants';
import type { ControllerContext } from '../common/controllerContext';
import {
  configurePipelines,
  isLegacyPromise,
  pipelineNamespace,
  requiredPromises,
} from './promiseApi';
import {
  markPaused,
  markUnpaused,
  setAvailability,
} from './promiseAvailability';
import { deleteCrd, syncResourceApi } from './promiseCrd';
import { evaluateRequirements } from './promiseRequirements';
import { promiseEvent, updatePromiseStatus } from './promiseStatus';
import type { ResourceController } from '../resources/resourceController';
import { labelsOf, statusOf, writeWithRetry } from '../common/storeUtil';
import { WorkflowRun } from '../workflows/workflowRun';

export class PromiseController {
  /** Generation whose Promise configure workflow last ran (or is running). */
  private readonly ranGeneration = new Map<string, number>();
  private readonly workflowFailed = new Set<string>();

  constructor(
    private readonly ctx: ControllerContext,
    private readonly resources: ResourceController,
  ) {}

  handleChange(change: StoreChange): void {
    const { object, previous } = change;
    const name = object.metadata.name;
    if (change.type === 'DELETED') {
      this.ranGeneration.delete(name);
      this.workflowFailed.delete(name);
      deleteCrd(this.ctx, object);
    } else if (
      change.type === 'ADDED' ||
      this.specOrLabelsChanged(previous, object)
    ) {
      this.enqueue(name);
    }
    // Promises requiring this one re-evaluate when it appears, goes, or changes availability.
    if (
      change.type !== 'MODIFIED' ||
      statusOf(previous).status !== statusOf(object).status
    ) {
      for (const other of this.ctx.store.list(PROMISE_KEY).items) {
        if (requiredPromises(other).some(r => r.name === name))
          this.enqueue(other.metadata.name);
      }
    }
  }

  enqueue(name: string): void {
    this.ctx.queue.enqueue(`promise:${name}`, () => this.reconcile(name));
  }

  private specOrLabelsChanged(
    previous: KubeObject | undefined,
    object: KubeObject,
  ): boolean {
    if (!previous) return true;
    if (previous.metadata.generation !== object.metadata.generation)
      return true;
    return (
      JSON.stringify(labelsOf(previous)) !== JSON.stringify(labelsOf(object))
    );
  }

  private async reconcile(name: string): Promise<void> {
    const promise = this.ctx.store.get(PROMISE_KEY, undefined, name);
    if (!promise) return;
    const legacy = isLegacyPromise(promise);

    if (labelsOf(promise)[LABEL_PAUSED] === 'true') {
      markPaused(this.ctx, promise, legacy);
      this.resources.enqueueAll(name);
      return;
    }
    // Unpaused: workflows run again from the start.
    if (markUnpaused(this.ctx, promise, legacy))
      this.ranGeneration.delete(name);

    const api = syncResourceApi(this.ctx, promise, legacy);
    if (api === false) return;

    const requirementsMet = evaluateRequirements(this.ctx, promise);

    const pipelineCount = configurePipelines(promise, 'promise').length;
    if (!(await this.runConfigureWorkflow(promise, legacy))) return;

    const current = this.ctx.store.get(PROMISE_KEY, undefined, name);
    if (!current) return;
    const wasAvailable = statusOf(current).status === 'Available';
    setAvailability(this.ctx, name, requirementsMet, legacy, pipelineCount);
    if (!requirementsMet) {
      this.resources.enqueueAll(name); // they report PromiseAvailable False
      return;
    }
    if (!wasAvailable)
      promiseEvent(
        this.ctx,
        this.ctx.store.get(PROMISE_KEY, undefined, name),
        'Normal',
        'Available',
        'Promise is available',
      );

    if (api) this.reconcileResources(promise, current);
  }

  /**
   * The Promise configure workflow, on first install, spec change and manual reconciliation.
   * Returns false when the reconcile stops here (the workflow did not succeed, now or before).
   */
  private async runConfigureWorkflow(
    promise: KubeObject,
    legacy: boolean,
  ): Promise<boolean> {
    const { store } = this.ctx;
    const name = promise.metadata.name;
    const pipelines = configurePipelines(promise, 'promise');
    const generation = promise.metadata.generation ?? 1;
    const manual = labelsOf(promise)[LABEL_MANUAL_RECONCILIATION] === 'true';
    if (
      pipelines.length > 0 &&
      (manual || this.ranGeneration.get(name) !== generation)
    ) {
      this.ranGeneration.set(name, generation);
      if (manual) this.removeLabel(name, LABEL_MANUAL_RECONCILIATION);
      setAvailability(this.ctx, name, false, legacy); // Unavailable while (re)configuring
      const outcome = await new WorkflowRun(this.ctx, {
        key: PROMISE_KEY,
        name,
        type: 'promise',
        promise,
        pipelines,
        legacy,
        jobNamespace: pipelineNamespace(promise) ?? SYSTEM_NAMESPACE,
        pipelineNamespaceSet: !!pipelineNamespace(promise),
      }).run();
      if (outcome !== 'succeeded') {
        if (outcome === 'failed') this.workflowFailed.add(name);
        return false;
      }
      this.workflowFailed.delete(name);
      promiseEvent(
        this.ctx,
        store.get(PROMISE_KEY, undefined, name),
        'Normal',
        'ConfigureWorkflowCompleted',
        'All workflows completed',
      );
    }
    return !this.workflowFailed.has(name);
  }

  /** reconcileResources: a changed Promise (or the reconcile-resources label) re-runs every Resource. */
  private reconcileResources(promise: KubeObject, current: KubeObject) {
    const name = promise.metadata.name;
    const labels = labelsOf(promise);
    const generation = promise.metadata.generation ?? 1;
    const observed = statusOf(current).observedGeneration;
    const reconcileAll =
      labels[LABEL_RECONCILE_RESOURCES] === 'true' ||
      (generation !== 1 && generation !== observed);
    if (!reconcileAll) {
      this.resources.enqueueAll(name);
      return;
    }
    this.resources.enqueueAll(name, { force: true });
    const updated = updatePromiseStatus(this.ctx, name, status => {
      status.observedGeneration = generation;
    });
    promiseEvent(
      this.ctx,
      updated,
      'Normal',
      'ReconcilingResources',
      'Reconciling all resource requests',
    );
    if (labels[LABEL_RECONCILE_RESOURCES]) {
      this.removeLabel(name, LABEL_RECONCILE_RESOURCES);
    }
  }

  private removeLabel(name: string, label: string) {
    writeWithRetry(this.ctx.store, PROMISE_KEY, undefined, name, o => {
      const next = { ...(o.metadata.labels ?? {}) };
      delete next[label];
      o.metadata.labels = next;
    });
  }
}
