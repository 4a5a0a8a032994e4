/*
 * Puts the three layers together: an object store, the Kubernetes API server in front of it and the
 * emulated Kratix controllers behind it, seeded with Promises and Resources. Used by the backend
 * (embedded), by `yarn sandbox` (standalone) and by tests.
 */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startApiServer, writeKubeconfig, type TlsOptions } from './apiserver';
import type { RequestLog } from './apiserver/requestLog';
import type { Authenticator, StaticTokenUser } from './auth/identity';
import { createOidcAuthenticator, type OidcOptions } from './auth/oidc';
import {
  startGitServer,
  type SandboxGit,
  type SandboxGitOptions,
} from './gitops';
import { loadYamlFolder, startKratixEmulator, type Logger } from './kratix';
import { createSandboxStore, type ObjectStore, type Store } from './store';

/**
 * seed/ and pipelines/ ship at the package root, next to src/ and dist/.
 *
 * @public
 */
export const DEFAULT_SEED_DIR = resolvePackagePath(
  '@kratix-backstage/sandbox',
  'seed',
);
/** @public */
export const DEFAULT_PIPELINES_DIR = resolvePackagePath(
  '@kratix-backstage/sandbox',
  'pipelines',
);

/** 15 minutes: far longer than any local pipeline should take, short enough not to pile up. */
export const DEFAULT_PIPELINE_TIMEOUT_SECONDS = 900;

/** @public */
export interface SandboxOptions {
  /** Loopback by default; the sandbox is a local tool. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Bearer token clients must send; a random one when unset. It authenticates as `sandbox-admin` (group `system:masters`). */
  token?: string;
  /** More ways to authenticate callers (e.g. OIDC), tried in order after the admin token. */
  authenticators?: Authenticator[];
  /**
   * Accept OpenID Connect ID tokens from this issuer for this client id as bearer tokens, as
   * kube-apiserver's --oidc-* flags do; tried after `authenticators`.
   */
  oidc?: OidcOptions;
  /**
   * Fixed bearer tokens for named users and their groups, to call the sandbox as someone other
   * than the admin (tried after the admin token, before `authenticators`).
   */
  users?: StaticTokenUser[];
  /**
   * Enforce Kubernetes RBAC on every request (default false: every authenticated caller may do
   * anything). On: the bootstrap ClusterRoles are created and, with the seed, the example teams'
   * RBAC (seed/rbac, see seed/README.md) is loaded. The admin token stays `system:masters`.
   */
  rbac?: boolean;
  /** How many requests `requestLog` keeps, oldest dropped first (default 1000). */
  requestLogSize?: number;
  /**
   * HTTPS with a fresh self-signed certificate by default (kubectl sends bearer tokens over HTTPS
   * only), a given certificate, or false for plain HTTP.
   */
  tls?: TlsOptions | 'self-signed' | false;
  /** Where to write a kubeconfig for kubectl and other clients. */
  kubeconfigPath?: string;
  /** Load the default Promises and Resources from seed/ (default true). */
  seed?: boolean;
  /** More folders of Promise/Resource YAML to load, after the seed. */
  loadDirs?: string[];
  /** Folder of local executables standing in for pipeline images (default: pipelines/). */
  pipelinesDir?: string;
  /** Minimum duration of each pipeline run, so in-progress states can be seen (default 1500 ms). */
  stepDelayMs?: number;
  /**
   * A pipeline run still going after this many seconds is killed and reported failed, as a Job past
   * its deadline (default 900, 15 minutes).
   */
  pipelineTimeoutSeconds?: number;
  /**
   * Where pipeline runs get their temp workspaces (made mode 0700 when missing). Default: a new
   * private folder in the OS temp folder (`kratix-sandbox-XXXXXX`, mode 0700), removed on close.
   */
  workDir?: string;
  /**
   * The Destinations' emulated state store: a folder per Destination holding what was scheduled to it
   * (default: `state-store` in the work dir).
   */
  stateStoreDir?: string;
  /**
   * More environment for every pipeline script, e.g. `KRATIX_SANDBOX_SLOW_PIPELINE_FIFO` (see
   * pipelines/README.md).
   */
  pipelineEnv?: Record<string, string>;
  /**
   * Old pipeline Jobs, and with them their Pods and logs, kept per pipeline of a Resource or Promise
   * (Kratix's `numberOfJobsToKeep`; default 5, as Kratix's).
   */
  jobsToKeep?: number;
  /** Keep the state in this file: restored on start, written on close. */
  snapshotFile?: string;
  /** Watch history kept for resumable watches; older resourceVersions answer 410 Gone. */
  historyLimit?: number;
  /**
   * Serve a requests repository over Git smart HTTP on loopback and apply what its branch holds
   * under a folder, as Flux does with pruning (see `SandboxGit`). Off unless given; needs `git`.
   */
  git?: SandboxGitOptions;
  logger?: Logger;
}

/**
 * A running sandbox.
 *
 * @public
 */
