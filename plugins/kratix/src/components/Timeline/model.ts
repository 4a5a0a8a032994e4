/*
 * Pure layout of a Resource's timeline: lanes (workflow-completion condition first, then workflow runs,
 * then Works and WorkPlacements, then the other conditions, then the spec and actions, then events) of
 * items placed on one time axis zoomed to the activity.
 */
import {
  CONDITION,
  type KratixResourceView,
  type KratixTimelineEntry,
} from '@kratix-backstage/plugin-kratix-common';
import { toMillis } from '../../utils/time';

export type Tone =
  | 'ok'
  | 'error'
  | 'progress'
  | 'pending'
  | 'warning'
  | 'neutral';

export interface TimelineItem {
  start: number;
  /** Equal to start for an instant (an event, a run with no known end). */
  end: number;
  /** Still going: the last state of a condition, or a run that has not finished. */
  ongoing: boolean;
  tone: Tone;
  label: string;
  entry: KratixTimelineEntry;
}

export interface TimelineLane {
  id: string;
  /** What the lane is about, in full: a condition type, a workflow, a Work's name, … */
  title: string;
  /** What kind of thing the title names (`condition`, `workflow run`, `Work`), when it does not say. */
  caption?: string;
  kind: 'completion' | 'job' | 'work' | 'condition' | 'event';
  items: TimelineItem[];
}

export interface TimelineModel {
  /** The axis' bounds: from a little before the first entry to a little after the last activity. */
  start: number;
  end: number;
  lanes: TimelineLane[];
  ticks: number[];
}

/** The shortest axis: a burst of activity within a few seconds is still spread out to be read. */
export const MIN_AXIS_SPAN = 30_000;
/** Now is on the axis when it is at most this share of the activity's span after the last activity. */
const NOW_SLACK = 0.25;
/** Room left before the first and after the last activity, as a share of the span. */
const AXIS_PADDING = 0.04;

const COMPLETION_TYPES: string[] = [
  CONDITION.configureWorkflowCompleted,
  CONDITION.pipelineCompleted,
];
const CONDITION_ORDER: string[] = [
  CONDITION.reconciled,
  CONDITION.worksSucceeded,
  CONDITION.promiseAvailable,
];

export function conditionTone(status?: string, reason = ''): Tone {
  if (/paus|suspend/i.test(reason)) return 'warning';
  if (status === 'True') return 'ok';
  if (status === 'False') {
    return /fail|misplaced|notinstalled|notavailable/i.test(reason)
      ? 'error'
      : 'progress';
  }
  return 'pending';
}

export function jobTone(status?: string): Tone {
  if (!status) return 'neutral';
  if (/^(succeeded|complete|completed|true)$/i.test(status)) return 'ok';
  if (/fail|error|false/i.test(status)) return 'error';
  if (/running|active|pending|progress/i.test(status)) return 'progress';
  if (/suspend|paus/i.test(status)) return 'warning';
  return 'neutral';
}

/**
 * A Work's or WorkPlacement's condition transition. Kratix says where a Work stands in its `Ready`
 * condition's message (`Ready`, `Pending`, `Failing`, `Misplaced`), so the words matter more than the
 * status.
 */
export function workTone(entry: KratixTimelineEntry): Tone {
  const words = `${entry.reason ?? ''} ${entry.message ?? ''}`;
  if (/misplaced/i.test(words)) return 'warning';
  if (/fail|error/i.test(words)) return 'error';
  if (/pending|unscheduled|waiting/i.test(words)) return 'pending';
  if (entry.status === 'True') return 'ok';
  if (entry.status === 'False') return 'error';
  return 'pending';
}

const isFinished = (status?: string) =>
  /^(succeeded|complete|completed|true|failed|false|error)$/i.test(
    status ?? '',
  );

/** A job's end: its recorded end, its start plus duration, now while it runs, else its start. */
function jobEnd(entry: KratixTimelineEntry, start: number, now: number) {
  const end = toMillis(entry.endTime);
  if (end !== undefined) return { end, ongoing: false };
  if (entry.durationMs !== undefined) {
    return { end: start + entry.durationMs, ongoing: false };
  }
  if (!isFinished(entry.status))
    return { end: Math.max(start, now), ongoing: true };
  return { end: start, ongoing: false };
}

