/*
 * Requests delivered through Git (issue 27): the shapes the backend, the tab, the scaffolder actions
 * and the MCP tools share. A cluster whose delivery is `gitops` or `pull-request` takes no direct
 * writes: a create, update or delete becomes a commit (or a pull request) in a repository a GitOps
 * agent syncs, and the plugin's request ledger follows it until the platform has it.
 */

/**
 * How requests reach a cluster: `direct` (the Kubernetes API), `gitops` (a commit on the branch a
 * GitOps agent syncs) or `pull-request` (a branch and a pull or merge request against it).
 *
 * @public
 */
export type KratixDeliveryMode = 'direct' | 'gitops' | 'pull-request';

/**
 * Where requests to a cluster, or to one of its Promises, go: the mode and, through Git, the
 * repository (its URL, never with credentials) and branch. What the tab's manage dialogs say
 * happens depends on it.
 *
 * @public
 */
export interface KratixDeliveryView {
  mode: KratixDeliveryMode;
  /** `gitops` and `pull-request`: the repository's URL, never with credentials. */
  repository?: string;
  /** `gitops` and `pull-request`: the branch the agent syncs (commits go to it; pull requests target it). */
  branch?: string;
}

/**
 * Where a request stands: `pending` (delivered, not on the cluster yet), `applied` (the Resource
 * with its request id appeared, or for a delete, the Resource went), `superseded` (a later request
 * for the same Resource was applied first), `closed` (its pull request was closed unmerged) or
 * `stale` (not applied within `kratix.delivery.staleAfterMinutes`).
 *
 * @public
 */
export type KratixRequestState =
  | 'pending'
  | 'applied'
  | 'superseded'
  | 'closed'
  | 'stale';

/**
 * What a delivered request does to the Resource's file.
 *
 * @public
 */
export type KratixRequestOperation = 'create' | 'update' | 'delete';

/**
 * The annotation that carries a delivered request's id into the Resource, so the ledger knows when
 * the platform has applied it.
 *
 * @public
 */
export const KRATIX_REQUEST_ID_ANNOTATION = 'kratix.backstage.io/request-id';

/**
 * One request in the ledger, as the caller may see it.
 *
 * @public
 */
export interface KratixRequestView {
  /** The request id (also the Resource's `kratix.backstage.io/request-id`). */
  id: string;
  operation: KratixRequestOperation;
  state: KratixRequestState;
  mode: Exclude<KratixDeliveryMode, 'direct'>;
  cluster: string;
  promise: string;
  namespace: string;
  name: string;
  /** The entity the Resource is for (none for an unlinked request). */
  entityRef?: string;
  /** The user who asked. */
  requestedBy: string;
  /** The repository's URL, never with credentials. */
  repository: string;
  /** The branch committed to: the synced branch (gitops), or the pull request's branch. */
  branch: string;
  /** The manifest's path in the repository. */
  path: string;
  commitSha: string;
  /** A link to the commit, when the forge has pages for commits. */
  commitUrl?: string;
  pullRequestUrl?: string;
  pullRequestNumber?: number;
  /** When the forge said the pull request was merged (ISO time); the platform may not have it yet. */
  pullRequestMergedAt?: string;
  /** The live Resource's uid, once applied. */
  resourceUid?: string;
  /** What to tell the user, e.g. "Committed abc1234, waiting for the platform to sync". */
  message: string;
  createdAt: string;
  updatedAt: string;
}
