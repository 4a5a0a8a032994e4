/*
 * The Git work of one delivery, with isomorphic-git (the library Backstage's scaffolder Git helpers
 * are built on): a shallow clone of one branch into a temp folder, one change, one commit, one push.
 * The scaffolder's helpers are not used for the push because they retry a rejected push for about a
 * minute and rethrow it as plain text; here a push onto a branch that moved is told apart from any
 * other refusal, so the writer can re-clone and retry once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NotFoundError } from '@backstage/errors';
import git, { type GitAuth, type HttpClient } from 'isomorphic-git';
import nodeHttp from 'isomorphic-git/http/node';

/** No byte for this long on a connection to the Git server fails the request. */
const INACTIVITY_TIMEOUT_MS = 60_000;

/** isomorphic-git's Node client with a socket timeout, so a silent server fails instead of hanging. */
const http: HttpClient = {
  request: request =>
    nodeHttp.request({
      ...request,
      fetchOptions: { timeout: INACTIVITY_TIMEOUT_MS },
    } as Parameters<typeof nodeHttp.request>[0]),
};

/** What a branch that does not exist "points at" in Git's protocol. */
const ZERO_OID = '0000000000000000000000000000000000000000';

/** A remote repository and how to authenticate to it. */
export interface GitRemote {
  /** The clone URL, without credentials. */
  url: string;
  auth: GitAuth;
}

/** The remote branch is not where the clone found it: someone pushed in between. */
export class BranchMovedError extends Error {
  constructor(readonly branch: string) {
    super(`${branch} moved`);
    this.name = 'BranchMovedError';
  }
}

