/*
 * The sandbox as a root-scoped backend service: started once per backend when
 * `kratix.sandbox.enabled` is true, stopped when the backend shuts down. The cluster supplier and the
 * sandbox plugin share it through this ref, so both see the same sandbox.
 */
import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  type RootConfigService,
} from '@backstage/backend-plugin-api';
import path from 'node:path';
// The main entry point's type by name, so this entry point's API names it as that one's.
import type { Sandbox } from '@kratix-backstage/sandbox';
import { createOidcAuthenticator, type OidcOptions } from '../auth/oidc';
import type { SandboxGitOptions } from '../gitops';
import { startSandbox } from '../sandbox';

/**
 * The running sandbox of a backend.
 *
 * @public
 */
export interface KratixSandboxService {
  /** The running sandbox, or undefined when it is not enabled. */
  getSandbox(): Promise<Sandbox | undefined>;
}

/**
 * The sandbox as a root service; started only when `kratix.sandbox.enabled` is true.
 *
 * @public
 */
export const kratixSandboxServiceRef = createServiceRef<KratixSandboxService>({
  id: 'kratix.sandbox',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.rootLogger,
        lifecycle: coreServices.rootLifecycle,
      },
      async factory({ config, logger, lifecycle }) {
        const sandboxConfig = config.getOptionalConfig('kratix.sandbox');
        if (!sandboxConfig?.getOptionalBoolean('enabled')) {
          return { getSandbox: async () => undefined };
        }
        const log = logger.child({ service: 'kratix-sandbox' });
        const optionalPath = (key: string) => {
          const value = sandboxConfig.getOptionalString(key);
          return value ? path.resolve(value) : undefined;
        };
        const sandbox = await startSandbox({
          host: sandboxConfig.getOptionalString('host'),
          port: sandboxConfig.getOptionalNumber('port'),
          token: sandboxConfig.getOptionalString('token'),
          kubeconfigPath: optionalPath('kubeconfigPath'),
          seed: sandboxConfig.getOptionalBoolean('seed'),
          loadDirs: sandboxConfig
            .getOptionalStringArray('loadDirs')
            ?.map(dir => path.resolve(dir)),
          pipelinesDir: optionalPath('pipelinesDir'),
          stepDelayMs: sandboxConfig.getOptionalNumber('stepDelayMs'),
          pipelineTimeoutSeconds: positiveNumber(
            sandboxConfig,
            'pipelineTimeoutSeconds',
          ),
          workDir: optionalPath('workDir'),
          stateStoreDir: optionalPath('stateStoreDir'),
          snapshotFile: optionalPath('snapshotFile'),
          oidc: oidcOptions(sandboxConfig),
          rbac: sandboxConfig.getOptionalBoolean('rbac'),
          git: gitOptions(sandboxConfig),
          users: sandboxConfig.getOptionalConfigArray('users')?.map(user => ({
            token: user.getString('token'),
            username: user.getString('username'),
            groups: user.getOptionalStringArray('groups'),
          })),
          logger: {
            info: m => log.info(m),
            warn: m => log.warn(m),
            error: m => log.error(m),
            debug: m => log.debug(m),
          },
        }).catch(error => {
          // The sandbox names a bad git option `git.<key>`: say which config key that is.
          if (error instanceof Error && /^git\.\w+ /.test(error.message)) {
            throw new Error(
              `Invalid config kratix.sandbox.${error.message.replace(
                /^(git\.\w+) /,
                '$1: ',
              )}`,
            );
          }
          throw error;
        });
        if (sandbox.git) {
          const { git } = sandbox;
          log.info(
            `Sandbox Git server at ${git.url} (user ${
              git.username
            }); its Git sync applies ${git.branch}:${git.path || '/'} ${
              git.intervalSeconds
                ? `every ${git.intervalSeconds} s`
                : 'on demand'
            }`,
          );
        }
        log.info(
          `Sandbox platform (emulated Kratix, not a real cluster) serving the Kubernetes API at ${
            sandbox.url
          }${
            sandbox.kubeconfigPath
              ? `; kubeconfig at ${sandbox.kubeconfigPath}`
              : ''
          }${
            sandboxConfig.has('oidc')
              ? `; accepting OIDC ID tokens from ${sandboxConfig.getString(
                  'oidc.issuerUrl',
                )}`
              : ''
          }`,
        );
        // Root shutdown hooks run only after every plugin's, and a second SIGINT (Ctrl-C under
        // `backstage-cli package start` delivers two: the terminal's and the CLI's forwarded one)
        // makes the backend exit at once. So pipelines are killed first thing; sandbox.ts also kills
        // them on process exit should even this come too late.
        lifecycle.addBeforeShutdownHook(() => sandbox.emulator.stop());
        lifecycle.addShutdownHook(() => sandbox.close());
        return { getSandbox: async () => sandbox };
      },
    }),
});

function positiveNumber(
  config: RootConfigService,
  key: string,
): number | undefined {
  const value = config.getOptionalNumber(key);
  if (value !== undefined && !(value > 0)) {
    throw new Error(
      `Invalid config kratix.sandbox.${key}: must be a positive number, got ${value}`,
    );
  }
  return value;
}

/** `kratix.sandbox.git` when `enabled`; the sandbox names a bad value as `git.<key>`. */
function gitOptions(config: RootConfigService): SandboxGitOptions | undefined {
  const git = config.getOptionalConfig('git');
  if (!git?.getOptionalBoolean('enabled')) return undefined;
  const repositoryDir = git.getOptionalString('repositoryDir');
  return {
    port: git.getOptionalNumber('port'),
    username: git.getOptionalString('username'),
    token: git.getOptionalString('token'),
    branch: git.getOptionalString('branch'),
    path: git.getOptionalString('path'),
    intervalSeconds: git.getOptionalNumber('intervalSeconds'),
    repositoryDir: repositoryDir ? path.resolve(repositoryDir) : undefined,
  };
}

/** `kratix.sandbox.oidc`, checked here so that a mistake names the config key. */
function oidcOptions(config: RootConfigService): OidcOptions | undefined {
  const oidc = config.getOptionalConfig('oidc');
  if (!oidc) return undefined;
  const options: OidcOptions = {
    issuerUrl: oidc.getString('issuerUrl'),
    clientId: oidc.getString('clientId'),
    usernameClaim: oidc.getOptionalString('usernameClaim'),
    usernamePrefix: oidc.getOptionalString('usernamePrefix'),
    groupsClaim: oidc.getOptionalString('groupsClaim'),
    groupsPrefix: oidc.getOptionalString('groupsPrefix'),
    caPem: oidc.getOptionalString('caPem'),
    signingAlgorithms: oidc.getOptionalStringArray('signingAlgorithms'),
  };
  try {
    // Only validates: nothing is fetched until a token arrives.
    createOidcAuthenticator(options);
  } catch (error) {
    throw new Error(
      `Invalid config kratix.sandbox.oidc: ${(error as Error).message}`,
    );
  }
  return options;
}
