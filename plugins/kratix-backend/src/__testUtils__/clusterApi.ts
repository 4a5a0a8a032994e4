/*
 * Reads objects straight from the sandbox's Kubernetes API (HTTPS, its bearer token, its
 * self-signed certificate), the way kubectl would: what the cluster holds, not what the plugin says.
 */
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- the sandbox platform, for tests only (a devDependency)
import type { Sandbox } from '@kratix-backstage/sandbox';
import https from 'node:https';

export interface KubeObject {
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, any>;
}

/** GET `apiPath`; the object, or undefined on 404. */
export function readObject(
  sandbox: Sandbox,
  apiPath: string,
): Promise<KubeObject | undefined> {
  const url = new URL(apiPath, sandbox.url);
  return new Promise((resolve, reject) => {
    const req = https.get(
      url,
      {
        ca: sandbox.certificate,
        headers: {
          authorization: `Bearer ${sandbox.token}`,
          accept: 'application/json',
        },
      },
      res => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', chunk => {
          body += chunk;
        });
        res.on('end', () => {
          if (res.statusCode === 404) resolve(undefined);
          else if (res.statusCode === 200) resolve(JSON.parse(body));
          else reject(new Error(`GET ${apiPath}: ${res.statusCode} ${body}`));
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
  });
}

/** A seeded redis Resource (marketplace.kratix.io/v1alpha1) in `default`. */
export const redisPath = (name: string) =>
  `/apis/marketplace.kratix.io/v1alpha1/namespaces/default/redis/${name}`;