/** Timeline entries from the Resource alone, for when the backend's timeline is not available. */
export function deriveTimeline(
  resource: KratixResourceView,
): KratixTimelineEntry[] {
  const entries: KratixTimelineEntry[] = [];
  if (resource.createdAt) {
    entries.push({
      time: resource.createdAt,
      source: 'resource',
      title: 'Created',
      generation: 1,
    });
  }
  for (const c of resource.conditions) {
    if (!c.lastTransitionTime) continue;
    entries.push({
      time: c.lastTransitionTime,
      source: 'condition',
      title: c.type,
      status: c.status,
      reason: c.reason,
      message: c.message,
      generation: c.observedGeneration,
    });
  }
  for (const p of resource.pipelines) {
    if (!p.lastTransitionTime) continue;
    entries.push({
      time: p.lastTransitionTime,
      source: 'job',
      title: p.name,
      status: p.phase,
      message: p.message,
    });
  }
  return entries.sort(
    (a, b) => (toMillis(a.time) ?? 0) - (toMillis(b.time) ?? 0),
  );
}

export const RESOURCE_LANE_TITLE = 'Spec and actions';
export const EVENTS_LANE_TITLE = 'Kubernetes events';

/** `Work <name>` / `WorkPlacement <name>` (the backend's titles): the kind and the name apart. */
function splitWorkTitle(title: string): { kind: string; name: string } {
  const match = /^(Work|WorkPlacement) (.+)$/.exec(title);
  return match
    ? { kind: match[1], name: match[2] }
    : { kind: 'work', name: title };
}

/** What a screen reader says for a lane: its title and what kind of thing it is. */
export function laneName(lane: TimelineLane): string {
  return lane.caption ? `${lane.title} (${lane.caption})` : lane.title;
}

/**
 * Lays the entries out for the chart: one lane per completion condition, workflow, Work or
 * WorkPlacement, other condition, and events, ordered; each entry an item on one time axis (a span
 * until the next transition, or until now); and the axis' bounds and ticks.
 */
export function layoutTimelineChart(
  entries: KratixTimelineEntry[],
  options: { now: number; completionType?: string },
): TimelineModel {
  const { now } = options;
  const valid = entries
    .map(entry => ({ entry, start: toMillis(entry.time) }))
    .filter(
      (e): e is { entry: KratixTimelineEntry; start: number } =>
        e.start !== undefined,
    )
    .sort((a, b) => a.start - b.start);

  const lanes = new Map<string, TimelineLane>();
  const lane = (
    id: string,
    title: string,
    kind: TimelineLane['kind'],
    caption?: string,
  ) => {
    let found = lanes.get(id);
    if (!found) {
      found = { id, title, kind, items: [] };
      if (caption) found.caption = caption;
      lanes.set(id, found);
    }
    return found;
  };

  for (const { entry, start } of valid) {
    if (entry.source === 'condition') {
      const completion =
        entry.title === options.completionType ||
        COMPLETION_TYPES.includes(entry.title);
      lane(
        `condition:${entry.title}`,
        entry.title,
        completion ? 'completion' : 'condition',
        completion ? 'workflow completion' : 'condition',
      ).items.push({
        start,
        end: start,
        ongoing: false,
        tone: conditionTone(entry.status, entry.reason),
        label: entry.reason || entry.status || entry.title,
        entry,
      });
    } else if (entry.source === 'job') {
      const { end, ongoing } = jobEnd(entry, start, now);
      lane(`job:${entry.title}`, entry.title, 'job', 'workflow run').items.push(
        {
          start,
          end,
          ongoing,
          tone: jobTone(entry.status),
          label: entry.status ?? 'run',
          entry,
        },
      );
    } else if (entry.source === 'work') {
      // One lane per Work and per WorkPlacement; its conditions (ScheduleSucceeded, WriteSucceeded,
      // Ready) share it, so each transition is an instant, not a span until the next.
      const work = splitWorkTitle(entry.title);
      lane(`work:${entry.title}`, work.name, 'work', work.kind).items.push({
        start,
        end: start,
        ongoing: false,
        tone: workTone(entry),
        label: entry.message || entry.reason || entry.status || entry.title,
        entry,
      });
    } else {
      // The request and what users did to it through Backstage share a lane; Kubernetes Events have
      // theirs.
      const resource = entry.source === 'resource' || entry.source === 'action';
      lane(
        resource ? 'resource' : 'events',
        resource ? RESOURCE_LANE_TITLE : EVENTS_LANE_TITLE,
        'event',
      ).items.push({
        start,
        end: start,
        ongoing: false,
        tone: /warn|fail|error/i.test(`${entry.status} ${entry.reason}`)
          ? 'warning'
          : 'neutral',
        label: entry.title,
        entry,
      });
    }
  }

  // A condition holds from one transition to the next; the last one holds until now.
  for (const l of lanes.values()) {
    if (l.kind !== 'completion' && l.kind !== 'condition') continue;
    l.items.forEach((item, i) => {
      const next = l.items[i + 1];
      item.end = next ? next.start : Math.max(item.start, now);
      item.ongoing = !next;
    });
  }

  const rank = (l: TimelineLane) => {
    if (l.kind === 'completion') return 0;
    if (l.kind === 'job') return 1;
    // Right after the runs that wrote them.
    if (l.kind === 'work') return 1.5;
    if (l.kind === 'condition') {
      const i = CONDITION_ORDER.indexOf(l.title);
      return 2 + (i === -1 ? CONDITION_ORDER.length : i) / 10;
    }
    return l.id === 'resource' ? 3 : 4;
  };
  const sorted = [...lanes.values()].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.kind === 'job' ? a.items[0].start - b.items[0].start : 0) ||
      a.title.localeCompare(b.title),
  );

  const { start, end } = axisDomain(sorted, now);
  return { start, end, lanes: sorted, ticks: niceTicks(start, end) };
}

