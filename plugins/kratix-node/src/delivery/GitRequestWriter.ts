/*
 * Delivers a Resource's manifest through Git (issue 27): a commit onto the branch a GitOps agent
 * syncs (`gitops`), or a branch and a pull or merge request against it (`pull-request`). Each write
 * clones the branch into a temp folder, changes one file, commits as the requesting user and pushes;
 * a branch that moved in between is cloned again and retried once, then 409. Nothing is left
 * half-done: a pull request that cannot be opened takes its pushed branch with it. Credentials come
 * only from Backstage's `integrations` config; messages never carry them.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import { commitUrlFor } from './commitUrl';
import { forgeReason, gitFailure } from './describeFailure';
import {
  githubPullRequestNumber,
  githubPullRequestState,
  openGithubPullRequest,
} from './githubPullRequests';
import {
  gitlabMergeRequestNumber,
  gitlabMergeRequestState,
  openGitlabMergeRequest,
} from './gitlabMergeRequests';
import { KratixDeliveryError } from './KratixDeliveryError';
import {
  RepositoryCredentials,
  type RepositoryAccess,
} from './repositoryCredentials';
import { parseRepositoryUrl, redact } from './repositoryUrl';
import type { GitPullRequestState, GitWrite, GitWriteResult } from './types';
import {
  BranchMovedError,
  GitRemoteError,
  type GitRemote,
  readBranchFiles,
  type BranchFiles,
  WorkingCopy,
} from './workingCopy';

/** A push onto a branch that moved is cloned again and retried this many times, then 409. */
const MOVED_BRANCH_RETRIES = 1;

/**
 * Writes Resource manifests into Git repositories and opens pull or merge requests for them.
 *
 * @public
 */
export class GitRequestWriter {
  private readonly credentials: RepositoryCredentials;
  /** One gitops write at a time per repository and branch in this process (they would conflict). */
  private readonly queues = new Map<string, Promise<unknown>>();
  /**
   * The last read of each repository's branch (readBranch), so the next read of the same paths
   * costs one ref listing while the branch has not moved, instead of a clone. One entry per
   * repository and branch read (configured, few), holding the files of the paths last asked for.
   */
  private readonly lastReads = new Map<string, BranchFiles>();

  private constructor(
    integrations: ScmIntegrations,
    private readonly logger: LoggerService,
  ) {
    this.credentials = new RepositoryCredentials(integrations);
  }

  /** A writer whose credentials come from the root config's `integrations`. */
  static fromConfig(
    config: Config,
    options: { logger: LoggerService },
  ): GitRequestWriter {
    return new GitRequestWriter(
      ScmIntegrations.fromConfig(config),
      options.logger,
    );
  }

  /**
   * Throws InputError naming `key` when no integration gives credentials for the repository (a
   * startup check), or, with `mode: 'pull-request'`, when its forge cannot take pull requests
   * (GitHub and GitLab can).
   */
  checkRepository(
    repository: string,
    key: string,
    options?: { mode?: 'gitops' | 'pull-request' },
  ): void {
    const url = parseRepositoryUrl(repository, key);
    const problem = this.credentials.problem(url, options?.mode);
    if (problem) throw new InputError(`${key}: ${problem}`);
  }

  /**
   * Commits the change (and opens the pull request). InputError for a bad input, NotFoundError for
   * deleting a file that is not there, ConflictError when the branch moved twice (or the pull
   * request's branch exists), KratixDeliveryError (502) when the repository or forge refused.
   */
  async write(input: GitWrite): Promise<GitWriteResult> {
    checkWrite(input);
    const url = parseRepositoryUrl(input.repository, 'repository');
    if (input.mode === 'pull-request') {
      const problem = this.credentials.problem(url, 'pull-request');
      if (problem) throw new InputError(problem);
    }
    const access = await this.credentials.access(url);
    if (input.mode === 'pull-request') {
      return this.pullRequest(input, url, access);
    }
    return this.serialize(`${url} ${input.branch}`, () =>
      this.commitOnto(input, url, access),
    );
  }

  /**
   * What the branch holds at its head at each repository-relative path (the file's text, or
   * undefined when no file is there), read from one shallow clone without a checkout, or from the
   * last read when the branch's head has not moved since (readBranchFiles); nothing is written.
   * InputError for a bad branch name, KratixDeliveryError (502, naming the repository and
   * never its credentials) when the repository cannot be read.
   */
  async readBranch(
    repository: string,
    branch: string,
    paths: readonly string[],
  ): Promise<{
    /** The commit the branch pointed at when read. */
    commitSha: string;
    /** Each path asked for: the file's text, or undefined when no file is there. */
    files: Map<string, string | undefined>;
  }> {
    if (!isBranchName(branch)) {
      throw new InputError(`"${branch}" is not a valid branch name`);
    }
    const url = parseRepositoryUrl(repository, 'repository');
    const access = await this.credentials.access(url);
    const key = `${url} ${branch}`;
    try {
      const read = await readBranchFiles(
        this.remote(url, access),
        branch,
        paths,
        this.lastReads.get(key),
      );
      this.lastReads.set(key, read);
      return read;
    } catch (error) {
      if (error instanceof GitRemoteError) {
        throw gitFailure(url.toString(), error, access.secrets);
      }
      throw error;
    }
  }

