/* A kubeconfig for kubectl and client libraries pointing at the sandbox API server. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

export interface KubeconfigOptions {
  url: string;
  token: string;
  contextName?: string;
  namespace?: string;
  /** PEM of the server certificate (RunningApiServer.certificate), trusted as the cluster CA. */
  certificate?: string;
}

export function kubeconfigYaml(options: KubeconfigOptions): string {
  const {
    url,
    token,
    contextName = 'kratix-sandbox',
    namespace = 'default',
    certificate,
  } = options;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [
      {
        name: contextName,
        cluster: {
          server: url,
          ...(certificate
            ? {
                'certificate-authority-data':
                  Buffer.from(certificate).toString('base64'),
              }
            : {}),
          // HTTPS without the certificate at hand: the sandbox's own self-signed one, not verifiable.
          ...(!certificate && url.startsWith('https:')
            ? { 'insecure-skip-tls-verify': true }
            : {}),
        },
      },
    ],
    users: [{ name: contextName, user: { token } }],
    contexts: [
      {
        name: contextName,
        context: { cluster: contextName, user: contextName, namespace },
      },
    ],
    'current-context': contextName,
  });
}

/** Writes the kubeconfig readable by its owner only: it holds the token. */
export async function writeKubeconfig(
  file: string,
  options: KubeconfigOptions,
): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, kubeconfigYaml(options), { mode: 0o600 });
}
