/*
 * `kratix.sandbox.oidc` in app-config: the embedded sandbox accepts ID tokens of the configured
 * issuer and client id, and a mistake in the block stops the backend naming the key.
 */
import { startSandboxBackend, statusOf } from '../__testUtils__/sandboxBackend';
import {
  startTestOidcProvider,
  type TestOidcProvider,
} from '../testUtils/oidcProvider';

/** A backend whose sandbox (no seed) is configured with `oidc`, and the sandbox it started. */
const startWithOidc = (oidc: Record<string, string>) =>
  startSandboxBackend({ seed: false, oidc });
const NAMESPACES = '/api/v1/namespaces';

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
      expect(await statusOf(sandbox, NAMESPACES, good)).toBe(200);
      const otherClient = await idp.issue({
        sub: 'u',
        email: 'ada@example.com',
        audience: 'not-backstage',
      });
      expect(await statusOf(sandbox, NAMESPACES, otherClient)).toBe(401);
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