  /** Where the forge says a pull/merge request stands (GitHub/GitLab); 'unknown' for other forges or on error. */
  async pullRequestState(
    repository: string,
    pullRequestUrl: string,
  ): Promise<GitPullRequestState> {
    let secrets: string[] = [];
    try {
      const url = parseRepositoryUrl(repository, 'repository');
      const forge = this.credentials.forgeOf(url);
      if (forge !== 'github' && forge !== 'gitlab') return 'unknown';
      const access = await this.credentials.access(url);
      secrets = access.secrets;
      if (!access.api) return 'unknown';
      if (forge === 'github') {
        const number = githubPullRequestNumber(pullRequestUrl);
        return number
          ? await githubPullRequestState(access.api, url, number)
          : 'unknown';
      }
      const iid = gitlabMergeRequestNumber(pullRequestUrl);
      return iid
        ? await gitlabMergeRequestState(access.api, access.webBaseUrl, url, iid)
        : 'unknown';
    } catch (error) {
      this.logger.warn(
        `Could not ask where ${redact(
          pullRequestUrl,
          secrets,
        )} stands: ${redact(
          String((error as Error)?.message ?? error),
          secrets,
        )}`,
      );
      return 'unknown';
    }
  }

  /**
   * Link to a commit for this repository's forge (github/gitea: <web>/commit/<sha>, gitlab:
   * <web>/-/commit/<sha>), or `template` filled in (`{repository}`: the URL without `.git`;
   * `{sha}`); undefined when unknown.
   */
  commitUrl(
    repository: string,
    sha: string,
    template?: string,
  ): string | undefined {
    let url: URL;
    try {
      url = parseRepositoryUrl(repository, 'repository');
    } catch {
      return undefined;
    }
    return commitUrlFor(this.credentials.forgeOf(url), url, sha, template);
  }

  private async commitOnto(
    input: GitWrite,
    url: URL,
    access: RepositoryAccess,
  ): Promise<GitWriteResult> {
    const repository = url.toString();
    for (let attempt = 0; ; attempt++) {
      const copy = await this.clone(url, access, input.branch);
      try {
        await copy.change(input.filePath, input.content);
        const commitSha = await copy.commit(input.message, input.author);
        await this.push(copy, url, access, input.branch, copy.base);
        this.logger.info(
          `Committed ${commitSha.slice(0, 7)} (${input.filePath}) to ${
            input.branch
          } of ${repository}`,
        );
        return {
          commitSha,
          branch: input.branch,
          ...this.link(url, access, commitSha, input.commitUrlTemplate),
        };
      } catch (error) {
        if (!(error instanceof BranchMovedError)) throw error;
        if (attempt >= MOVED_BRANCH_RETRIES) {
          throw new ConflictError(
            `${input.branch} of ${repository} kept moving while the request was committed; try again`,
          );
        }
        this.logger.info(
          `${input.branch} of ${repository} moved while committing ${input.filePath}; cloning again`,
        );
      } finally {
        await copy.dispose();
      }
    }
  }

