/*
 * `kratix.sandbox.oidc` in app-config: the embedded sandbox accepts ID tokens of the configured
 * issuer and client id, and a mistake in the block stops the backend naming the key.
 */
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { request } from 'node:https';
import type { Sandbox } from '../sandbox';
import {
  startTestOidcProvider,
  type TestOidcProvider,
} from '../testUtils/oidcProvider';
import { kratixSandboxFeatures } from './features';
import { kratixSandboxServiceRef } from './sandboxService';

/** A backend whose sandbox is configured with `oidc`, and the sandbox it started. */
async function startWithOidc(oidc: Record<string, string>) {
  let sandbox: Sandbox | undefined;
  const backend = await startTestBackend({
    features: [
      kratixSandboxFeatures,
      mockServices.rootConfig.factory({
        data: { kratix: { sandbox: { enabled: true, seed: false, oidc } } },
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
  return { backend, sandbox: sandbox! };
}

/** The status of GET /api/v1/namespaces with this bearer token, trusting the sandbox's certificate. */
function statusWith(sandbox: Sandbox, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${sandbox.url}/api/v1/namespaces`,
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

describe('kratix.sandbox.oidc', () => {
  let idp: TestOidcProvider;

  beforeAll(async () => {
    idp = await startTestOidcProvider({ clientId: 'backstage' });
  });
  afterAll(() => idp.close());

  it('makes the embedded sandbox accept ID tokens of that issuer for that client id', async () => {
    const { backend, sandbox } = await startWithOidc({
      issuerUrl: idp.issuer,
      clientId: 'backstage',
      usernameClaim: 'email',
    });
    try {
      const good = await idp.issue({ sub: 'u', email: 'ada@example.com' });
      expect(await statusWith(sandbox, good)).toBe(200);
      const otherClient = await idp.issue({
        sub: 'u',
        email: 'ada@example.com',
        audience: 'not-backstage',
      });
      expect(await statusWith(sandbox, otherClient)).toBe(401);
    } finally {
      await backend.stop();
    }
  });

  it('stops the backend naming the key when the issuer is not https', async () => {
    await expect(
      startWithOidc({ issuerUrl: 'http://idp.example.com', clientId: 'c' }),
    ).rejects.toThrow(
      'Invalid config kratix.sandbox.oidc: OIDC issuerUrl "http://idp.example.com" must use https',
    );
  });

  it('requires a clientId', async () => {
    await expect(startWithOidc({ issuerUrl: idp.issuer })).rejects.toThrow(
      "Missing required config value at 'kratix.sandbox.oidc.clientId'",
    );
  });
});
