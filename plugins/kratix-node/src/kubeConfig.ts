/* Builds a @kubernetes/client-node KubeConfig for one configured cluster. */
import { KubeConfig } from '@kubernetes/client-node';
import fs from 'node:fs';
import type { ClusterConfig } from './clusterConfig';

export interface Endpoint {
  url: string;
  token: string;
  /** PEM of a certificate to trust (the sandbox's self-signed one). */
  certificate?: string;
}

/**
 * @param sandbox the embedded sandbox's endpoint, for clusters with `sandbox: true`
 */
export function buildKubeConfig(
  cluster: ClusterConfig,
  sandbox?: Endpoint,
): KubeConfig {
  const kc = new KubeConfig();
  if (cluster.sandbox) {
    if (!sandbox) {
      throw new Error(
        `kratix.clusters[${cluster.name}] uses the sandbox, but kratix.sandbox.enabled is not true`,
      );
    }
    kc.loadFromOptions({
      clusters: [
        {
          name: cluster.name,
          server: sandbox.url,
          caData: sandbox.certificate
            ? Buffer.from(sandbox.certificate).toString('base64')
            : undefined,
          skipTLSVerify: false,
        },
      ],
      users: [{ name: cluster.name, token: sandbox.token }],
      contexts: [
        { name: cluster.name, cluster: cluster.name, user: cluster.name },
      ],
      currentContext: cluster.name,
    });
    return kc;
  }

  const auth = cluster.auth;
  if (auth?.type === 'inCluster') {
    kc.loadFromCluster();
  } else if (auth?.type === 'kubeconfig') {
    if (auth.kubeconfigPath) kc.loadFromFile(auth.kubeconfigPath);
    else kc.loadFromDefault();
    if (auth.context) kc.setCurrentContext(auth.context);
  } else {
    const caData =
      cluster.caData ??
      (cluster.caFile
        ? Buffer.from(fs.readFileSync(cluster.caFile)).toString('base64')
        : undefined);
    kc.loadFromOptions({
      clusters: [
        {
          name: cluster.name,
          server: cluster.url!,
          caData,
          skipTLSVerify: cluster.skipTLSVerify,
        },
      ],
      users: [
        {
          name: cluster.name,
          token: auth?.type === 'serviceAccount' ? auth.token : undefined,
        },
      ],
      contexts: [
        { name: cluster.name, cluster: cluster.name, user: cluster.name },
      ],
      currentContext: cluster.name,
    });
    return kc;
  }
  return kc;
}
