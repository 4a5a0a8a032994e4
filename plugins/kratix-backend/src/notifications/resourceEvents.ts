/*
 * The events a Resource's current object shows, each with a key that names its transition (the
 * condition's lastTransitionTime, the health check's last run), so every replica that sees the same
 * transition derives the same key and the database claim picks one sender. Pure: no I/O.
 */
import {
  resourceHealth,
  sortedConditions,
  statusMessage,
  type KratixCondition,
  type KratixResourceObject,
} from '@kratix-backstage/plugin-kratix-common';
import type { NotificationSeverity } from '@backstage/plugin-notifications-common';
import type { NotificationEvent } from './notificationsConfig';

export interface ResourceEvent {
  event: NotificationEvent;
  /** Unique per transition of this Resource incarnation: the claim's key. */
  key: string;
  /** When the transition happened, when the cluster says (the age guard's clock). */
  at?: string;
  severity: NotificationSeverity;
  /** What happened, after "<promise> <name>". */
  headline: string;
  /** The condition's own message, for failures. */
  detail?: string;
  pipeline?: string;
}

const BAD_HEALTH = new Set(['degraded', 'unhealthy']);
const GOOD_HEALTH = new Set(['healthy', 'ready']);

const find = (conditions: KratixCondition[], type: string) =>
  conditions.find(c => c.type === type);

/** `A Configure Pipeline has failed: <pipeline>` (KRATIX-FACTS §1.3) names the pipeline. */
export function failedPipeline(message?: string): string | undefined {
  const match = /:\s*([a-z0-9][a-z0-9.-]*)\s*$/i.exec(message ?? '');
  return match?.[1];
}

/** The events the Resource's conditions show (each condition's latest transition). */
export function conditionEvents(object: KratixResourceObject): ResourceEvent[] {
  const conditions = sortedConditions(object.status);
  const events: ResourceEvent[] = [];
  const configure =
    find(conditions, 'ConfigureWorkflowCompleted') ??
    // Kratix before October 2024: set True after every pipeline.
    find(conditions, 'PipelineCompleted');
  const at = configure?.lastTransitionTime;
  if (configure && at && configure.status === 'True') {
    events.push({
      event: 'completed',
      key: `completed|${at}`,
      at,
      severity: 'normal',
      headline: 'is ready',
    });
  } else if (
    configure &&
    at &&
    configure.status === 'False' &&
    configure.reason === 'ConfigureWorkflowFailed'
  ) {
    const pipeline = failedPipeline(configure.message);
    events.push({
      event: 'failed',
      key: `failed|${at}`,
      at,
      severity: 'high',
      headline: pipeline ? `failed in pipeline ${pipeline}` : 'failed',
      detail: configure.message,
      pipeline,
    });
  }
  const works = find(conditions, 'WorksSucceeded');
  if (works?.status === 'False' && works.lastTransitionTime) {
    events.push({
      event: 'works-failing',
      key: `works-failing|${works.reason ?? ''}|${works.lastTransitionTime}`,
      at: works.lastTransitionTime,
      severity: 'high',
      headline:
        works.reason === 'WorksMisplaced'
          ? 'has Works that could not be placed'
          : 'has Works that are failing',
      detail: works.message,
    });
  }
  const deletion = find(conditions, 'DeleteWorkflowCompleted');
  if (
    deletion?.status === 'False' &&
    deletion.reason === 'DeleteWorkflowFailed' &&
    deletion.lastTransitionTime
  ) {
    events.push({
      event: 'delete-failed',
      key: `delete-failed|${deletion.lastTransitionTime}`,
      at: deletion.lastTransitionTime,
      severity: 'high',
      headline: 'could not be deleted',
      detail: deletion.message,
    });
  }
  return events;
}

/**
 * A health change between two sightings: into degraded or unhealthy, or back to healthy or ready.
 * `previous` undefined (first sighting) gives none: a state is only news when it changes.
 */
