/* What the Git delivery takes and gives back (`GitRequestWriter.write`). */

/**
 * One change to a Resource's manifest in a repository: committed onto the branch (`gitops`), or
 * committed onto a new branch with a pull or merge request against the branch (`pull-request`).
 *
 * @public
 */
export interface GitWrite {
  mode: 'gitops' | 'pull-request';
  /** The clone URL (https), without credentials: they come from Backstage's `integrations`. */
  repository: string;
  /** `gitops`: the branch committed onto; `pull-request`: the pull request's base branch. */
  branch: string;
  /** Repository-relative, e.g. `kratix-requests/sandbox/default/redis/orders-cache.yaml`. */
  filePath: string;
  /** The file's new content; `null` deletes the file. */
  content: string | null;
  /** The commit message. */
  message: string;
  /** The requesting user: the commit's author (and committer). */
  author: { name: string; email: string };
  /** `pull-request` only: the branch pushed, e.g. `kratix/<request id>`; it must not exist yet. */
  headBranch?: string;
  /** `pull-request` only: the pull request's title and body (default: the commit message). */
  pullRequest?: { title: string; body: string };
  /**
   * A link to the commit with `{repository}` (the URL without a trailing `.git`) and `{sha}` filled
   * in, over the forge's default (`kratix.clusters[].delivery.commitUrlTemplate`).
   */
  commitUrlTemplate?: string;
}

/**
 * What a write did.
 *
 * @public
 */
export interface GitWriteResult {
  /** The commit made. */
  commitSha: string;
  /** The branch the commit is on: the synced branch (`gitops`) or the pull request's branch. */
  branch: string;
  /** A link to the commit, when the forge (or the template) has one. */
  commitUrl?: string;
  pullRequestUrl?: string;
  pullRequestNumber?: number;
}

/**
 * Where a pull or merge request stands on its forge; `unknown` when the forge cannot tell.
 *
 * @public
 */
export type GitPullRequestState = 'open' | 'merged' | 'closed' | 'unknown';
