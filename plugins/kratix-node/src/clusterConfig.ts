/* Reads `kratix.clusters` (see config.d.ts) into plain, validated values. */
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

export type ClusterAuth =
  | { type: 'serviceAccount'; token: string }
  | { type: 'kubeconfig'; kubeconfigPath?: string; context?: string }
  | { type: 'inCluster' };

export interface ClusterConfig {
  name: string;
  title?: string;
  sandbox: boolean;
  url?: string;
  auth?: ClusterAuth;
  caData?: string;
  caFile?: string;
  skipTLSVerify: boolean;
  requestTimeoutMs: number;
}

export interface CreationBounds {
  allowedPromises?: string[];
  allowedNamespaces: string[];
  allowedClusters?: string[];
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const SANDBOX_CLUSTER_NAME = 'sandbox';

function readAuth(config: Config, name: string): ClusterAuth | undefined {
  const auth = config.getOptionalConfig('auth');
  if (!auth) return undefined;
  const type = auth.getString('type');
  switch (type) {
    case 'serviceAccount':
      return { type, token: auth.getString('token') };
    case 'kubeconfig':
      return {
        type,
        kubeconfigPath: auth.getOptionalString('kubeconfigPath'),
        context: auth.getOptionalString('context'),
      };
    case 'inCluster':
      return { type };
    default:
      throw new InputError(
        `kratix.clusters[${name}].auth.type must be serviceAccount, kubeconfig or inCluster, not "${type}"`,
      );
  }
}

/** The configured clusters; the sandbox alone when none are listed and it is enabled. */
export function readClusterConfigs(config: Config): ClusterConfig[] {
  const entries = config.getOptionalConfigArray('kratix.clusters');
  if (!entries || entries.length === 0) {
    return config.getOptionalBoolean('kratix.sandbox.enabled')
      ? [
          {
            name: SANDBOX_CLUSTER_NAME,
            title: 'Sandbox platform',
            sandbox: true,
            skipTLSVerify: false,
            requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
          },
        ]
      : [];
  }
  const seen = new Set<string>();
  return entries.map(entry => {
    const name = entry.getString('name');
    if (seen.has(name)) {
      throw new InputError(`kratix.clusters: the name "${name}" is used twice`);
    }
    seen.add(name);
    const sandbox = entry.getOptionalBoolean('sandbox') ?? false;
    const cluster: ClusterConfig = {
      name,
      title: entry.getOptionalString('title'),
      sandbox,
      url: entry.getOptionalString('url'),
      auth: readAuth(entry, name),
      caData: entry.getOptionalString('caData'),
      caFile: entry.getOptionalString('caFile'),
      skipTLSVerify: entry.getOptionalBoolean('skipTLSVerify') ?? false,
      requestTimeoutMs:
        entry.getOptionalNumber('requestTimeoutMs') ??
        DEFAULT_REQUEST_TIMEOUT_MS,
    };
    if (
      !sandbox &&
      !cluster.url &&
      cluster.auth?.type !== 'kubeconfig' &&
      cluster.auth?.type !== 'inCluster'
    ) {
      throw new InputError(
        `kratix.clusters[${name}] needs a url (or auth.type kubeconfig or inCluster, or sandbox: true)`,
      );
    }
    return cluster;
  });
}

export function readCreationBounds(config: Config): CreationBounds {
  const creation = config.getOptionalConfig('kratix.creation');
  return {
    allowedPromises: creation?.getOptionalStringArray('allowedPromises'),
    allowedNamespaces: creation?.getOptionalStringArray(
      'allowedNamespaces',
    ) ?? ['default'],
    allowedClusters: creation?.getOptionalStringArray('allowedClusters'),
  };
}