/**
 * The axis' bounds, zoomed to the activity: from the first entry to the last thing that happened
 * (a transition, an event, a run's end, or now while a run is going), padded a little on each side,
 * at least MIN_AXIS_SPAN wide. Now is on the axis only when it is close after the activity; otherwise
 * a condition that still holds runs off the axis' end, and the activity is not squeezed into a sliver
 * at its start.
 */
export function axisDomain(
  lanes: TimelineLane[],
  now: number,
): { start: number; end: number } {
  const items = lanes.flatMap(l => l.items);
  if (items.length === 0) {
    return { start: now - MIN_AXIS_SPAN, end: now };
  }
  let first = Math.min(...items.map(i => i.start));
  // A condition that still holds is a state, not activity; a run that has not finished is activity.
  let last = Math.max(
    ...items.map(i =>
      i.ongoing && (i.entry.source === 'condition' || i.entry.source === 'work')
        ? i.start
        : i.end,
    ),
  );
  if (
    now > last &&
    now - last <= Math.max(last - first, MIN_AXIS_SPAN) * NOW_SLACK
  ) {
    last = now;
  }
  if (last - first < MIN_AXIS_SPAN) {
    // Too short to read: widen it around the activity, never further into the future than needed.
    const middle = (first + last) / 2;
    first = middle - MIN_AXIS_SPAN / 2;
    last = middle + MIN_AXIS_SPAN / 2;
    const latest = Math.max(
      now,
      ...items.map(i => (i.ongoing ? i.start : i.end)),
    );
    if (last > latest) {
      first -= last - latest;
      last = latest;
    }
  }
  const pad = (last - first) * AXIS_PADDING;
  return { start: first - pad, end: last + pad };
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TICK_STEPS = [
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
  90 * DAY,
  365 * DAY,
];

/**
 * Ticks at round times (every 10 s, 5 min, 1 h, …, in local time), at most `max` of them, so their
 * labels read as a scale rather than as arbitrary timestamps.
 */
export function niceTicks(start: number, end: number, max = 6): number[] {
  if (!(end > start)) return [start];
  const span = end - start;
  const step =
    TICK_STEPS.find(s => span / s <= max) ??
    Math.ceil(span / max / (365 * DAY)) * 365 * DAY;
  // Round in local time: an hour or a day starts at the local hour or midnight.
  const offset = new Date(start).getTimezoneOffset() * MINUTE;
  const first = Math.ceil((start - offset) / step) * step + offset;
  const ticks: number[] = [];
  for (let t = first; t <= end; t += step) ticks.push(t);
  return ticks;
}

/** How long the last completed workflow run took, from runs or from the completion condition. */
export function lastRunDuration(model: TimelineModel): number | undefined {
  const runs = model.lanes
    .filter(l => l.kind === 'job')
    .flatMap(l => l.items)
    .filter(i => !i.ongoing && i.end > i.start)
    .sort((a, b) => b.end - a.end);
  if (runs.length) return runs[0].end - runs[0].start;
  const completion = model.lanes.find(l => l.kind === 'completion');
  if (!completion) return undefined;
  const items = completion.items;
  for (let i = items.length - 1; i > 0; i--) {
    if (
      items[i].entry.status === 'True' &&
      items[i - 1].entry.status !== 'True'
    ) {
      return items[i].start - items[i - 1].start;
    }
  }
  return undefined;
}
