/*
 * The sandbox's requests repository and GitOps agent: `startSandbox({ git })`. Started in two steps
 * so that a machine without git fails before anything else runs: the repository and its Git server
 * first, the sync once the API server it writes through is up.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../kratix';
import { NAMESPACE_TYPE } from '../store/builtinTypes';
import type { Store } from '../store/types';
import type { ApiTarget } from './apiClient';
import { findGit } from './gitBinary';
import { runGit } from './gitCommand';
import { startGitHttpServer } from './gitHttpServer';
import { GIT_SYNC_SUSPEND_CONFIG_MAP, startGitSync } from './gitSync';
import { GitRepository } from './repository';
import type { SandboxGit, SandboxGitOptions } from './types';

export type {
  GitSyncChange,
  GitSyncError,
  GitSyncResult,
  SandboxGit,
  SandboxGitOptions,
} from './types';
export {
  GIT_SYNC_SUSPEND_CONFIG_MAP,
  SYNCED_BY_LABEL,
  SYNCED_BY_VALUE,
  SYNCED_CONFIG_ANNOTATION,
  SYNCED_FROM_ANNOTATION,
  SYNCED_REPOSITORY_ANNOTATION,
} from './gitSync';

const REPOSITORY_NAME = 'kratix-requests.git';
const DEFAULT_INTERVAL_SECONDS = 10;

/** The Git server, running; `startSync` adds the agent and makes the `sandbox.git` object. */
export interface StartedGitServer {
  startSync(deps: { store: Store; api: ApiTarget; ready: Promise<unknown> }): {
    git: SandboxGit;
    close(): Promise<void>;
  };
  /** Stops the server and removes a temp repository (when the sandbox fails to start). */
  close(): Promise<void>;
  /** Process exit: kills running backends and removes a temp repository, synchronously. */
  kill(): void;
}

/** `kratix-requests/` and `./kratix-requests` are `kratix-requests`; `/` and `.` the whole tree. */
export function normalizeFolder(folder: string): string {
  const parts = folder.split('/').filter(p => p && p !== '.');
  if (parts.includes('..')) {
    throw new Error(
      `git.path must stay inside the repository, got "${folder}"`,
    );
  }
  return parts.join('/');
}

async function checkOptions(git: string, options: SandboxGitOptions) {
  const interval = options.intervalSeconds ?? DEFAULT_INTERVAL_SECONDS;
  if (!Number.isFinite(interval) || interval < 0) {
    throw new Error(
      `git.intervalSeconds must be 0 (on demand only) or a positive number of seconds, got ${options.intervalSeconds}`,
    );
  }
  const branch = options.branch ?? 'main';
  const valid = await runGit(git, ['check-ref-format', '--branch', branch], {
    cwd: os.tmpdir(),
    allowFailure: true,
  });
  if (valid.code !== 0 || branch.startsWith('-')) {
    throw new Error(`git.branch is not a valid branch name: "${branch}"`);
  }
  const username = options.username ?? 'kratix';
  if (!username || username.includes(':')) {
    throw new Error(
      `git.username must be non-empty and without ":" (HTTP basic auth), got "${username}"`,
    );
  }
  if (options.token === '') throw new Error('git.token must not be empty');
  return {
    interval,
    branch,
    username,
    folder: normalizeFolder(options.path ?? 'kratix-requests/'),
  };
}

/** Checks git, opens (or creates) the repository and serves it over smart HTTP on loopback. */
export async function startGitServer(
  options: SandboxGitOptions,
  logger: Logger,
): Promise<StartedGitServer> {
  const binaries = findGit();
  const { interval, branch, username, folder } = await checkOptions(
    binaries.git,
    options,
  );
  const token = options.token ?? crypto.randomBytes(24).toString('hex');
  const tempRoot =
    options.repositoryDir === undefined
      ? fs.mkdtempSync(path.join(os.tmpdir(), 'kratix-sandbox-git-'))
      : undefined;
  const repositoryDir = tempRoot
    ? path.join(tempRoot, REPOSITORY_NAME)
    : path.resolve(options.repositoryDir!);
  const removeTemp = () => {
    if (tempRoot) fs.rmSync(tempRoot, { recursive: true, force: true });
  };

  let http;
  let repository: GitRepository;
  try {
    repository = await GitRepository.open(binaries.git, repositoryDir, branch);
    http = await startGitHttpServer({
      git: binaries.git,
      httpBackend: binaries.httpBackend,
      repositoryDir,
      port: options.port ?? 0,
      username,
      token,
      logger,
    });
  } catch (error) {
    removeTemp();
    throw error;
  }
  const server = http;
  const close = async () => {
    await server.close();
    removeTemp();
  };

  return {
    close,
    kill() {
      server.kill();
      removeTemp();
    },
    startSync({ store, api, ready }) {
      // Where Flux lives, and the sync's suspend switch with it (GIT_SYNC_SUSPEND_CONFIG_MAP).
      const { namespace } = GIT_SYNC_SUSPEND_CONFIG_MAP;
      if (!store.get(NAMESPACE_TYPE, undefined, namespace)) {
        store.create(NAMESPACE_TYPE, {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: namespace },
        });
      }
      const agent = startGitSync({
        repository,
        store,
        api,
        branch,
        path: folder,
        intervalMs: interval * 1000,
        ready,
        logger,
      });
      const git: SandboxGit = {
        url: server.url,
        username,
        token,
        branch,
        path: folder,
        repositoryDir,
        intervalSeconds: interval,
        sync: agent.sync,
        get lastSync() {
          return agent.lastSync;
        },
        onSync: agent.onSync,
        served: endpoint => server.served(endpoint),
      };
      return {
        git,
        async close() {
          await agent.stop();
          await close();
        },
      };
    },
  };
}
