/*
 * Emulates Kratix's PromiseReconciler (KX internal/controller/promise_controller.go): generates and
 * applies the Resource CRD, evaluates requiredPromises, runs Promise configure workflows, and keeps
 * the Promise's status (status/kind/apiVersion/version, conditions, counters, `kratix` block).
 */
import type { KubeObject, StoreChange } from '../store/types';
import {
  COND,
  CRD_KEY,
  LABEL_MANUAL_RECONCILIATION,
  LABEL_PAUSED,
  LABEL_PROMISE_NAME,
  LABEL_PROMISE_VERSION,
  LABEL_RECONCILE_RESOURCES,
  PROMISE_KEY,
  SYSTEM_NAMESPACE,
} from './constants';
import {
  ConditionInput,
  getCondition,
  nowTime,
  removeCondition,
  setCondition,
} from './conditions';
import { ControllerContext, typeId } from './controllerContext';
import {
  configurePipelines,
  generateCrd,
  getPromiseApi,
  isLegacyPromise,
  pipelineNamespace,
  promiseApiVersion,
  requiredPromises,
  withPromiseCounters,
} from './promiseApi';
import type { ResourceController } from './resourceController';
import {
  isNotFound,
  labelsOf,
  statusOf,
  updateStatus,
  writeWithRetry,
} from './storeUtil';
import { tryRecordEvent } from './workflowRecords';
import { WorkflowRun } from './workflowRun';

type Status = Record<string, unknown>;

