/*
 * The body of a one-Resource answer, once the caller may read the Resource: its view, raw object,
 * Works (where its output landed) and timeline. Both the entity route and the standalone Resource
 * page answer with this, so they cannot drift apart.
 */
import type { ResourceDetailsResponse } from '@kratix-backstage/plugin-kratix-common';
import type {
  KratixClusterService,
  ResolvedResource,
} from '@kratix-backstage/plugin-kratix-node';
import type { HistoryStore } from '../history/HistoryStore';
import { viewOf, type ResourceAddress } from './EntityResources';
import { buildTimeline } from './timeline';

export async function resourceDetails(
  clusters: KratixClusterService,
  history: HistoryStore,
  address: ResourceAddress,
  resolved: ResolvedResource,
): Promise<ResourceDetailsResponse> {
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
    history.transitions(address, uid),
    uid ? history.actions(address, uid) : [],
  ]);
  return {
    resource: viewOf(resolved),
    object: resolved.object,
    works,
    worksError,
    timeline: buildTimeline(resolved.object, {
      transitions,
      jobs,
      events,
      actions,
      works,
    }),
  };
}
