import { createApiRef } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  CreateResourceRequest,
  CreateResourceResponse,
  EntityResourcesResponse,
  KratixClusterError,
  KratixLogsQuery,
  KratixResourceView,
  KratixWorkflowRunsResponse,
  ManageResourceResponse,
  PromisesResponse,
  ResourceDetailsResponse,
  TimelinePageResponse,
  UpdateResourceRequest,
} from '@kratix-backstage/plugin-kratix-common';

/**
 * A catalog entity, as a string ref (`component:default/shop`) or its parts.
 *
 * @public
 */
export type KratixEntityRef = string | CompoundEntityRef;

/**
 * Which Resource: the cluster it lives on, its Promise, namespace and name.
 *
 * @public
 */
export interface KratixResourceKey {
  cluster: string;
  promise: string;
  namespace: string;
  name: string;
}

/**
 * The answer to `GET /promises/{cluster}/{promise}/resources`: the Promise's Resources the caller
 * may read (the others are left out, not counted), and the clusters that could not answer.
 *
 * @public
 */
export interface PromiseResourcesResponse {
  items: KratixResourceView[];
  errors: KratixClusterError[];
}

/**
 * The answer to `GET /promises/resource-counts`: per Promise, how many Resources the caller may read
 * (a Promise with none is left out).
 *
 * @public
 */
export interface PromiseResourceCountsResponse {
  items: { cluster: string; promise: string; count: number }[];
  errors: KratixClusterError[];
}

/**
 * Stops a watch started with {@link KratixApi.watchEntityResources}.
 *
 * @public
 */
export type KratixUnsubscribe = () => void;

/**
 * The live stream's final `forbidden` frame: the caller lost access while watching.
 *
 * @public
 */
export class KratixAccessLostError extends Error {
  readonly name = 'NotAllowedError';
  readonly statusCode = 403;
}

/**
 * Why a watch is not receiving updates right now; it keeps retrying unless `retrying` is false.
 *
 * @public
 */
export interface KratixWatchError {
  error: Error;
  /** Whether the client will reconnect by itself (false for 401/403/404: retrying cannot help). */
  retrying: boolean;
  /** When the next attempt starts, if retrying. */
  nextAttemptAt?: Date;
}

/**
 * How {@link KratixApi.followResourceLogs} is told where lines go and when to stop.
 *
 * @public
 */
export interface KratixFollowLogsOptions {
  /** Lines as they arrive, a batch per chunk read (without their line endings). */
  onLines: (lines: string[]) => void;
  /** Aborting stops following; the promise then resolves. */
  signal: AbortSignal;
}

/**
 * The Kratix backend, as the frontend uses it (routes of `/api/kratix`, see kratix-common `api.ts`).
 *
 * @public
 */
export interface KratixApi {
  getEntityResources(
    entityRef: KratixEntityRef,
  ): Promise<EntityResourcesResponse>;
  getResourceDetails(
    entityRef: KratixEntityRef,
    resource: KratixResourceKey,
  ): Promise<ResourceDetailsResponse>;
  /** A Resource on its own (not through an entity); a 404 also means "you may not read it". */
  getResource(resource: KratixResourceKey): Promise<ResourceDetailsResponse>;
  /**
   * Older entries of one of the entity's Resources' timeline: the page before `before` (a
   * `timelineNext` or a page's `next`). The details carry the newest page.
   */
  getResourceTimeline(
    entityRef: KratixEntityRef,
    resource: KratixResourceKey,
    page: { before: string; limit?: number },
  ): Promise<TimelinePageResponse>;
  /** The Resource's workflow runs (pipeline Jobs and their Pods' containers), newest first. */
  getResourceRuns(
    entityRef: KratixEntityRef,
    resource: KratixResourceKey,
  ): Promise<KratixWorkflowRunsResponse>;
  /**
   * One container's log of one run, as plain text (403 without `kratix.resource.logs.read`, 404 for
   * an unknown run or container, 410 once the Pod is collected).
   */
  getResourceLogs(
    entityRef: KratixEntityRef,
    resource: KratixResourceKey,
    query: KratixLogsQuery,
  ): Promise<string>;
  /**
   * Follows a running container's log: its lines so far, then each new one, until the container
   * ends (the promise resolves) or `options.signal` aborts. HTTP failures reject as `ResponseError`.
   */
  followResourceLogs(
    entityRef: KratixEntityRef,
    resource: KratixResourceKey,
    query: KratixLogsQuery,
    options: KratixFollowLogsOptions,
  ): Promise<void>;
  getPromises(): Promise<PromisesResponse>;
  /** The Promise's Resources the caller may read. */
  getPromiseResources(promise: {
    cluster: string;
    name: string;
  }): Promise<PromiseResourcesResponse>;
  /** How many Resources the caller may read, per Promise. */
  getPromiseResourceCounts(): Promise<PromiseResourceCountsResponse>;
  createResource(
    request: CreateResourceRequest,
  ): Promise<CreateResourceResponse>;
  /** Re-runs the Resource's configure workflow (202). */
  reconcileResource(
    entityRef: KratixEntityRef,
    resource: KratixResourceKey,
  ): Promise<ManageResourceResponse>;
  /** Pauses reconciliation: label `kratix.io/paused: "true"` (202). */
  pauseResource(
    entityRef: KratixEntityRef,
    resource: KratixResourceKey,
  ): Promise<ManageResourceResponse>;
  /** Resumes a paused Resource (202). */
  resumeResource(
    entityRef: KratixEntityRef,
    resource: KratixResourceKey,
  ): Promise<ManageResourceResponse>;
  /** Replaces the spec; a 409 `ResponseError` when `resourceVersion` is stale. */
  updateResource(
    entityRef: KratixEntityRef,
    resource: KratixResourceKey,
    request: UpdateResourceRequest,
  ): Promise<ManageResourceResponse>;
  /** Deletes the Resource; Kratix runs its delete workflow (202). */
  deleteResource(
    entityRef: KratixEntityRef,
    resource: KratixResourceKey,
  ): Promise<ManageResourceResponse>;
  /**
   * Follows an entity's Resources live. `onUpdate` gets every new snapshot; `onError` is told when
   * the stream breaks (the client reconnects with backoff unless the error says retrying is useless).
   */
  watchEntityResources(
    entityRef: KratixEntityRef,
    onUpdate: (response: EntityResourcesResponse) => void,
    onError: (error: KratixWatchError) => void,
  ): KratixUnsubscribe;
}

/**
 * The API ref of {@link KratixApi}.
 *
 * @public
 */
export const kratixApiRef = createApiRef<KratixApi>({ id: 'plugin.kratix' });
