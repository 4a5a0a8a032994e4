/*
 * The body of a one-Resource answer, once the caller may read the Resource: its view, raw object,
 * Works (where its output landed) and the timeline's newest page; and the older pages of that
 * timeline. Both the entity route and the standalone Resource page answer with these, so they
 * cannot drift apart.
 */
import type {
  KratixTimelineEntry,
  KratixWorkView,
  ResourceDetailsResponse,
  TimelinePageResponse,
} from '@kratix-backstage/plugin-kratix-common';
import {
  resourceViewOf,
  type KratixClusterService,
  type ResolvedResource,
} from '@kratix-backstage/plugin-kratix-node';
import type { ResourceJournal } from '../journal/ResourceJournal';
import type { ResourceAddress } from './types';
import {
  DEFAULT_TIMELINE_PAGE,
  mergeTimelineEntries,
  pageTimeline,
} from './timeline';

/** Which page of the timeline: the newest `limit` entries before `before` (a page's `next`). */
export interface TimelinePageRequest {
  limit: number;
  before?: string;
}

async function timelineSources(
  clusters: KratixClusterService,
  journal: ResourceJournal,
  address: ResourceAddress,
  resolved: ResolvedResource,
): Promise<{
  timeline: KratixTimelineEntry[];
  works: KratixWorkView[];
  worksError?: string;
}> {
  const uid = resolved.object.metadata.uid;
  let worksError: string | undefined;
  const [jobs, events, works, transitions, actions] = await Promise.all([
    clusters.listWorkflowJobs(resolved),
    clusters.listResourceEvents(resolved),
    // Works are shown beside the Resource: without them (no RBAC on works, say) it still answers.
    clusters.listResourceWorks(resolved).catch(error => {
      worksError = `Works could not be read: ${error.message ?? error}`;
      return [];
    }),
    journal.transitions(address, uid),
    uid ? journal.actions(address, uid) : [],
  ]);
  return {
    timeline: mergeTimelineEntries(resolved.object, {
      transitions,
      jobs,
      events,
      actions,
      works,
    }),
    works,
    worksError,
  };
}

export async function resourceDetails(
  clusters: KratixClusterService,
  journal: ResourceJournal,
  address: ResourceAddress,
  resolved: ResolvedResource,
  page: TimelinePageRequest = { limit: DEFAULT_TIMELINE_PAGE },
): Promise<ResourceDetailsResponse> {
  const { timeline, works, worksError } = await timelineSources(
    clusters,
    journal,
    address,
    resolved,
  );
  const first = pageTimeline(timeline, page);
  return {
    resource: resourceViewOf(resolved),
    object: resolved.object,
    works,
    worksError,
    timeline: first.entries,
    timelineNext: first.next,
    timelineTotal: first.total,
  };
}

export async function resourceTimelinePage(
  clusters: KratixClusterService,
  journal: ResourceJournal,
  address: ResourceAddress,
  resolved: ResolvedResource,
  page: TimelinePageRequest,
): Promise<TimelinePageResponse> {
  const { timeline } = await timelineSources(
    clusters,
    journal,
    address,
    resolved,
  );
  return pageTimeline(timeline, page);
}