const STATE = {
  installed: 'Requirement installed',
  notInstalled: 'Requirement not installed',
  notAtVersion: 'Requirement not installed at the specified version',
  notAvailable: 'Requirement not available',
} as const;

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
      this.deleteCrd(object);
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

  private status(
    name: string,
    mutate: (status: Status, object: KubeObject) => boolean | void,
  ) {
    return updateStatus(
      this.ctx.store,
      PROMISE_KEY,
      undefined,
      name,
      (status, object) => {
        const before = JSON.stringify(status);
        const result = mutate(status, object);
        withPromiseCounters(status);
        return result === false && before === JSON.stringify(status)
          ? false
          : result;
      },
    );
  }

  private event(
    object: KubeObject | undefined,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
  ) {
    if (!object) return;
    tryRecordEvent(
      this.ctx.store,
      this.ctx.logger,
      object,
      type,
      reason,
      message,
      'PromiseController',
    );
  }

  private async reconcile(name: string): Promise<void> {
    const { store } = this.ctx;
    const promise = store.get(PROMISE_KEY, undefined, name);
    if (!promise) return;
    const legacy = isLegacyPromise(promise);
    const labels = labelsOf(promise);

    if (labels[LABEL_PAUSED] === 'true') {
      this.markPaused(promise, legacy);
      this.resources.enqueueAll(name);
      return;
    }

    // Unpaused: workflows run again from the start (Reconciled Unknown/Unpaused meanwhile).
    const reconciledBefore = getCondition(statusOf(promise), COND.reconciled);
    if (!legacy && reconciledBefore?.reason === 'PausedReconciliation') {
      const hasWorkflow = configurePipelines(promise, 'promise').length > 0;
      this.ranGeneration.delete(name);
      this.status(name, status => {
        if (hasWorkflow) {
          setCondition(
            status,
            {
              type: COND.reconciled,
              status: 'Unknown',
              reason: 'Unpaused',
              message: 'Pending',
            },
            'promise',
          );
        } else {
          removeCondition(status, COND.reconciled);
        }
      });
    }

    // Resource API: CRD + status.kind/apiVersion (ensureCRDExists, updateStatus).
    const api = getPromiseApi(promise);
    if (api) {
      if (!this.applyCrd(promise)) return;
      this.ctx.resourceTypes.set(
        typeId({ group: api.group, plural: api.plural }),
        name,
      );
      const apiVersion = promiseApiVersion(api);
      this.status(name, status => {
        const kratix = this.kratixBlock(status, legacy);
        if (
          status.kind === api.kind &&
          status.apiVersion === apiVersion &&
          (legacy ||
            (kratix.kind === api.kind && kratix.apiVersion === apiVersion))
        ) {
          return false;
        }
        status.kind = api.kind;
        status.apiVersion = apiVersion;
        if (!legacy) status.kratix = { ...kratix, kind: api.kind, apiVersion };
        return true;
      });
    }

    const requirementsMet = this.evaluateRequirements(promise);

    // Promise configure workflow (first install, spec change, manual reconciliation).
    const pipelines = configurePipelines(promise, 'promise');
    const generation = promise.metadata.generation ?? 1;
    const manual = labels[LABEL_MANUAL_RECONCILIATION] === 'true';
    if (
      pipelines.length > 0 &&
      (manual || this.ranGeneration.get(name) !== generation)
    ) {
      this.ranGeneration.set(name, generation);
      if (manual) {
        writeWithRetry(store, PROMISE_KEY, undefined, name, o => {
          const next = { ...(o.metadata.labels ?? {}) };
          delete next[LABEL_MANUAL_RECONCILIATION];
          o.metadata.labels = next;
        });
      }
      this.setAvailability(name, false, legacy); // Unavailable while (re)configuring
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
        return;
      }
      this.workflowFailed.delete(name);
      this.event(
        store.get(PROMISE_KEY, undefined, name),
        'Normal',
        'ConfigureWorkflowCompleted',
        'All workflows completed',
      );
    }
    if (this.workflowFailed.has(name)) return;

    const current = store.get(PROMISE_KEY, undefined, name);
    if (!current) return;
    const wasAvailable = statusOf(current).status === 'Available';
    this.setAvailability(name, requirementsMet, legacy, pipelines.length);
    if (!requirementsMet) {
      this.resources.enqueueAll(name); // they report PromiseAvailable False
      return;
    }
    if (!wasAvailable)
      this.event(
        store.get(PROMISE_KEY, undefined, name),
        'Normal',
        'Available',
        'Promise is available',
      );

    // reconcileResources: a changed Promise (or the reconcile-resources label) re-runs every Resource.
    const observed = statusOf(current).observedGeneration;
    const reconcileAll =
      labels[LABEL_RECONCILE_RESOURCES] === 'true' ||
      (generation !== 1 && generation !== observed);
    if (api && reconcileAll) {
      this.resources.enqueueAll(name, { force: true });
      const updated = this.status(name, status => {
        status.observedGeneration = generation;
      });
      this.event(
        updated,
        'Normal',
        'ReconcilingResources',
        'Reconciling all resource requests',
      );
      if (labels[LABEL_RECONCILE_RESOURCES]) {
        writeWithRetry(store, PROMISE_KEY, undefined, name, o => {
          const next = { ...(o.metadata.labels ?? {}) };
          delete next[LABEL_RECONCILE_RESOURCES];
          o.metadata.labels = next;
        });
      }
    } else if (api) {
      this.resources.enqueueAll(name);
    }
  }

  private kratixBlock(status: Status, legacy: boolean): Record<string, any> {
    if (legacy) return {};
    const kratix =
      status.kratix && typeof status.kratix === 'object'
        ? (status.kratix as Record<string, any>)
        : {};
    return { ...kratix, workflows: kratix.workflows ?? {} };
  }

  /** Creates or updates the generated CRD; false when its Resource type is not served yet. */
  private applyCrd(promise: KubeObject): boolean {
    const { store, logger } = this.ctx;
    const crd = generateCrd(promise);
    const api = getPromiseApi(promise);
    if (!crd || !api) return false;
    if (!store.getType(CRD_KEY)) {
      logger.error(
        'the store serves no CustomResourceDefinitions; cannot install Promise APIs',
      );
      return false;
    }
    try {
      const existing = store.get(CRD_KEY, undefined, crd.metadata.name);
      if (!existing) {
        store.create(CRD_KEY, crd);
      } else {
        writeWithRetry(store, CRD_KEY, undefined, crd.metadata.name, o => {
          const before = JSON.stringify([o.spec, o.metadata.labels]);
          const spec = o.spec as Record<string, unknown>;
          const generated = crd.spec as Record<string, unknown>;
          spec.versions = generated.versions;
          if (generated.conversion) spec.conversion = generated.conversion;
          if ('preserveUnknownFields' in generated)
            spec.preserveUnknownFields = generated.preserveUnknownFields;
          o.metadata.labels = {
            ...(o.metadata.labels ?? {}),
            ...(crd.metadata.labels ?? {}),
          };
          return before !== JSON.stringify([o.spec, o.metadata.labels]);
        });
      }
    } catch (error) {
      logger.error(
        `Promise ${promise.metadata.name}: could not apply CRD ${crd.metadata.name}: ${error}`,
      );
      return false;
    }
    if (!store.getType({ group: api.group, plural: api.plural })) {
      logger.warn(
        `Promise ${promise.metadata.name}: CRD ${crd.metadata.name} is not served yet`,
      );
      return false;
    }
    return true;
  }

  /** generateStatusAndMarkRequirements: RequirementsFulfilled + status.requiredPromises (+ requiredBy). */
  private evaluateRequirements(promise: KubeObject): boolean {
    const { store } = this.ctx;
    const required = requiredPromises(promise);
    const name = promise.metadata.name;
    if (required.length === 0) {
      this.status(name, status => {
        if (!status.requiredPromises) return false;
        delete status.requiredPromises;
        removeCondition(status, COND.requirementsFulfilled);
        return true;
      });
      return true;
    }
    const condition: ConditionInput = {
      type: COND.requirementsFulfilled,
      status: 'True',
      reason: 'RequirementsInstalled',
      message: 'Requirements fulfilled',
    };
    const states = required.map(req => {
      const other = store.get(PROMISE_KEY, undefined, req.name);
      let state: string = STATE.installed;
      if (!other) {
        state = STATE.notInstalled;
        Object.assign(condition, {
          status: 'False',
          reason: 'RequirementsNotInstalled',
          message: 'Requirements not fulfilled',
        });
        this.event(
          promise,
          'Normal',
          'RequirementsNotInstalled',
          `Required Promise ${req.name} not installed or unknown state`,
        );
      } else {
        if (
          req.version &&
          labelsOf(other)[LABEL_PROMISE_VERSION] !== req.version
        ) {
          state = STATE.notAtVersion;
          Object.assign(condition, {
            status: 'False',
            reason: 'RequirementsNotInstalled',
            message: 'Requirements not fulfilled',
          });
        } else if (statusOf(other).status !== 'Available') {
          state = STATE.notAvailable;
          Object.assign(condition, {
            status: 'False',
            reason: 'RequirementsNotAvailable',
            message: 'Requirements not fulfilled',
          });
        }
        this.markRequiredBy(promise, other, req.version);
      }
      return {
        name: req.name,
        ...(req.version ? { version: req.version } : {}),
        state,
      };
    });
    const before = statusOf(store.get(PROMISE_KEY, undefined, name));
    const wasFulfilled =
      getCondition(before, COND.requirementsFulfilled)?.status === 'True';
    const updated = this.status(name, status => {
      const changedReqs =
        JSON.stringify(status.requiredPromises) !== JSON.stringify(states);
      status.requiredPromises = states;
      return setCondition(status, condition, 'promise') || changedReqs;
    });
    if (condition.status === 'True' && !wasFulfilled) {
      this.event(
        updated,
        'Normal',
        'RequirementsFulfilled',
        'All required promises are available',
      );
    }
    return condition.status === 'True';
  }

  private markRequiredBy(
    promise: KubeObject,
    required: KubeObject,
    version: string | undefined,
  ) {
    const entry = {
      promise: {
        name: promise.metadata.name,
        ...(statusOf(promise).version
          ? { version: statusOf(promise).version }
          : {}),
      },
      ...(version ? { requiredVersion: version } : {}),
    };
    this.status(required.metadata.name, status => {
      const list = Array.isArray(status.requiredBy)
        ? [...(status.requiredBy as any[])]
        : [];
      const index = list.findIndex(
        r => r?.promise?.name === promise.metadata.name,
      );
      if (index >= 0 && JSON.stringify(list[index]) === JSON.stringify(entry))
        return false;
      if (index >= 0) list[index] = entry;
      else list.push(entry);
      status.requiredBy = list;
      return true;
    });
  }

  /** Available/Unavailable plus the conditions and counters generateConditions maintains. */
  private setAvailability(
    name: string,
    available: boolean,
    legacy: boolean,
    pipelineCount?: number,
  ) {
    const events: Array<[string, string]> = [];
    this.status(name, (status, object) => {
      const before = JSON.stringify(status);
      const value = available ? 'Available' : 'Unavailable';
      const version = labelsOf(object)[LABEL_PROMISE_VERSION];
      status.status = value;
      if (version) status.version = version;
      if (available && !status.lastAvailableTime)
        status.lastAvailableTime = nowTime();
      const count =
        pipelineCount ?? configurePipelines(object, 'promise').length;
      const cwc = getCondition(status, COND.configureWorkflowCompleted);
      status.workflows = count;
      status.workflowsSucceeded =
        cwc?.status === 'True' ? count : status.workflowsSucceeded ?? 0;
      status.workflowsFailed = status.workflowsFailed ?? 0;
      if (!legacy) {
        const kratix = this.kratixBlock(status, legacy);
        kratix.status = value;
        if (version) kratix.version = version;
        if (available && !kratix.lastAvailableTime)
          kratix.lastAvailableTime = status.lastAvailableTime;
        status.kratix = kratix;
        if (available) {
          setCondition(
            status,
            {
              type: COND.available,
              status: 'True',
              reason: 'PromiseAvailable',
              message: 'Ready to fulfil resource requests',
            },
            'promise',
          );
          if (
            setCondition(
              status,
              {
                type: COND.worksSucceeded,
                status: 'True',
                reason: 'WorksSucceeded',
                message: 'All works associated with this promise are ready',
              },
              'promise',
            )
          ) {
            events.push([
              'WorksSucceeded',
              'All works associated with this promise are ready',
            ]);
          }
          // updateReconciledCondition needs a ConfigureWorkflowCompleted condition to go True.
          if (
            cwc?.status === 'True' &&
            setCondition(
              status,
              {
                type: COND.reconciled,
                status: 'True',
                reason: 'Reconciled',
                message: 'Reconciled',
              },
              'promise',
            )
          ) {
            events.push(['ReconcileSucceeded', 'Successfully reconciled']);
          }
        } else {
          setCondition(
            status,
            {
              type: COND.available,
              status: 'False',
              reason: 'PromiseUnavailable',
              message: 'Cannot fulfil resource requests',
            },
            'promise',
          );
          if (
            getCondition(status, COND.requirementsFulfilled)?.status === 'False'
          ) {
            setCondition(
              status,
              {
                type: COND.reconciled,
                status: 'Unknown',
                reason: 'RequirementsNotFulfilled',
                message: 'Pending',
              },
              'promise',
            );
          }
        }
      }
      return before !== JSON.stringify(status);
    });
    const updated = this.ctx.store.get(PROMISE_KEY, undefined, name);
    for (const [reason, message] of events)
      this.event(updated, 'Normal', reason, message);
  }

  private markPaused(promise: KubeObject, legacy: boolean) {
    if (legacy) return;
    const status = statusOf(promise);
    const available = getCondition(status, COND.available);
    const reconciled = getCondition(status, COND.reconciled);
    if (
      available?.reason === 'PausedReconciliation' &&
      reconciled?.message === 'Paused'
    )
      return;
    const updated = this.status(promise.metadata.name, s => {
      setCondition(
        s,
        {
          type: COND.available,
          status: 'False',
          reason: 'PausedReconciliation',
          message: 'Paused',
        },
        'promise',
      );
      s.status = 'Unavailable';
      s.kratix = { ...this.kratixBlock(s, false), status: 'Unavailable' };
      setCondition(
        s,
        {
          type: COND.reconciled,
          status: 'Unknown',
          reason: 'PausedReconciliation',
          message: 'Paused',
        },
        'promise',
      );
    });
    this.event(
      updated,
      'Warning',
      'PausedReconciliation',
      `'${LABEL_PAUSED}' label set to 'true' for promise; pausing reconciliation`,
    );
  }

  /** Deleting a Promise deletes its CRD, and with it every Resource of that kind. */
  private deleteCrd(promise: KubeObject) {
    const { store } = this.ctx;
    const api = getPromiseApi(promise);
    if (!api || !store.getType(CRD_KEY)) return;
    const crd = store.get(CRD_KEY, undefined, api.crdName);
    if (
      !crd ||
      crd.metadata.labels?.[LABEL_PROMISE_NAME] !== promise.metadata.name
    )
      return;
    this.ctx.queue.enqueue(`crd-delete:${api.crdName}`, async () => {
      try {
        store.delete(CRD_KEY, undefined, api.crdName);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      this.ctx.resourceTypes.delete(
        typeId({ group: api.group, plural: api.plural }),
      );
    });
  }
}
