/* The public shape of the sandbox's Git server and Git sync (`startSandbox({ git })`, `sandbox.git`). */

/**
 * Options of the sandbox's requests repository and its Git sync.
 *
 * @public
 */
export interface SandboxGitOptions {
  /** Port of the Git server on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** User name for HTTP basic auth (default `kratix`). */
  username?: string;
  /** Password (token) for HTTP basic auth; a random one when unset. */
  token?: string;
  /** The branch synced; the repository's first commit is made on it (default `main`). */
  branch?: string;
  /** The folder of the branch that is synced, every .yaml/.yml file under it (default `kratix-requests/`). */
  path?: string;
  /**
   * Seconds between syncs (default 10, as a Flux Kustomization's typical interval); 0 syncs only
   * when `sandbox.git.sync()` is called.
   */
  intervalSeconds?: number;
  /**
   * The bare repository's folder, created when missing, reused when it holds one (so the requests
   * outlive a restart, like `snapshotFile`). Default: a new private temp folder, removed on close.
   */
  repositoryDir?: string;
}

/**
 * One object the Git sync created, updated, found unchanged or deleted.
 *
 * @public
 */
export interface GitSyncChange {
  /** The file that declares (or declared) it, repository-relative. */
  path: string;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  action: 'created' | 'updated' | 'unchanged' | 'deleted';
}

/**
 * A file, or an object of a file, the Git sync could not apply; the other files were applied.
 *
 * @public
 */
export interface GitSyncError {
  /** The file, repository-relative; '' when the branch itself could not be read. */
  path: string;
  /** The object, e.g. `redis default/example`, when the error is about one object of the file. */
  object?: string;
  message: string;
}

/**
 * What one sync did.
 *
 * @public
 */
export interface GitSyncResult {
  /**
   * The commit synced; undefined when the branch could not be read or the sync is suspended (then
   * nothing was changed).
   */
  revision?: string;
  branch: string;
  path: string;
  /** ISO timestamps. */
  startedAt: string;
  finishedAt: string;
  /**
   * True when the ConfigMap flux-system/kratix-requests-sync has `data.suspend: "true"` (the
   * sandbox's stand-in for a Flux Kustomization's `spec.suspend`): the branch was not read and
   * nothing was applied or deleted.
   */
  suspended: boolean;
  /** Every object declared under the path, and every object deleted because its file is gone. */
  changes: GitSyncChange[];
  errors: GitSyncError[];
}

/**
 * The sandbox's requests repository (Git smart HTTP on loopback) and its Git sync, which applies
 * what the branch holds under the path the way Flux's Kustomization with `prune: true` does.
 *
 * @public
 */
export interface SandboxGit {
  /** Clone URL, e.g. http://127.0.0.1:41235/kratix-requests.git (credentials not included). */
  url: string;
  /** HTTP basic auth user name. */
  username: string;
  /** HTTP basic auth password. */
  token: string;
  branch: string;
  /** The synced folder, without leading or trailing slash ('' for the whole repository). */
  path: string;
  /** The bare repository's folder on this machine. */
  repositoryDir: string;
  /** Seconds between syncs; 0 when it syncs only on demand. */
  intervalSeconds: number;
  /**
   * Syncs now: resolves with what a sync that started after this call did (one running already is
   * waited for first, so a push made before the call is seen).
   */
  sync(): Promise<GitSyncResult>;
  /** The last finished sync, undefined before the first. */
  readonly lastSync: GitSyncResult | undefined;
  /** Calls `listener` after every sync (interval or on demand); returns an unsubscribe function. */
  onSync(listener: (result: GitSyncResult) => void): () => void;
  /**
   * How many authenticated requests the server has answered at a smart endpoint: `info/refs` (a
   * ref listing), `git-upload-pack` (a fetch: what a clone downloads), `git-receive-pack` (a push).
   * For tests that check what a client fetched.
   */
  served(
    endpoint: 'info/refs' | 'git-upload-pack' | 'git-receive-pack',
  ): number;
}
