/*
 * `kratix.sandbox.rbac` and `kratix.sandbox.users` in app-config: the embedded sandbox enforces RBAC
 * with the example teams' roles, and a configured user's token acts as that user.
 */
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { request } from 'node:https';
import type { Sandbox } from '../sandbox';
import { kratixSandboxFeatures } from './features';
import { kratixSandboxServiceRef } from './sandboxService';

/** A backend whose sandbox has this config, and the sandbox it started. */
async function startWith(sandboxConfig: Record<string, unknown>) {
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

/** The status of a GET with this bearer token, trusting the sandbox's certificate. */
function statusOf(
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

const ELASTIC =
  '/apis/workshop.kratix.io/v1alpha1/namespaces/default/elastic-clouds';
const REDIS = '/apis/marketplace.kratix.io/v1alpha1/namespaces/default/redis';

describe('kratix.sandbox.rbac and kratix.sandbox.users', () => {
  jest.setTimeout(60_000);

  it('enforces the example teams’ RBAC for a configured user', async () => {
    const { backend, sandbox } = await startWith({
      rbac: true,
      users: [
        {
          token: 'search-token',
          username: 'ada',
          groups: ['backstage:team-search'],
        },
      ],
    });
    try {
      expect(await statusOf(sandbox, ELASTIC, 'search-token')).toBe(200);
      expect(await statusOf(sandbox, REDIS, 'search-token')).toBe(403);
      expect(await statusOf(sandbox, REDIS, sandbox.token)).toBe(200);
      expect(sandbox.requestLog.entries(r => r.user === 'ada')).toHaveLength(2);
    } finally {
      await backend.stop();
    }
  });

  it('leaves every authenticated caller unlimited without rbac', async () => {
    const { backend, sandbox } = await startWith({
      seed: false,
      users: [{ token: 'search-token', username: 'ada' }],
    });
    try {
      expect(
        await statusOf(sandbox, '/api/v1/namespaces', 'search-token'),
      ).toBe(200);
      expect(await statusOf(sandbox, '/api/v1/namespaces', 'unknown')).toBe(
        401,
      );
    } finally {
      await backend.stop();
    }
  });
});