export interface Sandbox {
  /** The API server URL, e.g. http://127.0.0.1:41234. */
  url: string;
  token: string;
  /** PEM of the self-signed serving certificate, for clients to trust (HTTPS only). */
  certificate?: string;
  kubeconfigPath?: string;
  /** The objects it serves, for tests and tools that read or change them in-process. */
  store: Store;
  emulator: {
    /** Resolves once the emulated Kratix controllers have nothing left to do. */
    idle(): Promise<void>;
    /** Stops the controllers and kills every pipeline process group they started. */
    stop(): Promise<void>;
    /** Where pipeline workspaces (and, by default, the state store) are: see `workDir`. */
    readonly workDir: string;
  };
  /** Who made each call to the API server (user, groups, impersonator, verb, resource, decision). */
  requestLog: RequestLog;
  /** Resolves when the seed is loaded (Promises installed, Resources created). */
  ready: Promise<void>;
  /** The requests repository and its Git sync, when started with `git`. */
  git?: SandboxGit;
  close(): Promise<void>;
}

const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };

/**
 * Starts a sandbox: store, Kubernetes API server and emulated Kratix, seeded unless told not to.
 *
 * @public
 */
export async function startSandbox(
  options: SandboxOptions = {},
): Promise<Sandbox> {
  const logger = options.logger ?? silentLogger;
  const token = options.token ?? crypto.randomBytes(24).toString('hex');
  const store = createSandboxStore({ historyLimit: options.historyLimit });

  const restored = restoreSnapshot(store, options.snapshotFile, logger);

  const timeoutSeconds =
    options.pipelineTimeoutSeconds ?? DEFAULT_PIPELINE_TIMEOUT_SECONDS;
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    throw new Error(
      `pipelineTimeoutSeconds must be a positive number of seconds, got ${options.pipelineTimeoutSeconds}`,
    );
  }

  // Before anything starts: a bad issuer URL fails the start with nothing left running.
  const oidcAuthenticator = options.oidc
    ? createOidcAuthenticator(options.oidc)
    : undefined;
  // Also before: a machine without git fails here, naming the binary.
  const gitServer = options.git
    ? await startGitServer(options.git, logger)
    : undefined;

  const emulator = startKratixEmulator(store, {
    pipelinesDir: options.pipelinesDir ?? DEFAULT_PIPELINES_DIR,
    workDir: options.workDir,
    stateStoreDir: options.stateStoreDir,
    stepDelayMs: options.stepDelayMs ?? 1500,
    pipelineTimeoutMs: timeoutSeconds * 1000,
    pipelineEnv: options.pipelineEnv,
    jobsToKeep: options.jobsToKeep,
    logger,
  });
  const saveSnapshot = () => {
    if (!options.snapshotFile) return;
    fs.mkdirSync(path.dirname(options.snapshotFile), { recursive: true });
    fs.writeFileSync(options.snapshotFile, JSON.stringify(store.snapshot()));
  };
  // Last resort when the process exits before close() has run or finished (the backend exits on a
  // second Ctrl-C while still shutting down): pipeline scripts run in their own process groups and
  // would otherwise outlive us. Only synchronous work is possible here.
  const onExit = () => {
    gitServer?.kill();
    emulator.kill();
    saveSnapshot();
  };
  process.once('exit', onExit);
  const server = await startApiServer({
    store,
    token,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    tls: options.tls,
    podLogs: (uid, container) => emulator.pods.containerLog(uid, container),
    authenticators: [
      ...(options.authenticators ?? []),
      ...(oidcAuthenticator ? [oidcAuthenticator] : []),
    ],
    users: options.users,
    rbac: options.rbac,
    requestLogSize: options.requestLogSize,
  }).catch(async error => {
    // e.g. the port is taken: no sandbox, so no controllers left running either.
    emulator.kill();
    process.off('exit', onExit);
    await gitServer?.close();
    throw error;
  });
  if (options.kubeconfigPath) {
    await writeKubeconfig(options.kubeconfigPath, {
      url: server.url,
      token,
      certificate: server.certificate,
    });
  }

  const loads: Array<{ dir: string; skip?: string[] }> = [
    ...(options.seed !== false && !restored
      ? // The example teams' RBAC (seed/rbac) only where RBAC is enforced.
        [{ dir: DEFAULT_SEED_DIR, skip: options.rbac ? [] : ['rbac'] }]
      : []),
    ...(options.loadDirs ?? []).map(dir => ({ dir })),
  ];
  const ready = (async () => {
    for (const { dir, skip } of loads) {
      const result = await loadYamlFolder(store, dir, { skip });
      for (const error of result.errors) logger.warn(`${dir}: ${error}`);
    }
  })();
  // The sync writes through the API server as the admin, once the seed's kinds are served.
  const gitSync = gitServer?.startSync({
    store,
    api: { url: server.url, token, certificate: server.certificate },
    ready,
  });

  return {
    url: server.url,
    token,
    certificate: server.certificate,
    kubeconfigPath: options.kubeconfigPath,
    store,
    emulator,
    requestLog: server.requestLog,
    ready,
    ...(gitSync ? { git: gitSync.git } : {}),
    async close() {
      // First: a sync under way writes through the API server.
      await gitSync?.close();
      await emulator.stop();
      await server.close();
      saveSnapshot();
      process.off('exit', onExit);
    },
  };
}

function restoreSnapshot(
  store: ObjectStore,
  file: string | undefined,
  logger: Logger,
): boolean {
  if (!file || !fs.existsSync(file)) return false;
  store.restore(JSON.parse(fs.readFileSync(file, 'utf8')));
  logger.info(`restored sandbox state from ${file}`);
  return true;
}
