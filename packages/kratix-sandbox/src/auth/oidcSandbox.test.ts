/*
 * Issue 26: a running sandbox with `oidc` set accepts an ID token from a test identity provider by
 * its configured issuer and audience (over HTTPS and from kubectl), as the user and groups its
 * claims make (request log, SelfSubjectReview, `kubectl auth whoami`, RBAC on those groups), and
 * answers each refused token with a 401 Status saying why; a bearer token that is not a JWT goes on
 * to the next authenticator.
 */
import { execFile } from 'node:child_process';
import { request } from 'node:https';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateKeyPair } from 'jose';
import { startApiServer } from '../apiserver';
import { describeEachKubectl } from '../__testUtils__/kubectl';
import { createSandboxStore } from '../store';
import { startSandbox, type Sandbox } from '../sandbox';
import {
  startTestOidcProvider,
  type TestOidcProvider,
} from '../testUtils/oidcProvider';
import { staticTokenAuthenticator } from './identity';
import { createOidcAuthenticator } from './oidc';

const run = promisify(execFile);

interface Answer {
  status: number;
  body: {
    kind?: string;
    reason?: string;
    message?: string;
    code?: number;
    status?: { userInfo?: { username?: string; groups?: string[] } };
  };
}

/** A call over HTTPS trusting the server's own certificate (fetch takes no CA). */
function call(
  server: { url: string; certificate?: string },
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}${path}`,
      {
        method,
        ca: server.certificate,
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
        },
      },
      res => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', chunk => {
          text += chunk;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }),
        );
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const get = (
  server: { url: string; certificate?: string },
  path: string,
  token: string,
) => call(server, 'GET', path, token);

/** Who the sandbox takes the token's bearer for (`kubectl auth whoami`). */
const whoami = (server: { url: string; certificate?: string }, token: string) =>
  call(
    server,
    'POST',
    '/apis/authentication.k8s.io/v1/selfsubjectreviews',
    token,
    { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
  );

const NAMESPACES = '/api/v1/namespaces';

describe('a sandbox with oidc', () => {
  let idp: TestOidcProvider;
  let sandbox: Sandbox;

  beforeAll(async () => {
    idp = await startTestOidcProvider({ clientId: 'kratix-backstage' });
    sandbox = await startSandbox({
      seed: false,
      stepDelayMs: 0,
      oidc: {
        issuerUrl: idp.issuer,
        clientId: 'kratix-backstage',
        usernameClaim: 'email',
        groupsClaim: 'groups',
        groupsPrefix: 'oidc:',
      },
    });
    await sandbox.ready;
  });
  afterAll(async () => {
    await sandbox?.close();
    await idp?.close();
  });

  it('accepts an ID token from the configured issuer for the configured client id', async () => {
    const token = await idp.issue({
      sub: 'u-ada',
      email: 'ada@example.com',
      groups: ['team-search'],
    });
    const answer = await get(sandbox, NAMESPACES, token);
    expect(answer.status).toBe(200);
    expect(answer.body.kind).toBe('NamespaceList');
    // The user and groups the claims make: email unprefixed, groups with the prefix.
    const record = await sandbox.requestLog.waitFor(
      r => r.path === NAMESPACES && r.user === 'ada@example.com',
    );
    expect(record).toMatchObject({
      verb: 'list',
      resource: 'namespaces',
      groups: ['oidc:team-search', 'system:authenticated'],
    });
    const review = await whoami(sandbox, token);
    expect(review.body.status?.userInfo).toEqual({
      username: 'ada@example.com',
      groups: ['oidc:team-search', 'system:authenticated'],
    });
  });

  it('still accepts its own admin token', async () => {
    expect((await get(sandbox, NAMESPACES, sandbox.token)).status).toBe(200);
  });

  it.each([
    [
      'another audience',
      () => idp.issue({ sub: 'u', email: 'u@example.com', audience: 'other' }),
      () =>
        'audience mismatch: the token is for "other", expected "kratix-backstage"',
    ],
    [
      'another issuer',
      () =>
        idp.issue({
          sub: 'u',
          email: 'u@example.com',
          issuer: 'https://idp.example.com',
        }),
      // A function: the provider's URL is known only once beforeAll has started it.
      () =>
        `issuer mismatch: the token was issued by "https://idp.example.com", expected "${idp.issuer}"`,
    ],
    [
      'a key the issuer does not publish',
      async () =>
        idp.issue({
          sub: 'u',
          email: 'u@example.com',
          signingKey: (await generateKeyPair('RS256')).privateKey,
        }),
      () => 'signature invalid: no key of the issuer verifies the token',
    ],
  ])(
    'refuses a token for %s with a 401 saying so',
    async (_, issue, message) => {
      const answer = await get(sandbox, NAMESPACES, await issue());
      expect(answer).toEqual({
        status: 401,
        body: expect.objectContaining({
          kind: 'Status',
          reason: 'Unauthorized',
          code: 401,
          message: message(),
        }),
      });
    },
  );

  it('refuses an expired token with a 401 "token expired at <time>"', async () => {
    const issuedAt = new Date(Date.now() - 2 * 3600_000);
    const token = await idp.issue({
      sub: 'u',
      email: 'u@example.com',
      issuedAt,
      expiresInSeconds: 600,
    });
    const expiredAt = new Date(
      Math.floor(issuedAt.getTime() / 1000) * 1000 + 600_000,
    );
    const answer = await get(sandbox, NAMESPACES, token);
    expect(answer).toEqual({
      status: 401,
      body: expect.objectContaining({
        kind: 'Status',
        reason: 'Unauthorized',
        code: 401,
        message: `token expired at ${expiredAt.toISOString()}`,
      }),
    });
  });

  it('answers a bearer token that is neither its own nor a JWT with the plain 401', async () => {
    const answer = await get(sandbox, NAMESPACES, 'not-a-jwt');
    expect(answer.status).toBe(401);
    expect(answer.body.message).toBe('Unauthorized');
  });
});

describe('a sandbox with oidc and RBAC', () => {
  it("authorizes an OIDC user by the token's groups, with the groups prefix", async () => {
    const idp = await startTestOidcProvider();
    const sandbox = await startSandbox({
      seed: false,
      stepDelayMs: 0,
      rbac: true,
      oidc: {
        issuerUrl: idp.issuer,
        clientId: idp.clientId,
        usernameClaim: 'email',
        groupsClaim: 'groups',
        groupsPrefix: 'oidc:',
      },
    });
    try {
      await sandbox.ready;
      const token = await idp.issue({
        sub: 'u-grace',
        email: 'grace@example.com',
        groups: ['platform'],
      });
      const denied = await get(sandbox, NAMESPACES, token);
      expect(denied.status).toBe(403);
      expect(denied.body.message).toContain('User "grace@example.com"');
      // The admin binds the prefixed group, as a platform team would for its identity provider.
      const binding = await call(
        sandbox,
        'POST',
        '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
        sandbox.token,
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: { name: 'oidc-platform-admin' },
          roleRef: {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'ClusterRole',
            name: 'cluster-admin',
          },
          subjects: [
            {
              apiGroup: 'rbac.authorization.k8s.io',
              kind: 'Group',
              name: 'oidc:platform',
            },
          ],
        },
      );
      expect(binding.status).toBe(201);
      expect((await get(sandbox, NAMESPACES, token)).status).toBe(200);
    } finally {
      await sandbox.close();
      await idp.close();
    }
  });
});

describe('the OIDC authenticator among others', () => {
  it('passes a bearer token that is not a JWT on to the next authenticator', async () => {
    const idp = await startTestOidcProvider();
    const server = await startApiServer({
      store: createSandboxStore(),
      authenticators: [
        createOidcAuthenticator({
          issuerUrl: idp.issuer,
          clientId: idp.clientId,
        }),
        staticTokenAuthenticator([{ token: 'static-token', username: 'bob' }]),
      ],
    });
    try {
      expect((await get(server, NAMESPACES, 'static-token')).status).toBe(200);
      expect(
        (await get(server, NAMESPACES, await idp.issue({ sub: 'eve' }))).status,
      ).toBe(200);
      expect((await get(server, NAMESPACES, 'another-token')).status).toBe(401);
    } finally {
      await server.close();
      await idp.close();
    }
  });
});

describeEachKubectl('kubectl --token=<ID token>', binary => {
  let idp: TestOidcProvider;
  let sandbox: Sandbox;
  let dir: string;

  const kubectl = (token: string, ...args: string[]) =>
    run(
      binary,
      [
        '--kubeconfig',
        join(dir, 'kubeconfig'),
        '--cache-dir',
        join(dir, 'cache'),
        `--token=${token}`,
        ...args,
      ],
      { timeout: 30_000 },
    );

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sandbox-oidc-kubectl-'));
    idp = await startTestOidcProvider();
    sandbox = await startSandbox({
      seed: false,
      stepDelayMs: 0,
      kubeconfigPath: join(dir, 'kubeconfig'),
      oidc: { issuerUrl: idp.issuer, clientId: idp.clientId },
    });
    await sandbox.ready;
  });
  afterAll(async () => {
    await sandbox?.close();
    await idp?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists with a token from the identity provider', async () => {
    const { stdout } = await kubectl(
      await idp.issue({ sub: 'ada' }),
      'get',
      'namespaces',
      '-o',
      'name',
    );
    expect(stdout).toContain('namespace/default');
  });

  it('is, to auth whoami, the issuer-prefixed sub', async () => {
    const { stdout } = await kubectl(
      await idp.issue({ sub: 'ada' }),
      'auth',
      'whoami',
    );
    expect(/^Username\s+(\S+)$/m.exec(stdout)?.[1]).toBe(`${idp.issuer}#ada`);
    expect(stdout).toMatch(/^Groups\s+\[system:authenticated\]$/m);
  });

  it('is told the token expired', async () => {
    const token = await idp.issue({ sub: 'ada', expiresInSeconds: -60 });
    // --raw: no discovery first, whose 401 kubectl words as its own (the cache dir would decide).
    const failure = await kubectl(
      token,
      'get',
      '--raw',
      '/api/v1/namespaces',
    ).catch(e => e);
    expect(failure.code).toBe(1);
    expect(failure.stderr).toContain(
      'error: You must be logged in to the server (token expired at ',
    );
  });
});
