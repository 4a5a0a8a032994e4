/*
 * The HTTP contract of the Kratix backend plugin (routes under /api/kratix), shared by the backend
 * router, the frontend client and the README:
 *
 *   GET  /promises                                        → PromisesResponse
 *   GET  /entities/{kind}/{namespace}/{name}/resources    → EntityResourcesResponse
 *   GET  /entities/{kind}/{namespace}/{name}/events       → text/event-stream of EntityResourcesResponse
 *   GET  /entities/{kind}/{namespace}/{name}/resources/{cluster}/{resourceNamespace}/{promise}/{resourceName}
 *                                                         → ResourceDetailsResponse (with timeline)
 *   POST /resources                                       → CreateResourceResponse (201; 200 on dryRun)
 */
import type { KratixResourceRef } from './annotations';
import type {
  KratixPromiseView,
  KratixResourceObject,
  KratixResourceView,
  KratixTimelineEntry,
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
 * A linked Resource that could not be shown, and why (not found, unknown Promise, …).
 *
 * @public
 */
export interface KratixResourceRefError {
  ref: KratixResourceRef;
  reason: 'not-found' | 'unknown-promise' | 'unknown-cluster' | 'cluster-error';
  message: string;
}

/**
 * A Kratix platform cluster as the UI shows it.
 *
 * @public
 */
export interface KratixClusterInfo {
  name: string;
  title?: string;
  /** The embedded sandbox platform (emulated Kratix, not a real cluster). */
  sandbox: boolean;
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
  timeline: KratixTimelineEntry[];
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
  resource: KratixResourceView;
  object: KratixResourceObject;
}
