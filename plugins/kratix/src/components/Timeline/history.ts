/*
 * The rows of a Resource's history table, and which of its optional columns have anything to show.
 */
import type { KratixTimelineEntry } from '@kratix-backstage/plugin-kratix-common';
import { dateFormatter, toMillis } from '../../utils/time';

export interface HistoryRow {
  /** The entry's place in the backend's order (oldest first), to keep ties in order. */
  id: number;
  entry: KratixTimelineEntry;
  /** The entry's outcome (`True`, `Succeeded`, `Warning`); never a user, whatever the source. */
  status?: string;
  /** Who did it: the user entity ref of an action through Backstage. */
  by?: string;
  /** How long it took: a run's recorded duration, or from its start to its end. */
  durationMs?: number;
}

/** The optional columns, shown only when some row has something in them. */
export interface HistoryColumns {
  status: boolean;
  duration: boolean;
}

/** How long an entry took, when it has a duration or a start and an end. */
export function entryDuration(entry: KratixTimelineEntry): number | undefined {
  if (entry.durationMs !== undefined) return entry.durationMs;
  const start = toMillis(entry.time);
  const end = toMillis(entry.endTime);
  return start !== undefined && end !== undefined && end >= start
    ? end - start
    : undefined;
}

/**
 * The history's rows, newest first; entries within the same instant keep the backend's order,
 * reversed. An action's `status` is the user who acted (as the backend records it): it moves to `by`.
 */
export function historyRows(entries: KratixTimelineEntry[]): HistoryRow[] {
  return entries
    .map((entry, id): HistoryRow => {
      const action = entry.source === 'action';
      return {
        id,
        entry,
        status: action ? undefined : entry.status || undefined,
        by: action ? entry.status || undefined : undefined,
        durationMs: entryDuration(entry),
      };
    })
    .sort(
      (a, b) =>
        (toMillis(b.entry.time) ?? 0) - (toMillis(a.entry.time) ?? 0) ||
        b.id - a.id,
    );
}

/** Which optional columns have a value in some row; an empty column is left out. */
export function historyColumns(rows: HistoryRow[]): HistoryColumns {
  return {
    status: rows.some(r => r.status !== undefined),
    duration: rows.some(r => r.durationMs !== undefined),
  };
}

/**
 * When an entry happened, as short as reads unambiguously next to now: the time alone today, the
 * date without the year this year, the full timestamp otherwise.
 */
export function formatWhen(time: string, now: number): string {
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) return time;
  const today = new Date(now);
  const timeOfDay: Intl.DateTimeFormatOptions = {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  };
  if (date.toDateString() === today.toDateString()) {
    return dateFormatter(timeOfDay).format(date);
  }
  return dateFormatter({
    ...(date.getFullYear() === today.getFullYear() ? {} : { year: 'numeric' }),
    month: 'short',
    day: 'numeric',
    ...timeOfDay,
  }).format(date);
}

/** `user:default/jane` → `jane`: the name a reader knows; the full ref stays in a tooltip. */
export function shortUserRef(ref: string): string {
  const match = /^(?:user:)?(?:default\/)?([^:/]+)$/.exec(ref);
  return match ? match[1] : ref;
}
