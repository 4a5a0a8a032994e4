/*
 * The HTTP contract of the Kratix backend plugin (routes under /api/kratix), shared by the backend
 * router, the frontend client and the README:
 *
 *   GET  /promises                                        → PromisesResponse
 *   GET  /entities/{kind}/{namespace}/{name}/resources    → EntityResourcesResponse
 *   GET  /entities/{kind}/{namespace}/{name}/events       → text/event-stream of EntityResourcesResponse
 *   GET  /entities/{kind}/{namespace}/{name}/resources/{cluster}/{resourceNamespace}/{promise}/{resourceName}
 *                                                         → ResourceDetailsResponse (with the timeline's newest page)
 *   GET  …/{resourceName}/timeline?before=&limit=          → TimelinePageResponse (older pages)
 *   GET  /resources/{cluster}/{namespace}/{promise}/{name} → ResourceDetailsResponse (the Resource on its
 *                                                           own, decided on itself; 404 when not readable)
 *   GET  /resources/{cluster}/{namespace}/{promise}/{name}/timeline?before=&limit= → TimelinePageResponse
 *   POST /resources                                       → CreateResourceResponse (201; 200 on dryRun)
 *
 * Managing one of an entity's Resources (decided on the entity: kratix.resource.update / .delete),
 * under /entities/{kind}/{namespace}/{name}/resources/{cluster}/{resourceNamespace}/{promise}/{resourceName}:
 *   POST   …/reconcile   → 202 ManageResourceResponse (re-runs the workflow: kratix.io/manual-reconciliation)
 *   POST   …/pause       → 202 ManageResourceResponse (kratix.io/paused: "true")
 *   POST   …/resume      → 202 ManageResourceResponse (removes kratix.io/paused)
 *   PATCH  …             → 200 ManageResourceResponse, body UpdateResourceRequest (409 on a stale resourceVersion)
 *   DELETE …             → 202 ManageResourceResponse (Kratix runs the delete workflow; state "deleting")
 *
 * The event stream sends `resources` frames (EntityResourcesResponse), `failure` frames when a read
 * fails, and a final `forbidden` frame (KratixStreamForbidden) before it closes when the caller has
 * lost access. More than `kratix.streams.maxPerUser` open streams of one user are refused with 429.
 * Frames are whole snapshots: a client that reads slowly gets the newest one and misses the states
 * between. A snapshot over `kratix.streams.maxFrameBytes` is not sent: a final `limit` frame
 * (KratixStreamLimit) says so and the stream closes.
 */
import type {
  KratixDeliveryMode,
  KratixDeliveryView,
  KratixRequestView,
} from './delivery';
import type { KratixResourceRef } from './annotations';
import type {
  KratixPromiseView,
  KratixResourceObject,
  KratixResourceView,
  KratixTimelineEntry,
  KratixWorkView,
} from './types';

/**
 * Why a cluster could not answer; other clusters' results are still returned beside it.
 *
 * @public
 */
export interface KratixClusterError {
  cluster: string;
  /** unreachable: down or refusing; timeout: no answer in time; forbidden/unauthorized: credentials. */
  type: 'unreachable' | 'timeout' | 'unauthorized' | 'forbidden' | 'unknown';
  message: string;
}

/**
 * A linked Resource that could not be shown, and why. `not-confirmed`: the entity claims the link
 * but the platform does not agree (the Resource does not name the entity, and no other source of
 * agreement covers it) — a Resource that does not exist reads the same, so a claim reveals nothing.
 * `forbidden`: the link is confirmed but the policy does not let the caller read the Resource.
 * `stale`: the Resource names this entity but was created for another entity of that name (since
 * deleted, renamed or registered again); told only to callers who may read every Resource.
 *
 * @public
 */
export interface KratixResourceRefError {
  ref: KratixResourceRef;
  reason:
    | 'not-found'
    | 'unknown-promise'
    | 'unknown-cluster'
    | 'cluster-error'
    | 'not-confirmed'
    | 'stale'
    | 'forbidden';
  message: string;
}

/**
 * How a link from an entity to a Resource was confirmed by the platform side.
 *
 * @public
 */
export type KratixLinkConfirmation =
  /**
   * The Resource's `kratix.backstage.io/entity-ref` names the entity and the Resource is bound to
   * it: its recorded uid matches, or its platform owner owns the entity and the entity comes from a
   * trusted location.
   */
  | 'entity-ref'
  /** The entity was produced from the platform by the Kratix catalog provider. */
  | 'provider'
  /** `kratix.namespaceOwners` maps the Resource's namespace to one of the entity's owners. */
  | 'namespace-owner'
  /** `kratix.linkTrust: catalog`: the catalog is trusted to hold only true links (weaker). */
  | 'catalog';

