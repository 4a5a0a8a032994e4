/*
 * A Backstage test backend running the embedded sandbox (kratixSandboxFeatures) with a given
 * `kratix.sandbox` config, as the app would start it, and HTTPS calls to that sandbox: for the tests
 * of the sandbox's app-config keys.
 */
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import { request } from 'node:https';
import { kratixSandboxFeatures } from '../backend/features';
import { kratixSandboxServiceRef } from '../backend/sandboxService';
import type { Sandbox } from '../sandbox';

/**
 * A backend whose sandbox has this config (on top of `enabled: true, stepDelayMs: 20`), and the
 * sandbox it started, once ready. Rejects as the backend does when the config is wrong.
 */
export async function startSandboxBackend(
  sandboxConfig: Record<string, unknown>,
): Promise<{ backend: TestBackend; sandbox: Sandbox }> {
  let sandbox: Sandbox | undefined;
  const backend = await startTestBackend({
    features: [
      kratixSandboxFeatures,
      mockServices.rootConfig.factory({
        data: {
          kratix: {
            sandbox: { enabled: true, stepDelayMs: 20, ...sandboxConfig },
          },
        },
      }),
      // Reads the sandbox the service started, as a plugin depending on it would.
      createBackendPlugin({
        pluginId: 'probe',
        register(env) {
          env.registerInit({
            deps: { service: kratixSandboxServiceRef },
            async init({ service }) {
              sandbox = await service.getSandbox();
            },
          });
        },
      }),
    ],
  });
  await sandbox!.ready;
  return { backend, sandbox: sandbox! };
}

/** The status of a GET of `path` on the sandbox with this bearer token, trusting its certificate. */
export function statusOf(
  sandbox: Sandbox,
  path: string,
  token: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${sandbox.url}${path}`,
      {
        ca: sandbox.certificate,
        headers: { Authorization: `Bearer ${token}` },
      },
      res => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