  private async pullRequest(
    input: GitWrite,
    url: URL,
    access: RepositoryAccess,
  ): Promise<GitWriteResult> {
    const repository = url.toString();
    const head = input.headBranch!;
    const copy = await this.clone(url, access, input.branch);
    try {
      await copy.startBranch(head);
      await copy.change(input.filePath, input.content);
      const commitSha = await copy.commit(input.message, input.author);
      try {
        await this.push(copy, url, access, head, undefined);
      } catch (error) {
        if (error instanceof BranchMovedError) {
          throw new ConflictError(
            `The branch ${head} already exists in ${repository}`,
          );
        }
        throw error;
      }
      const pullRequest = {
        base: input.branch,
        head,
        title: input.pullRequest?.title || input.message.split('\n')[0],
        body: input.pullRequest?.body ?? input.message,
      };
      let opened: { url: string; number: number };
      try {
        opened =
          access.forge === 'github'
            ? await openGithubPullRequest(access.api!, url, pullRequest)
            : await openGitlabMergeRequest(
                access.api!,
                access.webBaseUrl,
                url,
                pullRequest,
              );
      } catch (error) {
        const forge = access.forge === 'github' ? 'GitHub' : 'GitLab';
        const reason = forgeReason(forge, error, access.secrets);
        // Nothing half-done: the branch goes with the pull request that could not be opened.
        const cleaned = await copy.deleteRemoteBranch(head).then(
          () => true,
          cleanup => {
            this.logger.warn(
              `Could not delete ${head} from ${repository} after its pull request failed: ${redact(
                String(cleanup?.message ?? cleanup),
                access.secrets,
              )}`,
            );
            return false;
          },
        );
        throw new KratixDeliveryError(
          repository,
          `Could not open a pull request for ${head} on ${repository}: ${reason}${
            cleaned ? '' : ` (the branch ${head} could not be deleted again)`
          }`,
        );
      }
      this.logger.info(
        `Pushed ${commitSha.slice(0, 7)} (${
          input.filePath
        }) to ${head} of ${repository} and opened ${opened.url}`,
      );
      return {
        commitSha,
        branch: head,
        ...this.link(url, access, commitSha, input.commitUrlTemplate),
        pullRequestUrl: opened.url,
        pullRequestNumber: opened.number,
      };
    } finally {
      await copy.dispose();
    }
  }

  private link(
    url: URL,
    access: RepositoryAccess,
    sha: string,
    template: string | undefined,
  ): { commitUrl?: string } {
    const commitUrl = commitUrlFor(access.forge, url, sha, template);
    return commitUrl ? { commitUrl } : {};
  }

  private async clone(
    url: URL,
    access: RepositoryAccess,
    branch: string,
  ): Promise<WorkingCopy> {
    try {
      return await WorkingCopy.clone(this.remote(url, access), branch);
    } catch (error) {
      if (error instanceof GitRemoteError) {
        throw gitFailure(url.toString(), error, access.secrets);
      }
      throw error;
    }
  }

  private async push(
    copy: WorkingCopy,
    url: URL,
    access: RepositoryAccess,
    branch: string,
    expected: string | undefined,
  ): Promise<void> {
    try {
      await copy.push(branch, expected);
    } catch (error) {
      if (error instanceof GitRemoteError) {
        throw gitFailure(url.toString(), error, access.secrets);
      }
      throw error;
    }
  }

  private remote(url: URL, access: RepositoryAccess): GitRemote {
    return { url: url.toString(), auth: access.auth };
  }

  private serialize<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(key, tail);
    tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return run;
  }
}

/** A name `git check-ref-format --branch` accepts (the rules that matter for a URL-safe name). */
function isBranchName(name: string): boolean {
  return (
    name.length > 0 &&
    name.length <= 255 &&
    // eslint-disable-next-line no-control-regex
    !/[\x00-\x20\x7f~^:?*[\\]|\.\.|@\{|\/\/|^[-/.]|\/\.|[/.]$|\.lock(\/|$)/.test(
      name,
    ) &&
    name !== '@'
  );
}

function checkWrite(input: GitWrite): void {
  if (input.mode !== 'gitops' && input.mode !== 'pull-request') {
    throw new InputError(
      `mode must be gitops or pull-request, got "${input.mode}"`,
    );
  }
  if (!isBranchName(input.branch)) {
    throw new InputError(`"${input.branch}" is not a valid branch name`);
  }
  if (input.mode === 'pull-request') {
    if (!input.headBranch || !isBranchName(input.headBranch)) {
      throw new InputError(
        `A pull request needs a valid headBranch, got "${
          input.headBranch ?? ''
        }"`,
      );
    }
    if (input.headBranch === input.branch) {
      throw new InputError(
        `The pull request's branch must differ from its base ${input.branch}`,
      );
    }
  }
  const segments = input.filePath.split('/');
  if (
    !input.filePath ||
    input.filePath.includes('\\') ||
    segments.some(s => s === '' || s === '.' || s === '..' || s === '.git')
  ) {
    throw new InputError(
      `filePath must be a file inside the repository, e.g. kratix-requests/default/redis/cache.yaml, got "${input.filePath}"`,
    );
  }
  if (input.content !== null && typeof input.content !== 'string') {
    throw new InputError('content must be the file content, or null to delete');
  }
  if (!input.message?.trim()) throw new InputError('A commit needs a message');
  const { name, email } = input.author ?? {};
  // A name or email with <, > or a line break would corrupt the commit's author line.
  if (!name?.trim() || /[<>\n\r]/.test(name) || /[<>\n\r]/.test(email ?? '')) {
    throw new InputError(
      'The commit author needs a name, and neither name nor email may hold <, > or line breaks',
    );
  }
}
