/* Builds the user-facing view of a Resource from its raw object and the Promise API it belongs to. */
import {
  KRATIX_ENTITY_REF_ANNOTATION,
  KRATIX_REQUESTED_BY_ANNOTATION,
} from './annotations';
import {
  extraStatus,
  kratixManagedStatus,
  lastSuccessfulConfigureWorkflowTime,
  pipelineStatuses,
  resourceHealth,
  resourceState,
  sortedConditions,
  statusMessage,
  workflowCompletion,
} from './status';
import type { KratixResourceObject, KratixResourceView } from './types';

/**
 * The Promise API a Resource is an instance of.
 *
 * @public
 */
export interface KratixResourceApi {
  cluster: string;
  promise: string;
  group: string;
  version: string;
  kind: string;
  plural: string;
}

/**
 * What the UI shows of a Resource, computed from its object and its Promise.
 *
 * @public
 */
export function toResourceView(
  api: KratixResourceApi,
  resource: KratixResourceObject,
): KratixResourceView {
  const { metadata, status } = resource;
  const conditions = sortedConditions(status);
  const managed = kratixManagedStatus(status);
  const observedGeneration = managed.observedGeneration;
  return {
    ...api,
    namespace: metadata.namespace ?? 'default',
    name: metadata.name,
    uid: metadata.uid,
    createdAt: metadata.creationTimestamp,
    requestedBy: metadata.annotations?.[KRATIX_REQUESTED_BY_ANNOTATION],
    entityRef: metadata.annotations?.[KRATIX_ENTITY_REF_ANNOTATION],
    generation: metadata.generation,
    observedGeneration:
      typeof observedGeneration === 'number' ? observedGeneration : undefined,
    message: statusMessage(status),
    state: resourceState(resource),
    extraStatus: extraStatus(status),
    kratixStatus: managed,
    conditions,
    workflowCompletion: workflowCompletion(conditions),
    pipelines: pipelineStatuses(status),
    lastSuccessfulConfigureWorkflowTime:
      lastSuccessfulConfigureWorkflowTime(status),
    labels: metadata.labels ?? {},
    paused: metadata.labels?.['kratix.io/paused'] === 'true',
    deletionTimestamp: metadata.deletionTimestamp,
    resourceVersion: metadata.resourceVersion,
    health: resourceHealth(status),
  };
}
