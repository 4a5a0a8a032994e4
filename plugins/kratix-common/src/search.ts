/*
 * The search documents the Kratix collators write and the frontend's result item reads, and the
 * frontend paths they point to, defined once so the backend's links and the app's routes agree.
 */
import type { KratixResourceState } from './types';

/**
 * Search document type of Kratix Resources; visibility `kratix.resource.read` per Resource.
 *
 * @public
 */
export const KRATIX_RESOURCE_SEARCH_TYPE = 'kratix-resource';
/**
 * Search document type of Kratix Promises; visibility `kratix.promise.read`.
 *
 * @public
 */
export const KRATIX_PROMISE_SEARCH_TYPE = 'kratix-promise';

/**
 * A Kratix Resource as the search index holds it.
 *
 * @public
 */
export interface KratixResourceSearchDocument {
  /** `<name> (<promise>)` */
  title: string;
  /** Status message, extra status as `key: value`, a spec summary and the state, one per line. */
  text: string;
  /** The Kratix tab of the entity the Resource belongs to, else the Resource's own page. */
  location: string;
  cluster: string;
  promise: string;
  namespace: string;
  name: string;
  state: KratixResourceState;
  message: string;
  /** Owner of the entity the Resource belongs to (e.g. `group:default/team-a`); '' when none. */
  owner: string;
  /** The entity its `kratix.backstage.io/entity-ref` names; '' when none. */
  entityRef: string;
  /** The `kratix-resource` permission ref (`<cluster>:<promise>/<namespace>/<name>`). */
  authorization: { resourceRef: string };
}

/**
 * A Kratix Promise as the search index holds it.
 *
 * @public
 */
export interface KratixPromiseSearchDocument {
  /** The Promise's name. */
  title: string;
  /** Description, API kind and group and spec fields, one per line. */
  text: string;
  /** The Promise's page. */
  location: string;
  cluster: string;
  promise: string;
  kind: string;
  apiVersion: string;
  /** Top-level spec fields of its API. */
  fields: string[];
  // No count of its Resources: one document serves every reader, and a count would tell each of
  // them about Resources they may not read (search filters documents, not what is inside them).
}

/**
 * Where the frontend plugin mounts its pages (the Resource and Promise pages live under it).
 *
 * @public
 */
export const KRATIX_PAGE_PATH = '/kratix';

const seg = encodeURIComponent;

/**
 * The page of one Resource, relative to the app's base URL.
 *
 * @public
 */
export function kratixResourcePagePath(r: {
  cluster: string;
  namespace: string;
  promise: string;
  name: string;
}): string {
  return `${KRATIX_PAGE_PATH}/resources/${seg(r.cluster)}/${seg(
    r.namespace,
  )}/${seg(r.promise)}/${seg(r.name)}`;
}

/**
 * The page of one Promise, relative to the app's base URL.
 *
 * @public
 */
export function kratixPromisePagePath(p: {
  cluster: string;
  name: string;
}): string {
  return `${KRATIX_PAGE_PATH}/promises/${seg(p.cluster)}/${seg(p.name)}`;
}