/** @public */
export interface KratixClusterInfo {
  name: string;
  title?: string;
  /** The embedded sandbox platform (emulated Kratix, not a real cluster). */
  sandbox: boolean;
  /**
   * On a cluster with `auth.type: oidc`: the Backstage auth provider (`auth.oidcTokenProvider`)
   * whose ID token the user's writes there must carry, as `x-kratix-id-token-<provider>`.
   */
  idTokenProvider?: string;
  /**
   * How requests reach the cluster when not directly: `gitops` or `pull-request` (Promises may
   * override it; each create answer says how it went).
   */
  delivery?: Exclude<KratixDeliveryMode, 'direct'>;
  /**
   * With `delivery`: the repository (URL without credentials) and branch requests to the cluster
   * go to, unless a Promise overrides them (`promiseDelivery`).
   */
  deliveryTarget?: Omit<KratixDeliveryView, 'mode'>;
  /**
   * The Promises (by name) whose delivery differs from the cluster's (`kratix.clusters[].delivery.promises`):
   * another mode, repository or branch. A Promise not named here is delivered as the cluster is.
   */
  promiseDelivery?: Record<string, KratixDeliveryView>;
}

/**
 * The answer to `GET /promises`: Promises on every cluster, with per-cluster errors.
 *
 * @public
 */
export interface PromisesResponse {
  items: KratixPromiseView[];
  clusters: KratixClusterInfo[];
  errors: KratixClusterError[];
}

/**
 * The answer to `GET /entities/{kind}/{namespace}/{name}/resources`, and each event of its live stream.
 *
 * @public
 */
export interface EntityResourcesResponse {
  items: KratixResourceView[];
  /** Links in the entity's annotations that could not be resolved. */
  refErrors: KratixResourceRefError[];
  /** Annotation entries that could not be parsed. */
  annotationErrors: string[];
  clusters: KratixClusterInfo[];
  errors: KratixClusterError[];
  /** When the data was read from the cluster cache (ISO time). */
  observedAt: string;
  /**
   * Requests delivered through Git for this entity that the platform has not applied: `pending`,
   * `stale` or `closed`, newest first. Absent when none.
   */
  requests?: KratixRequestView[];
}

/**
 * The answer to one Resource's route: its view, raw object and timeline.
 *
 * @public
 */
export interface ResourceDetailsResponse {
  resource: KratixResourceView;
  /** The raw object as the cluster stores it, for the YAML view. */
  object: KratixResourceObject;
  /**
   * The timeline's newest entries (`kratix.history.timelinePageSize`, default 100), oldest first.
   * Older ones: the `…/timeline` route with `before` set to `timelineNext`.
   */
  timeline: KratixTimelineEntry[];
  /** Cursor for the entries before `timeline`; absent when `timeline` is the whole of it. */
  timelineNext?: string;
  /** How many entries the whole timeline has. */
  timelineTotal?: number;
  /** The Works Kratix built from the Resource's workflows, with their placements. */
  works: KratixWorkView[];
  /** Why `works` is empty although the Resource may have Works (the cluster's Works could not be read). */
  worksError?: string;
}

/**
 * One page of a Resource's timeline (`…/timeline?before=<cursor>&limit=<n>`, limit at most 500):
 * the newest entries before the cursor, oldest first.
 *
 * @public
 */
export interface TimelinePageResponse {
  entries: KratixTimelineEntry[];
  /** Cursor for the page before this one; absent when this page reaches the beginning. */
  next?: string;
  /** How many entries the whole timeline has. */
  total: number;
}

/**
 * The body of `POST /resources`.
 *
 * @public
 */
export interface CreateResourceRequest {
  cluster?: string;
  promise: string;
  namespace: string;
  name: string;
  spec: Record<string, unknown>;
  /** The catalog entity the Resource is for, e.g. `component:default/shop`. */
  entityRef?: string;
  dryRun?: boolean;
}

/**
 * The answer to `POST /resources`: the created (or dry-run) Resource.
 *
 * @public
 */
export interface CreateResourceResponse {
  dryRun: boolean;
  /** The created Resource; on a cluster with Git delivery, the manifest as delivered (no uid yet). */
  resource: KratixResourceView;
  object: KratixResourceObject;
  /** On a cluster with Git delivery: the delivered request, `pending` until the platform has it. */
  request?: KratixRequestView;
}

/**
 * The last frame of an event stream whose caller has lost access.
 *
 * @public
 */
export interface KratixStreamForbidden {
  message: string;
}

/**
 * The last frame of an event stream whose snapshot is bigger than a live update may carry
 * (`kratix.streams.maxFrameBytes`): the entity links too many Resources to follow live. The page can
 * still load them; the client should not reconnect.
 *
 * @public
 */
export interface KratixStreamLimit {
  /** What to show the user. */
  message: string;
  /** The config key of the limit reached. */
  limit: 'kratix.streams.maxFrameBytes';
  /** The size of the snapshot that was not sent, in bytes. */
  bytes: number;
  /** The limit, in bytes. */
  maxBytes: number;
  /** How many Resources the entity links. */
  resources: number;
}

/**
 * The manage actions on a Resource.
 *
 * @public
 */
export type KratixManageAction =
  | 'reconcile'
  | 'pause'
  | 'resume'
  | 'update'
  | 'delete';

/**
 * PATCH body: the new spec, validated against the Promise's schema; optimistic concurrency.
 *
 * @public
 */
export interface UpdateResourceRequest {
  spec: Record<string, unknown>;
  /** The resourceVersion the change is based on; 409 when the Resource changed since. */
  resourceVersion: string;
}

/** @public */
export interface ManageResourceResponse {
  action: KratixManageAction;
  resource: KratixResourceView;
  object: KratixResourceObject;
  /** An update or delete on a cluster with Git delivery: the delivered request, `pending`. */
  request?: KratixRequestView;
}
