/*
 * Pure functions that turn a Resource's raw `status` into what users see. They follow Kratix's own
 * semantics (conditions and reasons from syntasso/kratix `lib/resourceutil/util.go` and
 * `internal/controller/dynamic_resource_request_controller.go`; which status keys Kratix manages from
 * `lib/workflow/reconciler.go`) and must tolerate clusters running Kratix from before and after
 * October 2024 at the same time.
 */
import type {
  KratixCondition,
  KratixHealthRecord,
  KratixResourceHealth,
  KratixPipelineStatus,
  KratixResourceObject,
  KratixResourceState,
  KratixResourceView,
  KratixTimelineEntry,
  KratixWorkflowCompletion,
  KratixWorkState,
  KratixWorkSummary,
  KratixWorkView,
} from './types';

/**
 * What Kratix shows before a workflow has written anything.
 *
 * @public
 */
export const PENDING_MESSAGE = 'Pending';

/**
 * The condition types Kratix writes on Resources, by role.
 *
 * @public
 */
export const CONDITION = {
  configureWorkflowCompleted: 'ConfigureWorkflowCompleted',
  pipelineCompleted: 'PipelineCompleted',
  reconciled: 'Reconciled',
  worksSucceeded: 'WorksSucceeded',
  promiseAvailable: 'PromiseAvailable',
} as const;

/**
 * Status keys written by Kratix's controllers, not by the Promise's workflow.
 *
 * @public
 */
export const KRATIX_MANAGED_STATUS_KEYS: readonly string[] = [
  'kratix',
  'observedGeneration',
  'workflows',
  'workflowsSucceeded',
  'workflowsFailed',
  'lastSuccessfulConfigureWorkflowTime',
  'promiseVersion',
  'resourceBindingVersion',
  'healthStatus',
  'healthRecord',
];

/**
 * Reasons Kratix gives a False PromiseAvailable condition: the Promise's requirements are missing.
 *
 * @public
 */
export const PROMISE_BLOCKED_REASONS: readonly string[] = [
  'PromiseRequirementsNotInstalled',
];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `status.message` as `kubectl get` shows it; `Pending` before any workflow ran.
 *
 * @public
 */
export function statusMessage(status: unknown): string {
  const message = isRecord(status) ? status.message : undefined;
  if (typeof message === 'string' && message !== '') return message;
  if (typeof message === 'number' || typeof message === 'boolean') {
    return String(message);
  }
  return PENDING_MESSAGE;
}

/**
 * Everything the workflow wrote besides `message` and `conditions`.
 *
 * @public
 */
export function extraStatus(status: unknown): Record<string, unknown> {
  if (!isRecord(status)) return {};
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(status)) {
    if (key === 'message' || key === 'conditions') continue;
    if (KRATIX_MANAGED_STATUS_KEYS.includes(key)) continue;
    result[key] = value;
  }
  return result;
}

/**
 * The Kratix-managed status fields, kept apart from what the workflow wrote.
 *
 * @public
 */
export function kratixManagedStatus(status: unknown): Record<string, unknown> {
  if (!isRecord(status)) return {};
  const result: Record<string, unknown> = {};
  for (const key of KRATIX_MANAGED_STATUS_KEYS) {
    if (key in status) result[key] = status[key];
  }
  return result;
}

function toCondition(value: unknown): KratixCondition | undefined {
  if (!isRecord(value) || typeof value.type !== 'string') return undefined;
  const status =
    value.status === 'True' || value.status === 'False'
      ? value.status
      : 'Unknown';
  const condition: KratixCondition = { type: value.type, status };
  if (typeof value.reason === 'string') condition.reason = value.reason;
  if (typeof value.message === 'string') condition.message = value.message;
  if (typeof value.lastTransitionTime === 'string') {
    condition.lastTransitionTime = value.lastTransitionTime;
  }
  if (typeof value.observedGeneration === 'number') {
    condition.observedGeneration = value.observedGeneration;
  }
  return condition;
}

const CONDITION_ORDER: readonly string[] = [
  CONDITION.configureWorkflowCompleted,
  CONDITION.pipelineCompleted,
  CONDITION.reconciled,
  CONDITION.worksSucceeded,
  CONDITION.promiseAvailable,
];

