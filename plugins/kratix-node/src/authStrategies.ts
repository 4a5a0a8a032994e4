/* The built-in auth strategies: a bearer token, a kubeconfig file, or the pod's service account. */
import { InputError } from '@backstage/errors';
import { KubeConfig } from '@kubernetes/client-node';
import fs from 'node:fs';
import type { KratixClusterDetails } from './clusterDetails';
import type { KratixAuthStrategy } from './extensions';
import { userAuthOf } from './userAuth/clusterUserAuth';

function optionalString(
  cluster: KratixClusterDetails,
  key: string,
): string | undefined {
  const value = cluster.auth?.[key];
  if (value === undefined || typeof value === 'string') return value;
  throw new InputError(
    `kratix.clusters[${cluster.name}].auth.${key} must be a string`,
  );
}

/**
 * A KubeConfig for the cluster's url and CA with the given token (none: anonymous).
 *
 * @public
 */
export function urlKubeConfig(
  cluster: KratixClusterDetails,
  token?: string,
): KubeConfig {
  if (!cluster.url) {
    throw new InputError(`kratix.clusters[${cluster.name}] needs a url`);
  }
  const caData =
    cluster.caData ??
    (cluster.caFile
      ? Buffer.from(fs.readFileSync(cluster.caFile)).toString('base64')
      : undefined);
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.url,
        caData,
        skipTLSVerify: cluster.skipTLSVerify ?? false,
      },
    ],
    users: [{ name: cluster.name, token }],
    contexts: [
      { name: cluster.name, cluster: cluster.name, user: cluster.name },
    ],
    currentContext: cluster.name,
  });
  return kc;
}

const serviceAccount: KratixAuthStrategy = {
  type: 'serviceAccount',
  async getKubeConfig(cluster) {
    const token = optionalString(cluster, 'token');
    if (!token) {
      throw new InputError(
        `kratix.clusters[${cluster.name}].auth.token is required for type serviceAccount`,
      );
    }
    return urlKubeConfig(cluster, token);
  },
};

/**
 * The per-user strategies: the service account (auth.token) keeps the shared caches and asks the
 * access reviews; writes go as the user (userAuth/).
 */
const userStrategy = (type: 'impersonate' | 'oidc'): KratixAuthStrategy => ({
  type,
  async getKubeConfig(cluster) {
    const token = optionalString(cluster, 'token');
    if (!token) {
      throw new InputError(
        `kratix.clusters[${
          cluster.name
        }].auth.token is required for type ${type} (the service account that keeps the caches${
          type === 'impersonate' ? ' and impersonates users' : ''
        })`,
      );
    }
    userAuthOf(cluster);
    return urlKubeConfig(cluster, token);
  },
});

const kubeconfig: KratixAuthStrategy = {
  type: 'kubeconfig',
  async getKubeConfig(cluster) {
    const kc = new KubeConfig();
    const file = optionalString(cluster, 'kubeconfigPath');
    if (file) kc.loadFromFile(file);
    else kc.loadFromDefault();
    const context = optionalString(cluster, 'context');
    if (context) kc.setCurrentContext(context);
    return kc;
  },
};

const inCluster: KratixAuthStrategy = {
  type: 'inCluster',
  async getKubeConfig() {
    const kc = new KubeConfig();
    kc.loadFromCluster();
    return kc;
  },
};

/** Built-in strategies first, so one added with the same type replaces it. */
export function authStrategyMap(
  added: KratixAuthStrategy[] = [],
): Map<string, KratixAuthStrategy> {
  return new Map(
    [
      serviceAccount,
      kubeconfig,
      inCluster,
      userStrategy('impersonate'),
      userStrategy('oidc'),
      ...added,
    ].map(s => [s.type, s]),
  );
}

/** The cluster's KubeConfig from the strategy its auth.type names (url only, anonymous, without auth). */
export async function kubeConfigFor(
  cluster: KratixClusterDetails,
  strategies: Map<string, KratixAuthStrategy>,
): Promise<KubeConfig> {
  if (!cluster.auth) return urlKubeConfig(cluster);
  const strategy = strategies.get(cluster.auth.type);
  if (!strategy) {
    throw new InputError(
      `kratix.clusters[${cluster.name}].auth.type "${
        cluster.auth.type
      }" has no auth strategy; known: ${[...strategies.keys()].join(', ')}`,
    );
  }
  return strategy.getKubeConfig(cluster);
}
