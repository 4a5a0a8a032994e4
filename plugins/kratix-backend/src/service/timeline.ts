/*
 * One ordered timeline per Resource: the request, every recorded condition transition, the workflow
 * runs the cluster still has (Jobs with Kratix's labels), the Events about it and its Works, and
 * the condition transitions of its Works and WorkPlacements (recorded, plus the current ones).
 * Answered in pages, newest first (pageTimeline): the journal is bounded per Resource, but a
 * page keeps each answer small however long the Resource has lived.
 */
import { InputError } from '@backstage/errors';
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
} from '../journal/ResourceJournal';
import {
  parseWorkConditionType,
  workConditionType,
} from '../journal/workConditions';

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
    // The run its logs are asked for by (…/logs?run=).
    job: job.metadata?.name,
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

/**
 * Merges what one Resource's timeline is built from into its entries, ordered: the request, the
 * recorded and current condition transitions (each once), the workflow Jobs, the Events, the manage
 * actions and the Works' conditions. The UI lays these out as a chart itself.
 */
export function mergeTimelineEntries(
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
  // The cluster's current conditions, in case the journal has not caught up (or is not kept).
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

  // The Works' current conditions, in case the journal has not caught up (or is not kept).
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

  return entries.sort((a, b) => compareKeys(sortKey(a), sortKey(b)));
}

/** An entry's place in the timeline: a total order, so a page boundary falls between two entries. */
type SortKey = [string, number, string, string, string, string];

function sortKey(entry: KratixTimelineEntry): SortKey {
  return [
    entry.time,
    SOURCE_ORDER[entry.source],
    entry.title,
    entry.status ?? '',
    entry.reason ?? '',
    entry.message ?? '',
  ];
}

function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

/** The largest page a caller may ask for (`limit`). */
export const MAX_TIMELINE_PAGE = 500;
/** Default of `kratix.history.timelinePageSize`. */
export const DEFAULT_TIMELINE_PAGE = 100;

/** One page of a timeline, oldest first within the page. */
export interface TimelinePage {
  entries: KratixTimelineEntry[];
  /** The cursor for the entries before these; absent when these reach the beginning. */
  next?: string;
  /** How many entries the whole timeline has. */
  total: number;
}

function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(cursor: string): SortKey {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(key) &&
      key.length === 6 &&
      typeof key[1] === 'number' &&
      [0, 2, 3, 4, 5].every(i => typeof key[i] === 'string')
    )
      return key as SortKey;
  } catch {
    // Not ours: said below.
  }
  throw new InputError(
    'before: not a cursor this route gave (use the `next` of a previous page)',
  );
}

/** Parses `limit` (and `before`) from a query; InputError naming the field. */
export function parsePageQuery(
  query: Record<string, unknown>,
  defaultLimit: number,
): { limit: number; before?: string } {
  const { limit, before } = query;
  if (before !== undefined && (typeof before !== 'string' || before === '')) {
    throw new InputError('before: must be a cursor string');
  }
  if (limit === undefined) return { limit: defaultLimit, before };
  const n = typeof limit === 'string' ? Number(limit) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_TIMELINE_PAGE) {
    throw new InputError(
      `limit: must be a whole number from 1 to ${MAX_TIMELINE_PAGE}`,
    );
  }
  return { limit: n, before };
}

/**
 * The newest `limit` entries of a sorted timeline that come before the cursor (all of them
 * without one). Cursors name an entry, not a position, so entries added meanwhile neither repeat
 * nor shift a later page.
 */
export function pageTimeline(
  sorted: KratixTimelineEntry[],
  page: { limit: number; before?: string },
): TimelinePage {
  let end = sorted.length;
  if (page.before !== undefined) {
    const key = decodeCursor(page.before);
    end = 0;
    while (end < sorted.length && compareKeys(sortKey(sorted[end]), key) < 0)
      end++;
  }
  let start = Math.max(0, end - page.limit);
  // Entries equal to the page's first stay with it: the cursor could not tell them apart.
  while (
    start > 0 &&
    start < end &&
    compareKeys(sortKey(sorted[start - 1]), sortKey(sorted[start])) === 0
  )
    start--;
  const entries = sorted.slice(start, end);
  return {
    entries,
    next: start > 0 ? encodeCursor(sortKey(entries[0])) : undefined,
    total: sorted.length,
  };
}