/**
 * Every condition, typed, workflow-completion first, then Reconciled and WorksSucceeded, then any
 * other type (pipeline-written, portal) by name. Kratix does not keep conditions in a stable order.
 *
 * @public
 */
export function sortedConditions(status: unknown): KratixCondition[] {
  const raw = isRecord(status) ? status.conditions : undefined;
  if (!Array.isArray(raw)) return [];
  const rank = (type: string) => {
    const index = CONDITION_ORDER.indexOf(type);
    return index === -1 ? CONDITION_ORDER.length : index;
  };
  return raw
    .map(toCondition)
    .filter((c): c is KratixCondition => c !== undefined)
    .sort(
      (a, b) => rank(a.type) - rank(b.type) || a.type.localeCompare(b.type),
    );
}

const findCondition = (conditions: KratixCondition[], type: string) =>
  conditions.find(c => c.type === type);

/**
 * The workflow-completion condition: ConfigureWorkflowCompleted, or PipelineCompleted on older Kratix.
 *
 * @public
 */
export function workflowCompletion(
  conditions: KratixCondition[],
): KratixWorkflowCompletion | undefined {
  const current = findCondition(
    conditions,
    CONDITION.configureWorkflowCompleted,
  );
  const legacy = findCondition(conditions, CONDITION.pipelineCompleted);
  const condition = current ?? legacy;
  if (!condition) return undefined;
  let state: KratixWorkflowCompletion['state'] = 'unknown';
  if (condition.status === 'True') state = 'completed';
  else if (condition.status === 'False') {
    state = /fail/i.test(condition.reason ?? '') ? 'failed' : 'running';
  }
  return {
    conditionType: current
      ? CONDITION.configureWorkflowCompleted
      : CONDITION.pipelineCompleted,
    state,
    condition,
  };
}

/**
 * ready / in-progress / failed / paused / blocked / deleting / unknown.
 *
 * Deleting (`metadata.deletionTimestamp`) wins over everything: the Resource is going away. Then
 * paused (label `kratix.io/paused`, or Reconciled's PausedReconciliation). Then blocked: Kratix sets
 * PromiseAvailable False / PromiseRequirementsNotInstalled and runs no workflow until the Promise's
 * requirements are installed, so a Reconciled left from before says nothing. Then `Reconciled`
 * decides when present (current Kratix); otherwise the workflow-completion condition (older Kratix,
 * or a cluster that has not reconciled yet).
 *
 * @public
 */
export function resourceState(
  resource: Pick<KratixResourceObject, 'metadata' | 'status'>,
): KratixResourceState {
  if (resource.metadata.deletionTimestamp) return 'deleting';
  const conditions = sortedConditions(resource.status);
  const reconciled = findCondition(conditions, CONDITION.reconciled);
  if (
    resource.metadata.labels?.['kratix.io/paused'] === 'true' ||
    reconciled?.reason === 'PausedReconciliation'
  ) {
    return 'paused';
  }
  const promiseAvailable = findCondition(
    conditions,
    CONDITION.promiseAvailable,
  );
  if (
    promiseAvailable?.status === 'False' &&
    (PROMISE_BLOCKED_REASONS.includes(promiseAvailable.reason ?? '') ||
      /requirement/i.test(promiseAvailable.reason ?? ''))
  ) {
    return 'blocked';
  }
  if (reconciled) {
    if (reconciled.status === 'True') return 'ready';
    if (reconciled.status === 'False') return 'failed';
    return 'in-progress';
  }
  const completion = workflowCompletion(conditions);
  if (completion) {
    if (completion.state === 'completed') return 'ready';
    if (completion.state === 'failed') return 'failed';
    return 'in-progress';
  }
  // An unavailable Promise for another reason: Kratix waits for it.
  if (promiseAvailable?.status === 'False') return 'in-progress';
  return 'unknown';
}

/** Health states from worst to best, as Kratix ranks them (the worst record decides). */
const HEALTH_ORDER = ['unhealthy', 'degraded', 'unknown', 'healthy', 'ready'];

