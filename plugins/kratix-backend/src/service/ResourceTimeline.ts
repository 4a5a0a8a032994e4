/*
 * A readable Resource's details and timeline pages, for both one-Resource routes (through an
 * entity, and on its own). The caller's access is decided before these are called; this only
 * shapes the answer: the first page in the details (so the Resource's view is complete without
 * a click), older pages on request, each at most `limit` entries (default
 * kratix.history.timelinePageSize, at most MAX_TIMELINE_PAGE).
 */
import type {
  ResourceDetailsResponse,
  TimelinePageResponse,
} from '@kratix-backstage/plugin-kratix-common';
import type {
  KratixClusterService,
  ResolvedResource,
} from '@kratix-backstage/plugin-kratix-node';
import type { ResourceJournal } from '../journal/ResourceJournal';
import type { ResourceAddress } from './types';
import {
  resourceDetails,
  resourceTimelinePage,
  type TimelinePageRequest,
} from './resourceDetails';
import { DEFAULT_TIMELINE_PAGE, parsePageQuery } from './timeline';

export class ResourceTimeline {
  constructor(
    private readonly clusters: KratixClusterService,
    private readonly journal: ResourceJournal,
    private readonly pageSize = DEFAULT_TIMELINE_PAGE,
  ) {}

  /** `limit` and `before` from a request's query; InputError naming the field. */
  parse(query: Record<string, unknown>): TimelinePageRequest {
    return parsePageQuery(query, this.pageSize);
  }

  /** The Resource with its timeline's newest page (a `before` is ignored: that is page()). */
  details(
    address: ResourceAddress,
    resolved: ResolvedResource,
    page: TimelinePageRequest,
  ): Promise<ResourceDetailsResponse> {
    return resourceDetails(this.clusters, this.journal, address, resolved, {
      limit: page.limit,
    });
  }

  /** One page of the timeline, before `page.before`. */
  page(
    address: ResourceAddress,
    resolved: ResolvedResource,
    page: TimelinePageRequest,
  ): Promise<TimelinePageResponse> {
    return resourceTimelinePage(
      this.clusters,
      this.journal,
      address,
      resolved,
      page,
    );
  }
}
