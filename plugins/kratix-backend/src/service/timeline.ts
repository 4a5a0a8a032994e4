/*
 * One ordered timeline per Resource: the request, every recorded condition transition, the workflow
 * runs the cluster still has (Jobs with Kratix's labels), the Events about it and its Works, and
 * the condition transitions of its Works and WorkPlacements (recorded, plus the current ones).
 */
import type { CoreV1Event, V1Job } from '@kubernetes/client-node';
import {
  sortedConditions,
  type KratixResourceObject,
  type KratixCondition,
  type KratixTimelineEntry,
  type KratixWorkView,
} from '@kratix-backstage/plugin-kratix-common';
import type {
  ConditionTransition,
  ResourceAction,
} from '../history/HistoryStore';
import {
  parseWorkConditionType,
  workConditionType,
} from '../history/workConditions';

const iso = (value: Date | string | undefined): string | undefined =>
  value === undefined ? undefined : new Date(value).toISOString();

function jobEntry(job: V1Job): KratixTimelineEntry | undefined {
  const labels = job.metadata?.labels ?? {};
  const start = iso(job.status?.startTime ?? job.metadata?.creationTimestamp);
  if (!start) return undefined;
  const conditions = job.status?.conditions ?? [];
  const failed = conditions.find(
    c => c.type === 'Failed' && c.status === 'True',
  );
  const complete = conditions.find(
    c => c.type === 'Complete' && c.status === 'True',
  );
  const end = iso(job.status?.completionTime ?? failed?.lastTransitionTime);
  let status = 'Running';
  if (failed) status = 'Failed';
  else if (complete) status = 'Succeeded';
  return {
    time: start,
    source: 'job',
    title:
      labels['kratix.io/pipeline-name'] ?? job.metadata?.name ?? 'workflow',
    status,
    reason: labels['kratix.io/workflow-action'],
    message: failed?.message ?? job.metadata?.name,
    endTime: end,
    durationMs: end ? Date.parse(end) - Date.parse(start) : undefined,
  };
}

function eventEntry(
  event: CoreV1Event,
  resource: KratixResourceObject,
): KratixTimelineEntry | undefined {
  const time = iso(
    event.lastTimestamp ??
      event.eventTime ??
      event.firstTimestamp ??
      event.metadata?.creationTimestamp,
  );
  if (!time) return undefined;
  // Events about the Resource's Works and WorkPlacements say which object they are about.
  const subject = event.involvedObject;
  const about =
    subject?.uid && subject.uid !== resource.metadata.uid
      ? `${subject.kind} ${subject.name}: `
      : '';
  return {
    time,
    source: 'event',
    title: event.reason ?? 'Event',
    status: event.type,
    message: `${about}${event.message ?? ''}${
      event.count && event.count > 1 ? ` (×${event.count})` : ''
    }`,
  };
}

const transitionKey = (t: {
  type: string;
  status: string;
  reason?: string;
  time: string;
}) => `${t.type}|${t.status}|${t.reason ?? ''}|${iso(t.time) ?? t.time}`;

const SOURCE_ORDER: Record<KratixTimelineEntry['source'], number> = {
  resource: 0,
  job: 1,
  condition: 2,
  event: 3,
  action: 4,
  work: 5,
};

const ACTION_TITLE: Record<string, string> = {
  reconcile: 'Re-run requested',
  pause: 'Paused',
  resume: 'Resumed',
  update: 'Spec updated',
  delete: 'Deletion requested',
};

/** What one Resource's timeline is built from. */
export interface TimelineSources {
  transitions: ConditionTransition[];
  jobs: V1Job[];
  events: CoreV1Event[];
  actions?: ResourceAction[];
  works?: KratixWorkView[];
}

export function buildTimeline(
  resource: KratixResourceObject,
  { transitions, jobs, events, actions = [], works = [] }: TimelineSources,
): KratixTimelineEntry[] {
  const entries: KratixTimelineEntry[] = [];
  const created = resource.metadata.creationTimestamp;
  if (created) {
    entries.push({
      time: iso(created)!,
      source: 'resource',
      title: 'Requested',
      message: `${resource.kind} ${resource.metadata.namespace ?? 'default'}/${
        resource.metadata.name
      } created`,
      generation: 1,
    });
  }

  const seen = new Set<string>();
  const addTransition = (t: {
    type: string;
    status: string;
    reason?: string;
    message?: string;
    time: string;
    generation?: number;
  }) => {
    const key = transitionKey(t);
    if (seen.has(key)) return;
    seen.add(key);
    const work = parseWorkConditionType(t.type);
    entries.push({
      time: iso(t.time) ?? t.time,
      source: work ? 'work' : 'condition',
      title: work ? `${work.kind} ${work.name}` : t.type,
      status: t.status,
      reason: t.reason || undefined,
      message: work
        ? `${work.type}${t.message ? `: ${t.message}` : ''}`
        : t.message,
      generation: work ? undefined : t.generation,
    });
  };
  for (const t of transitions) {
    addTransition({
      type: t.conditionType,
      status: t.status,
      reason: t.reason,
      message: t.message,
      time: t.transitionTime,
      generation: t.generation,
    });
  }
  // The cluster's current conditions, in case the history has not caught up (or is not kept).
  for (const c of sortedConditions(resource.status)) {
    if (!c.lastTransitionTime) continue;
    addTransition({
      type: c.type,
      status: c.status,
      reason: c.reason,
      message: c.message,
      time: c.lastTransitionTime,
      generation: c.observedGeneration,
    });
  }

  for (const job of jobs) {
    const entry = jobEntry(job);
    if (entry) entries.push(entry);
  }
  for (const event of events) {
    const entry = eventEntry(event, resource);
    if (entry) entries.push(entry);
  }

  for (const action of actions) {
    entries.push({
      time: action.actedAt,
      source: 'action',
      title: ACTION_TITLE[action.action] ?? action.action,
      status: action.actor,
      message: action.message,
    });
  }

  // The Works' current conditions, in case the history has not caught up (or is not kept).
  const addWorkConditions = (
    kind: 'Work' | 'WorkPlacement',
    name: string,
    conditions: KratixCondition[],
  ) => {
    for (const c of conditions) {
      const type = workConditionType({ kind, name, type: c.type });
      if (!type || !c.lastTransitionTime) continue;
      addTransition({
        type,
        status: c.status,
        reason: c.reason,
        message: c.message,
        time: c.lastTransitionTime,
      });
    }
  };
  for (const work of works) {
    addWorkConditions('Work', work.name, work.conditions);
    for (const placement of work.placements) {
      addWorkConditions('WorkPlacement', placement.name, placement.conditions);
    }
  }

  return entries.sort(
    (a, b) =>
      a.time.localeCompare(b.time) ||
      SOURCE_ORDER[a.source] - SOURCE_ORDER[b.source],
  );
}
