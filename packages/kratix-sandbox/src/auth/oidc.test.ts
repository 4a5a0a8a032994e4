/*
 * The OIDC authenticator against a real identity provider on loopback (discovery and JWKS over
 * HTTP, tokens signed with its key): kube-apiserver's claim and prefix rules, and a sentence for
 * each way a token is refused. Through the running sandbox: oidcSandbox.test.ts.
 */
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { generateKeyPair, SignJWT } from 'jose';
import {
  startTestOidcProvider,
  type TestOidcProvider,
} from '../testUtils/oidcProvider';
import { AuthenticationRejected, type Authenticator } from './identity';
import { createOidcAuthenticator, type OidcOptions } from './oidc';

/** A real IncomingMessage carrying just the header an authenticator reads. */
function requestWith(authorization?: string): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.headers = authorization === undefined ? {} : { authorization };
  return req;
}

const withToken = (authenticator: Authenticator, token: string) =>
  authenticator(requestWith(`Bearer ${token}`));

describe('createOidcAuthenticator', () => {
  let idp: TestOidcProvider;
  let options: OidcOptions;

  beforeAll(async () => {
    idp = await startTestOidcProvider();
    options = { issuerUrl: idp.issuer, clientId: idp.clientId };
  });
  afterAll(() => idp.close());

  describe('user names and groups, as kube-apiserver makes them', () => {
    it('takes sub by default, prefixed with the issuer and #', async () => {
      const authenticate = createOidcAuthenticator(options);
      const token = await idp.issue({ sub: 'u-123', groups: ['ops'] });
      await expect(withToken(authenticate, token)).resolves.toEqual({
        username: `${idp.issuer}#u-123`,
        // No groups claim configured: only what every authenticated user has.
        groups: ['system:authenticated'],
      });
    });

    it('takes email unprefixed, and groups (an array) with the groups prefix', async () => {
      const authenticate = createOidcAuthenticator({
        ...options,
        usernameClaim: 'email',
        groupsClaim: 'groups',
        groupsPrefix: 'oidc:',
      });
      const token = await idp.issue({
        sub: 'u-1',
        email: 'ada@example.com',
        groups: ['team-search', 'team-platform'],
      });
      await expect(withToken(authenticate, token)).resolves.toEqual({
        username: 'ada@example.com',
        groups: [
          'oidc:team-search',
          'oidc:team-platform',
          'system:authenticated',
        ],
      });
    });

    it('takes a groups claim that is a single string', async () => {
      const authenticate = createOidcAuthenticator({
        ...options,
        groupsClaim: 'groups',
      });
      const token = await idp.issue({ sub: 'u-1', groups: 'team-checkout' });
      const user = await withToken(authenticate, token);
      expect(user?.groups).toEqual(['team-checkout', 'system:authenticated']);
    });

    it.each([
      ['-', 'grace'],
      ['oidc:', 'oidc:grace'],
    ])('usernamePrefix %p gives %p', async (usernamePrefix, expected) => {
      const authenticate = createOidcAuthenticator({
        ...options,
        usernameClaim: 'preferred_username',
        usernamePrefix,
      });
      const token = await idp.issue({
        sub: 'u-2',
        claims: { preferred_username: 'grace' },
      });
      const user = await withToken(authenticate, token);
      expect(user?.username).toBe(expected);
    });

    it('accepts an aud array that contains the client id', async () => {
      const authenticate = createOidcAuthenticator(options);
      const token = await idp.issue({
        sub: 'u-3',
        audience: ['another-client', idp.clientId],
      });
      const user = await withToken(authenticate, token);
      expect(user?.username).toBe(`${idp.issuer}#u-3`);
    });

    it('accepts an email whose email_verified claim is absent, refuses one that is false', async () => {
      const authenticate = createOidcAuthenticator({
        ...options,
        usernameClaim: 'email',
      });
      const silent = await idp.issue({
        sub: 'u-4',
        email: 'lin@example.com',
        emailVerified: null,
      });
      await expect(withToken(authenticate, silent)).resolves.toMatchObject({
        username: 'lin@example.com',
      });
      const unverified = await idp.issue({
        sub: 'u-4',
        email: 'lin@example.com',
        emailVerified: false,
      });
      await expect(withToken(authenticate, unverified)).rejects.toThrow(
        'email not verified',
      );
    });

    it('refuses a token without the username claim, or with groups of the wrong shape', async () => {
      const byEmail = createOidcAuthenticator({
        ...options,
        usernameClaim: 'email',
      });
      await expect(
        withToken(byEmail, await idp.issue({ sub: 'u-5' })),
      ).rejects.toThrow('the token has no "email" claim');
      const withGroups = createOidcAuthenticator({
        ...options,
        groupsClaim: 'groups',
      });
      await expect(
        withToken(
          withGroups,
          await idp.issue({ sub: 'u-5', claims: { groups: { admin: true } } }),
        ),
      ).rejects.toThrow(
        'the token\'s "groups" claim is neither a string nor an array of strings',
      );
    });
  });

  describe('refused tokens: AuthenticationRejected saying why', () => {
    const rejected = async (token: string, authenticate?: Authenticator) => {
      const error = await withToken(
        authenticate ?? createOidcAuthenticator(options),
        token,
      ).catch(e => e);
      expect(error).toBeInstanceOf(AuthenticationRejected);
      return (error as Error).message;
    };

    it('for another audience', async () => {
      const token = await idp.issue({ sub: 'u', audience: 'someone-else' });
      expect(await rejected(token)).toBe(
        `audience mismatch: the token is for "someone-else", expected "${idp.clientId}"`,
      );
    });

    it('from another issuer', async () => {
      const token = await idp.issue({
        sub: 'u',
        issuer: 'https://idp.example.com',
      });
      expect(await rejected(token)).toBe(
        `issuer mismatch: the token was issued by "https://idp.example.com", expected "${idp.issuer}"`,
      );
    });

    it('signed by a key the issuer does not publish', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      const token = await idp.issue({ sub: 'u', signingKey: privateKey });
      expect(await rejected(token)).toBe(
        'signature invalid: no key of the issuer verifies the token',
      );
    });

    it('expired', async () => {
      const issuedAt = new Date(Date.now() - 2 * 3600_000);
      const token = await idp.issue({
        sub: 'u',
        issuedAt,
        expiresInSeconds: 3600,
      });
      expect(await rejected(token)).toBe(
        `token expired at ${new Date(
          Math.floor(issuedAt.getTime() / 1000) * 1000 + 3600_000,
        ).toISOString()}`,
      );
    });

    it('expired a moment ago (no leeway on exp, as kube-apiserver)', async () => {
      const token = await idp.issue({ sub: 'u', expiresInSeconds: -2 });
      expect(await rejected(token)).toMatch(/^token expired at /);
    });

    it('signed with an algorithm not allowed (HS256 by default)', async () => {
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(idp.issuer)
        .setSubject('u')
        .setAudience(idp.clientId)
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('a shared secret of 32 bytes or more'));
      expect(await rejected(token)).toMatch(
        /^signature algorithm not allowed: /,
      );
    });

    it('when the discovery document names another issuer', async () => {
      // Same server, reached by another name: its discovery says 127.0.0.1, not localhost.
      const issuerUrl = idp.issuer.replace('127.0.0.1', 'localhost');
      const token = await idp.issue({ sub: 'u', issuer: issuerUrl });
      expect(
        await rejected(
          token,
          createOidcAuthenticator({ ...options, issuerUrl }),
        ),
      ).toBe(
        `cannot verify the token: the discovery document ${issuerUrl}/.well-known/openid-configuration names issuer "${idp.issuer}", expected "${issuerUrl}"`,
      );
    });
  });

  it('leaves a bearer token that is not a JWT, or no Authorization, to the next authenticator', async () => {
    const authenticate = createOidcAuthenticator(options);
    await expect(withToken(authenticate, 'static-token-123')).resolves.toBe(
      undefined,
    );
    await expect(withToken(authenticate, 'a.b.c')).resolves.toBe(undefined);
    await expect(authenticate(requestWith())).resolves.toBe(undefined);
    await expect(authenticate(requestWith('Basic dXNlcjpwYXNz'))).resolves.toBe(
      undefined,
    );
  });

  it('fetches the key set once and keeps it', async () => {
    const provider = await startTestOidcProvider();
    try {
      const authenticate = createOidcAuthenticator({
        issuerUrl: provider.issuer,
        clientId: provider.clientId,
      });
      for (const sub of ['a', 'b', 'c']) {
        const user = await withToken(
          authenticate,
          await provider.issue({ sub }),
        );
        expect(user?.username).toBe(`${provider.issuer}#${sub}`);
      }
      expect(provider.jwksRequests).toBe(1);
    } finally {
      await provider.close();
    }
  });

  it('trusts an HTTPS issuer signed by caPem, and only then', async () => {
    const provider = await startTestOidcProvider({ tls: true });
    try {
      const token = await provider.issue({ sub: 'tls-user' });
      const trusting = createOidcAuthenticator({
        issuerUrl: provider.issuer,
        clientId: provider.clientId,
        caPem: provider.certificate,
      });
      await expect(withToken(trusting, token)).resolves.toMatchObject({
        username: `${provider.issuer}#tls-user`,
      });
      const untrusting = createOidcAuthenticator({
        issuerUrl: provider.issuer,
        clientId: provider.clientId,
      });
      await expect(withToken(untrusting, token)).rejects.toThrow(
        /^cannot verify the token: the issuer's discovery document .* could not be read: self[- ]signed certificate/,
      );
    } finally {
      await provider.close();
    }
  });

  it('tries discovery again after the issuer could not be reached', async () => {
    const provider = await startTestOidcProvider();
    try {
      const authenticate = createOidcAuthenticator({
        issuerUrl: provider.issuer,
        clientId: provider.clientId,
      });
      const token = await provider.issue({ sub: 'patient' });
      provider.unavailable = true;
      await expect(withToken(authenticate, token)).rejects.toThrow(
        `cannot verify the token: the issuer's discovery document ${provider.issuer}/.well-known/openid-configuration could not be read: HTTP 503`,
      );
      provider.unavailable = false;
      await expect(withToken(authenticate, token)).resolves.toMatchObject({
        username: `${provider.issuer}#patient`,
      });
    } finally {
      await provider.close();
    }
  });

  it.each([
    [
      { issuerUrl: 'http://idp.example.com', clientId: 'c' },
      'OIDC issuerUrl "http://idp.example.com" must use https (http is accepted for loopback issuers only)',
    ],
    [
      { issuerUrl: 'https://idp.example.com?x=1', clientId: 'c' },
      'must not have a query or fragment',
    ],
    [{ issuerUrl: 'not a url', clientId: 'c' }, 'is not a URL'],
    [
      { issuerUrl: 'https://idp.example.com', clientId: '' },
      'OIDC clientId is required',
    ],
  ])('refuses the configuration %o', (config, message) => {
    expect(() => createOidcAuthenticator(config)).toThrow(message);
  });
});