export function healthEvent(
  object: KratixResourceObject,
  previous: string | undefined,
): ResourceEvent | undefined {
  const health = resourceHealth(object.status);
  const state = health?.state.toLowerCase();
  if (previous === undefined || !state || state === previous) return undefined;
  // The check's run names the transition; a rewrite of the same run keeps the same key.
  const run = health?.lastRun ?? object.metadata.resourceVersion ?? '';
  if (BAD_HEALTH.has(state)) {
    return {
      event: 'health',
      key: `health|${state}|${run}`,
      at: health?.lastRun,
      severity: 'high',
      headline: `is ${state}`,
    };
  }
  if (GOOD_HEALTH.has(state) && BAD_HEALTH.has(previous)) {
    return {
      event: 'health',
      key: `health|${state}|${run}`,
      at: health?.lastRun,
      severity: 'normal',
      headline: `recovered (${state})`,
    };
  }
  return undefined;
}

/** The overall health state of a sighting, for the next sighting's comparison. */
export function healthStateOf(object: KratixResourceObject): string {
  return resourceHealth(object.status)?.state.toLowerCase() ?? '';
}

/** The Resource is gone from the cluster: once per incarnation. */
export function deletedEvent(): ResourceEvent {
  return {
    event: 'deleted',
    key: 'deleted',
    severity: 'low',
    headline: 'was deleted',
  };
}

/**
 * Still not done `stuckAfterMs` after its workflow started: the configure workflow in progress, or
 * its Works pending. Keyed by the start, so each run is reminded of once.
 */
export function stuckEvent(
  object: KratixResourceObject,
  now: Date,
  stuckAfterMs: number,
): ResourceEvent | undefined {
  if (object.metadata.deletionTimestamp) return undefined;
  const conditions = sortedConditions(object.status);
  const configure = find(conditions, 'ConfigureWorkflowCompleted');
  const works = find(conditions, 'WorksSucceeded');
  let waiting: KratixCondition | undefined;
  if (
    configure?.status === 'False' &&
    configure.reason === 'PipelinesInProgress'
  ) {
    waiting = configure;
  } else if (configure?.status === 'True' && works?.status === 'Unknown') {
    waiting = works;
  }
  const since = waiting?.lastTransitionTime;
  if (!waiting || !since) return undefined;
  const waitedMs = now.getTime() - Date.parse(since);
  if (!(waitedMs >= stuckAfterMs)) return undefined;
  return {
    event: 'stuck',
    key: `stuck|${waiting.type}|${since}`,
    severity: 'normal',
    headline: `is still not ready after ${humanDuration(stuckAfterMs)}`,
    detail: waiting.message,
  };
}

/** A threshold as people say it: whole minutes or hours, seconds below a minute. */
export function humanDuration(ms: number): string {
  const plural = (n: number, unit: string) =>
    `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (ms < 60_000) return plural(Math.max(1, Math.round(ms / 1000)), 'second');
  const minutes = ms / 60_000;
  if (minutes >= 120 && minutes % 60 === 0) return plural(minutes / 60, 'hour');
  return Number.isInteger(minutes)
    ? plural(minutes, 'minute')
    : plural(Math.round(ms / 1000), 'second');
}

/** The notification's description: the status message, with a failure's own words first. */
export function describe(
  object: KratixResourceObject,
  event: ResourceEvent,
  failedContainer?: string,
): string {
  const message = statusMessage(object.status);
  const shown = message && message !== 'Pending' ? message : undefined;
  if (event.severity !== 'high' && event.event !== 'stuck') {
    return shown ?? event.detail ?? '';
  }
  return [
    event.detail && `${event.detail.replace(/\.?$/, '.')}`,
    failedContainer && `The failing container is ${failedContainer}.`,
    shown && `Status: ${shown}`,
  ]
    .filter(Boolean)
    .join(' ');
}