const healthRank = (state: string) => {
  const index = HEALTH_ORDER.indexOf(state.toLowerCase());
  return index === -1 ? HEALTH_ORDER.indexOf('unknown') : index;
};

/** Kratix writes `lastRun` as Unix seconds in its health records; ISO strings are kept as they are. */
function toIsoTime(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return new Date(value * 1000).toISOString();
  }
  if (typeof value === 'string' && value !== '') {
    return /^\d+$/.test(value)
      ? new Date(Number(value) * 1000).toISOString()
      : value;
  }
  return undefined;
}

function toHealthRecord(value: unknown): KratixHealthRecord | undefined {
  if (!isRecord(value) || typeof value.state !== 'string') return undefined;
  const record: KratixHealthRecord = { state: value.state };
  const lastRun = toIsoTime(value.lastRun);
  if (lastRun) record.lastRun = lastRun;
  const source = value.source;
  if (isRecord(source) && typeof source.name === 'string') {
    record.source =
      typeof source.namespace === 'string'
        ? `${source.namespace}/${source.name}`
        : source.name;
  }
  if (value.details !== undefined) record.details = value.details;
  return record;
}

/**
 * A Resource's health from Kratix's health checks: `status.healthStatus` (`state` plus
 * `healthRecords[]`, Kratix since 2025-07) or the documented single `status.healthRecord`
 * (`state`, `lastRun`, `details`). Undefined when no check has reported.
 *
 * @public
 */
export function resourceHealth(
  status: unknown,
): KratixResourceHealth | undefined {
  if (!isRecord(status)) return undefined;
  const records: KratixHealthRecord[] = [];
  const healthStatus = status.healthStatus;
  if (isRecord(healthStatus) && Array.isArray(healthStatus.healthRecords)) {
    for (const raw of healthStatus.healthRecords) {
      const record = toHealthRecord(raw);
      if (record) records.push(record);
    }
  }
  const single = toHealthRecord(status.healthRecord);
  if (single) records.push(single);
  const overall =
    isRecord(healthStatus) && typeof healthStatus.state === 'string'
      ? healthStatus.state
      : undefined;
  if (records.length === 0 && !overall) return undefined;
  records.sort((a, b) => healthRank(a.state) - healthRank(b.state));
  const lastRun = records
    .map(r => r.lastRun)
    .filter((t): t is string => t !== undefined)
    .sort()
    .pop();
  return {
    state: overall ?? records[0].state,
    ...(lastRun ? { lastRun } : {}),
    records,
  };
}

/**
 * Per-pipeline progress when the cluster reports it (`status.kratix.workflows.pipelines`).
 *
 * @public
 */
export function pipelineStatuses(status: unknown): KratixPipelineStatus[] {
  const kratix = isRecord(status) ? status.kratix : undefined;
  const workflows = isRecord(kratix) ? kratix.workflows : undefined;
  const pipelines = isRecord(workflows) ? workflows.pipelines : undefined;
  if (!Array.isArray(pipelines)) return [];
  return pipelines.filter(
    (p): p is KratixPipelineStatus =>
      isRecord(p) && typeof p.name === 'string' && typeof p.phase === 'string',
  );
}

/**
 * The last successful configure run: `status.kratix.workflows.…` (2026+) or the top-level field.
 *
 * @public
 */
export function lastSuccessfulConfigureWorkflowTime(
  status: unknown,
): string | undefined {
  if (!isRecord(status)) return undefined;
  const kratix = status.kratix;
  const workflows = isRecord(kratix) ? kratix.workflows : undefined;
  const nested = isRecord(workflows)
    ? workflows.lastSuccessfulConfigureWorkflowTime
    : undefined;
  const value = nested ?? status.lastSuccessfulConfigureWorkflowTime;
  return typeof value === 'string' ? value : undefined;
}

/**
 * A Work's or WorkPlacement's state, read as Kratix reads it: the `Ready` condition's message
 * (`Ready`, `Pending`, `Failing`, `Misplaced`); a missing or other message is pending.
 *
 * @public
 */