/** A step against the remote failed; `cause` is isomorphic-git's (or the network's) error. */
export class GitRemoteError extends Error {
  constructor(
    readonly step: 'clone' | 'push',
    readonly cause: unknown,
    /** What the server printed while refusing (hook output), most recent last. */
    readonly serverMessages: string[] = [],
  ) {
    super(`${step} failed`);
    this.name = 'GitRemoteError';
  }
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The commit the remote branch points at, or undefined when there is no such branch. Asked of the
 * push endpoint by default (what a push will be compared with); `forPush: false` asks the fetch
 * endpoint, which read-only credentials may use.
 */
export async function remoteBranchOid(
  remote: GitRemote,
  branch: string,
  options: { forPush?: boolean } = {},
): Promise<string | undefined> {
  const refs = await git.listServerRefs({
    http,
    url: remote.url,
    onAuth: () => remote.auth,
    forPush: options.forPush ?? true,
    protocolVersion: 1,
    prefix: `refs/heads/${branch}`,
  });
  return refs.find(ref => ref.ref === `refs/heads/${branch}`)?.oid;
}

/**
 * A shallow clone (depth 1) of `branch` into a new temp folder, the caller's to remove; without
 * `checkout` only the commit, its tree and blobs are fetched and nothing is written out. A
 * GitRemoteError ('clone'), the folder removed, when the server refuses or has no such branch.
 */
async function shallowClone(
  remote: GitRemote,
  branch: string,
  options: { checkout: boolean },
): Promise<{ dir: string; head: string }> {
  const dir = await fs.promises.mkdtemp(
    path.join(os.tmpdir(), 'kratix-delivery-'),
  );
  try {
    await git.clone({
      fs,
      http,
      dir,
      url: remote.url,
      ref: branch,
      singleBranch: true,
      depth: 1,
      noTags: true,
      noCheckout: !options.checkout,
      onAuth: () => remote.auth,
    });
    const head = await git.resolveRef({ fs, dir, ref: 'HEAD' });
    return { dir, head };
  } catch (error) {
    await fs.promises.rm(dir, { recursive: true, force: true });
    throw new GitRemoteError('clone', error);
  }
}

/** What a branch held at one commit at each path read (the file's text, or undefined: no file). */
export interface BranchFiles {
  commitSha: string;
  files: Map<string, string | undefined>;
}

/**
 * What `branch` holds at its head at each repository-relative path: the file's text, or undefined
 * when no file is there. Given an earlier read (`last`) that covers every path, the branch's head
 * is asked first (one ref listing) and the earlier files are the answer while it has not moved;
 * otherwise the blobs of a shallow clone without a checkout are read, in a temp folder removed
 * before returning. A GitRemoteError ('clone') when the server refuses or has no such branch.
 */
export async function readBranchFiles(
  remote: GitRemote,
  branch: string,
  paths: readonly string[],
  last?: BranchFiles,
): Promise<BranchFiles> {
  const wanted = [...new Set(paths)];
  if (last && wanted.every(p => last.files.has(p))) {
    let head: string | undefined;
    try {
      head = await remoteBranchOid(remote, branch, { forPush: false });
    } catch (error) {
      throw new GitRemoteError('clone', error);
    }
    if (head === last.commitSha) {
      return {
        commitSha: head,
        files: new Map(wanted.map(p => [p, last.files.get(p)])),
      };
    }
  }
  const { dir, head: commitSha } = await shallowClone(remote, branch, {
    checkout: false,
  });
  try {
    const files = new Map<string, string | undefined>();
    for (const filepath of wanted) {
      try {
        const { blob } = await git.readBlob({
          fs,
          dir,
          oid: commitSha,
          filepath,
        });
        files.set(filepath, Buffer.from(blob).toString('utf8'));
      } catch (error) {
        // No such path, a folder there, or a path no file can have: no file.
        const code = errorCode(error);
        if (
          code !== 'NotFoundError' &&
          code !== 'ObjectTypeError' &&
          code !== 'InvalidFilepathError'
        ) {
          throw error;
        }
        files.set(filepath, undefined);
      }
    }
    return { commitSha, files };
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

/** A temp folder holding a shallow clone of one branch; `dispose()` removes it. */
export class WorkingCopy {
  private constructor(
    readonly dir: string,
    private readonly remote: GitRemote,
    /** The commit the branch pointed at when cloned. */
    readonly base: string,
  ) {}

  /** Clones `branch` (depth 1); a GitRemoteError when the server refuses or has no such branch. */
  static async clone(remote: GitRemote, branch: string): Promise<WorkingCopy> {
    const { dir, head } = await shallowClone(remote, branch, {
      checkout: true,
    });
    return new WorkingCopy(dir, remote, head);
  }

  /** Creates `branch` at the cloned commit and checks it out. */
  async startBranch(branch: string): Promise<void> {
    await git.branch({ fs, dir: this.dir, ref: branch, checkout: true });
  }

  /**
   * Writes `content` to the repository-relative `filePath` (folders created) and stages it; `null`
   * removes the file, a NotFoundError when it is not there.
   */
  async change(filePath: string, content: string | null): Promise<void> {
    const full = path.join(this.dir, ...filePath.split('/'));
    if (content === null) {
      const stat = await fs.promises.lstat(full).catch(() => undefined);
      if (!stat?.isFile()) {
        throw new NotFoundError(`There is no file ${filePath} to delete`);
      }
      await git.remove({ fs, dir: this.dir, filepath: filePath });
      await fs.promises.unlink(full);
      return;
    }
    await fs.promises.mkdir(path.dirname(full), { recursive: true });
    await fs.promises.writeFile(full, content, 'utf8');
    await git.add({ fs, dir: this.dir, filepath: filePath });
  }

  /** Commits what is staged, authored and committed by `author`; returns the commit's id. */
  async commit(
    message: string,
    author: { name: string; email: string },
  ): Promise<string> {
    return git.commit({
      fs,
      dir: this.dir,
      message,
      author: { ...author },
      committer: { ...author },
    });
  }

  /**
   * Pushes the checked-out branch to `remoteBranch`, which must still be at `expected` (the cloned
   * commit; undefined for a branch that must not exist yet). BranchMovedError when it is not;
   * GitRemoteError for any other refusal.
   */
  async push(
    remoteBranch: string,
    expected: string | undefined,
  ): Promise<void> {
    const messages: string[] = [];
    try {
      await git.push({
        fs,
        http,
        dir: this.dir,
        remote: 'origin',
        remoteRef: `refs/heads/${remoteBranch}`,
        onAuth: () => this.remote.auth,
        // Compare and swap: the branch the server advertises must be exactly where we expect it (a
        // fast-forward is not enough: a pull request's branch must not exist at all).
        onPrePush: ({ remoteRef }) => remoteRef.oid === (expected ?? ZERO_OID),
        onMessage: message => {
          messages.push(...message.split(/\r?\n/).filter(l => l.trim()));
        },
      });
    } catch (error) {
      // Our own check above, or isomorphic-git's (the advertised branch is not an ancestor of ours).
      if (
        errorCode(error) === 'UserCanceledError' ||
        errorCode(error) === 'PushRejectedError'
      ) {
        throw new BranchMovedError(remoteBranch);
      }
      // The server's refusal; a branch updated between the advertisement and the update is one.
      if (errorCode(error) === 'GitPushError') {
        const now = await remoteBranchOid(this.remote, remoteBranch).catch(
          () => expected,
        );
        if (now !== expected) throw new BranchMovedError(remoteBranch);
      }
      throw new GitRemoteError('push', error, messages.slice(-20));
    }
  }

  /** Deletes `remoteBranch` on the server (undoing a push whose pull request failed). */
  async deleteRemoteBranch(remoteBranch: string): Promise<void> {
    await git.push({
      fs,
      http,
      dir: this.dir,
      remote: 'origin',
      ref: remoteBranch,
      remoteRef: `refs/heads/${remoteBranch}`,
      delete: true,
      onAuth: () => this.remote.auth,
    });
  }

  async dispose(): Promise<void> {
    await fs.promises.rm(this.dir, { recursive: true, force: true });
  }
}
