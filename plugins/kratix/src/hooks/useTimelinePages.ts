import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { useApi } from '@backstage/core-plugin-api';
import type {
  KratixTimelineEntry,
  ResourceDetailsResponse,
} from '@kratix-backstage/plugin-kratix-common';
import {
  kratixApiRef,
  type KratixEntityRef,
  type KratixResourceKey,
} from '../api/KratixApi';

/** What `useTimelinePages` returns. */
export interface TimelinePagesState {
  /** The older pages loaded so far, then the details' newest page; oldest first. */
  entries?: KratixTimelineEntry[];
  /** How many entries the whole timeline has (when the backend said). */
  total?: number;
  /** Whether there are older entries to load. */
  hasOlder: boolean;
  loadingOlder: boolean;
  olderError?: Error;
  loadOlder: () => void;
}

/**
 * A Resource's timeline in pages: the newest page comes with its details (shown without a
 * click); older pages are loaded on request and kept when the details reload after a change, so
 * what the user opened stays open.
 */
export function useTimelinePages(
  entityRef: KratixEntityRef,
  key: KratixResourceKey,
  details: ResourceDetailsResponse | undefined,
): TimelinePagesState {
  const api = useApi(kratixApiRef);
  const [older, setOlder] = useState<{
    entries: KratixTimelineEntry[];
    next?: string;
  }>({ entries: [] });
  const previousFirst = useRef<KratixTimelineEntry[]>([]);
  const { cluster, namespace, promise, name } = key;

  // New details: older pages still hold, up to where the new newest page starts. The previous
  // newest page joins them, so no entry falls between the two.
  useEffect(() => {
    if (!details) return;
    const first = details.timeline;
    // Read now: the updater below runs later, after the ref has moved on.
    const previous = previousFirst.current;
    previousFirst.current = first;
    setOlder(current => {
      if (current.entries.length === 0 && current.next === undefined) {
        // Nothing to change (a timeline in one page): the same state, so no second render.
        if (details.timelineNext === undefined) return current;
        return { ...current, next: details.timelineNext };
      }
      const start = first[0]?.time;
      const kept = [...current.entries, ...previous].filter(
        e => start === undefined || e.time < start,
      );
      return { ...current, entries: kept };
    });
  }, [details]);

  // The request for one older page; the pages loaded so far are kept apart from it, in `older`.
  const [request, fetchOlder] = useAsyncFn(
    async (before: string) => {
      const page = await api.getResourceTimeline(
        entityRef,
        { cluster, namespace, promise, name },
        { before },
      );
      setOlder(current => ({
        entries: [...page.entries, ...current.entries],
        next: page.next,
      }));
    },
    [api, entityRef, cluster, namespace, promise, name],
  );

  const loadOlder = useCallback(() => {
    if (older.next && !request.loading) fetchOlder(older.next);
  }, [older.next, request.loading, fetchOlder]);

  // The same array while nothing changed, so what is drawn from it is not redrawn.
  const entries = useMemo(() => {
    if (!details) return undefined;
    return older.entries.length
      ? [...older.entries, ...details.timeline]
      : details.timeline;
  }, [details, older.entries]);
  return {
    entries,
    total: details?.timelineTotal,
    hasOlder: older.next !== undefined,
    loadingOlder: request.loading,
    // A new attempt clears the last one's error.
    olderError: request.loading ? undefined : request.error,
    loadOlder,
  };
}