export function workStateOf(
  conditions: KratixCondition[] | undefined,
): KratixWorkState {
  const message = conditions?.find(c => c.type === 'Ready')?.message;
  switch (message) {
    case 'Ready':
      return 'ready';
    case 'Failing':
      return 'failing';
    case 'Misplaced':
      return 'misplaced';
    default:
      return 'pending';
  }
}

/**
 * The brief form of a Resource's Works that lists and live updates carry.
 *
 * @public
 */
export function summarizeWorks(works: KratixWorkView[]): KratixWorkSummary[] {
  return works.map(work => ({
    name: work.name,
    state: work.state,
    placements: work.placements.map(p => ({
      destination: p.destination.name,
      state: p.state,
    })),
  }));
}

/**
 * Why a Resource is failed, blocked, paused or deleting, in plain words, with who caused it and
 * since when where known.
 *
 * @public
 */
export interface KratixStateReason {
  /** The reason, e.g. the failing condition's message. */
  text: string;
  /** Who caused it (the user entity ref that paused it), when the timeline recorded it. */
  by?: string;
  /** When it began (ISO 8601), when known. */
  since?: string;
}

/** The timeline's title for a pause done through Backstage (kratix-backend's timeline). */
const PAUSED_ACTION_TITLE = 'Paused';

function failedReason(
  resource: Pick<KratixResourceView, 'conditions' | 'pipelines'>,
): KratixStateReason {
  const pipeline = resource.pipelines.find(p => p.phase === 'Failed');
  if (pipeline?.message) {
    return {
      text: `Pipeline ${pipeline.name} failed: ${pipeline.message}`,
      since: pipeline.lastTransitionTime,
    };
  }
  // The most specific False condition says why: the workflow's or the Works' before Reconciled,
  // whose message ("Failing") only repeats the state.
  const failing = resource.conditions.filter(c => c.status === 'False');
  const condition =
    failing.find(c => c.type !== CONDITION.reconciled && c.message) ??
    failing.find(c => c.message) ??
    failing[0];
  if (!condition) return { text: 'Kratix reports the Resource as failed' };
  const what = `${condition.type}${
    condition.reason ? ` (${condition.reason})` : ''
  }`;
  return {
    text: condition.message ? `${condition.message} — ${what}` : what,
    since: condition.lastTransitionTime,
  };
}

/**
 * The reason a failed, blocked, paused or deleting Resource is so, to lead with instead of its
 * status message (which stays `Pending` when no workflow finished); undefined in other states.
 * Failed: the failed pipeline's or the failing condition's message. Blocked: the unmet Promise
 * requirement. Paused: by whom and since when, from the last pause in `timeline` if given.
 * Deleting: since when.
 *
 * @public
 */
export function stateReasonOf(
  resource: Pick<
    KratixResourceView,
    'state' | 'promise' | 'conditions' | 'pipelines' | 'deletionTimestamp'
  >,
  timeline?: readonly KratixTimelineEntry[],
): KratixStateReason | undefined {
  switch (resource.state) {
    case 'failed':
      return failedReason(resource);
    case 'blocked': {
      const condition = findCondition(
        resource.conditions,
        CONDITION.promiseAvailable,
      );
      return {
        text: `Waiting for the Promises that the ${
          resource.promise
        } Promise requires to be installed${
          condition?.message ? ` (${condition.message})` : ''
        }: Kratix runs no workflow until they are`,
        since: condition?.lastTransitionTime,
      };
    }
    case 'paused': {
      const pause = [...(timeline ?? [])]
        .filter(e => e.source === 'action' && e.title === PAUSED_ACTION_TITLE)
        .sort((a, b) => Date.parse(b.time) - Date.parse(a.time))[0];
      const reconciled = findCondition(
        resource.conditions,
        CONDITION.reconciled,
      );
      return {
        text: 'Paused: Kratix does not reconcile it until it is resumed',
        by: pause?.status || undefined,
        since:
          pause?.time ??
          (reconciled?.reason === 'PausedReconciliation'
            ? reconciled.lastTransitionTime
            : undefined),
      };
    }
    case 'deleting':
      return {
        text: 'Being deleted: Kratix is running the delete workflow',
        since: resource.deletionTimestamp,
      };
    default:
      return undefined;
  }
}
