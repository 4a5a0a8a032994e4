/*
 * The platform sees the real user through their own ID token (issue 26, `auth.type: oidc`): on the
 * real backend against a sandbox that enforces the seed's RBAC and accepts ID tokens from a test
 * identity provider this test starts (by issuer and client id, as kube-apiserver's --oidc-* flags
 * do). The cluster's service account, the seed's `kratix-backstage` (read, review, impersonate: no
 * writes), keeps the watches and asks the reviews; every write carries the caller's ID token, which
 * the request brings in `x-kratix-id-token-corp-sso` as the frontend sends it.
 *
 * Both sides name the user alike: the sandbox takes a token's user from its `email` claim and its
 * groups as `backstage:<groups claim>`; the backend names the Backstage user by the catalog email
 * (auth.user: email) and their teams `backstage:<team>` for the reviews. Sofia (team-storefront,
 * team-checkout) may create redis at the platform; Sam (team-storefront, team-sre) may only read
 * them; Backstage's policy lets both create for their team's `storefront`.
 */
import type { Sandbox } from '@kratix-backstage/sandbox';
import {
  startTestOidcProvider,
  type TestOidcProvider,
} from '@kratix-backstage/sandbox/testUtils';
import request from 'supertest';
import {
  ACCESS_SECONDS,
  listedOn,
  rbacCluster,
  recreate,
  REFUSED,
  REQUEST_SLACK_MS,
  ROLE_BINDINGS,
  startRbacSandbox,
  STOREFRONT_TEAM_LOCATION,
  waitForStorefrontTeam,
} from './__testUtils__/clusterIdentity';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(120_000);

const BACKSTAGE_TOKEN = 'cluster-identity-oidc-backstage';
/** The Backstage auth provider whose ID token the cluster wants (auth.oidcTokenProvider). */
const PROVIDER = 'corp-sso';
const ID_TOKEN_HEADER = `x-kratix-id-token-${PROVIDER}`;

const REDIS = { group: 'marketplace.kratix.io', plural: 'redis' };
/** The seed's binding that lets team-sre read redis in `default`. */
const SRE_BINDING = 'team-sre-checkout-reader';
const STOREFRONT = '/api/kratix/entities/component/default/storefront';
const SIGN_IN = new RegExp(
  `^The platform \\(cluster sandbox\\) acts as the signed-in user: sign in with the "${PROVIDER}" provider and try again`,
);

describe('Cluster identity: oidc, the user’s own ID token', () => {
  let idp: TestOidcProvider;
  let sandbox: Sandbox;
  let backend: KratixTestBackend;
  let server: KratixTestBackend['server'];
  let sofia: string;
  let sam: string;

  beforeAll(async () => {
    idp = await startTestOidcProvider({ clientId: 'backstage' });
    sandbox = await startRbacSandbox(BACKSTAGE_TOKEN, {
      oidc: {
        issuerUrl: idp.issuer,
        clientId: idp.clientId,
        usernameClaim: 'email',
        groupsClaim: 'groups',
        groupsPrefix: 'backstage:',
      },
    });
    backend = await startKratixTestBackend({
      // Service account for the watches and reviews; each write with the caller's ID token.
      cluster: rbacCluster(sandbox, BACKSTAGE_TOKEN, {
        type: 'oidc',
        oidcTokenProvider: PROVIDER,
        user: 'email',
      }),
      extraLocations: [STOREFRONT_TEAM_LOCATION],
      extraConfig: {
        kratix: { cache: { clusterAccessSeconds: ACCESS_SECONDS } },
      },
    });
    server = backend.server;
    await waitForStorefrontTeam(backend);
    [sofia, sam] = await Promise.all(
      ['sofia', 'sam'].map(user => backend.auth(user)),
    );
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.close();
    await idp?.close();
  });

  /** What the identity provider would give each of them at sign-in. */
  const sofiaToken = (expiresInSeconds?: number) =>
    idp.issue({
      sub: 'u-sofia',
      email: 'sofia@example.com',
      groups: ['team-storefront', 'team-checkout'],
      expiresInSeconds,
    });
  const samToken = () =>
    idp.issue({
      sub: 'u-sam',
      email: 'sam@example.com',
      groups: ['team-storefront', 'team-sre'],
    });

  const create = (auth: string, name: string, idToken?: string) => {
    const req = request(server).post('/api/kratix/resources');
    req.set('Authorization', auth);
    if (idToken) req.set(ID_TOKEN_HEADER, idToken);
    return req.send({
      promise: 'redis',
      namespace: 'default',
      name,
      spec: { size: 'small' },
      entityRef: 'component:default/storefront',
    });
  };
  const stored = (name: string) => sandbox.store.get(REDIS, 'default', name);
  /** The sandbox's record of redis creates (a create's path names no object). */
  const createsBy = (user: string) =>
    sandbox.requestLog.entries(
      r => r.verb === 'create' && r.resource === 'redis' && r.user === user,
    );
  const listed = (auth: string) => listedOn(backend, STOREFRONT, auth);

  it('tells the frontend which provider’s ID token writes to the cluster need', async () => {
    const res = await request(server)
      .get('/api/kratix/promises')
      .set('Authorization', sofia);
    expect(res.status).toBe(200);
    expect(res.body.clusters).toEqual([
      { name: 'sandbox', sandbox: false, idTokenProvider: PROVIDER },
    ]);
  });

  it('creates as the ID token’s user and groups, not impersonated', async () => {
    const res = await create(sofia, 'oidc-cache', await sofiaToken());
    expect(res.status).toBe(201);
    expect(stored('oidc-cache')).toBeDefined();
    const creates = sandbox.requestLog.entries(
      r => r.verb === 'create' && r.resource === 'redis',
    );
    expect(creates).toEqual([
      expect.objectContaining({
        user: 'sofia@example.com',
        allowed: true,
        namespace: 'default',
      }),
    ]);
    expect(creates[0].groups).toEqual(
      expect.arrayContaining([
        'backstage:team-storefront',
        'backstage:team-checkout',
      ]),
    );
    // Backstage's service account acted as no one: the token was the credential.
    expect(creates[0].impersonator).toBeUndefined();
    expect(sandbox.requestLog.entries(r => !!r.impersonator)).toEqual([]);
  });

  it('answers a create the cluster’s RBAC refuses with 403 naming the platform, and creates nothing', async () => {
    const res = await create(sam, 'sams-cache', await samToken());
    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe('NotAllowedError');
    expect(res.body.error.message).toMatch(REFUSED);
    expect(res.body.error.message).toMatch(
      /User "sam@example\.com" cannot create resource "redis"/,
    );
    expect(stored('sams-cache')).toBeUndefined();
    expect(createsBy('sam@example.com')).toEqual([
      expect.objectContaining({ allowed: false }),
    ]);
  });

  it('answers an expired ID token with the documented 401 naming the provider and the reason, and creates nothing', async () => {
    const before = createsBy('sofia@example.com').length;
    const res = await create(sofia, 'expired-cache', await sofiaToken(-60));
    expect(res.status).toBe(401);
    expect(res.body.error.name).toBe('AuthenticationError');
    expect(res.body.error.message).toMatch(SIGN_IN);
    expect(res.body.error.message).toMatch(
      /\(the platform did not accept the ID token: token expired at \d{4}-\d\d-\d\dT[\d:.]+Z\)$/,
    );
    expect(stored('expired-cache')).toBeUndefined();
    // Refused at authentication: no create of hers reached the authorizer.
    expect(createsBy('sofia@example.com')).toHaveLength(before);
  });

  it('answers a write without an ID token with the documented 401 naming the provider, sending nothing', async () => {
    const allCreates = () =>
      sandbox.requestLog.entries(
        r => r.verb === 'create' && r.resource === 'redis',
      );
    const before = allCreates().length;
    const res = await create(sofia, 'unsigned-cache');
    expect(res.status).toBe(401);
    expect(res.body.error.name).toBe('AuthenticationError');
    expect(res.body.error.message).toMatch(SIGN_IN);
    expect(res.body.error.message).toMatch(/\(no ID token was sent\)$/);
    expect(stored('unsigned-cache')).toBeUndefined();
    // Nothing was sent: no create by anyone.
    expect(allCreates()).toHaveLength(before);
  });

  it('runs a manage action with the caller’s ID token; without one it is the 401 and nothing changes', async () => {
    const base = `${STOREFRONT}/resources/sandbox/default/redis/oidc-cache`;
    await eventually(
      async () =>
        (await listed(sofia)).includes('redis/oidc-cache') ? true : undefined,
      'the new Resource to reach the cache',
    );
    const unsigned = await request(server)
      .post(`${base}/pause`)
      .set('Authorization', sofia);
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.error.message).toMatch(SIGN_IN);
    expect(stored('oidc-cache')?.metadata.labels?.['kratix.io/paused']).toBe(
      undefined,
    );

    const paused = await request(server)
      .post(`${base}/pause`)
      .set('Authorization', sofia)
      .set(ID_TOKEN_HEADER, await sofiaToken());
    expect(paused.status).toBe(202);
    expect(stored('oidc-cache')?.metadata.labels).toMatchObject({
      'kratix.io/paused': 'true',
    });
    const patches = sandbox.requestLog.entries(
      r =>
        r.verb === 'patch' && r.resource === 'redis' && r.name === 'oidc-cache',
    );
    expect(patches).toEqual([
      expect.objectContaining({ user: 'sofia@example.com', allowed: true }),
    ]);
    expect(patches[0].impersonator).toBeUndefined();
  });

  it('reads without an ID token: the service account’s caches, reviewed for the user the token would name', async () => {
    const standalone = '/api/kratix/resources/sandbox/default/redis/oidc-cache';
    // team-sre may read redis at the platform: Sam sees it, with no ID token sent.
    await eventually(
      async () =>
        (await listed(sam)).includes('redis/oidc-cache') ? true : undefined,
      'the Resource to show to Sam',
    );
    const read = await request(server)
      .get(standalone)
      .set('Authorization', sam);
    expect(read.status).toBe(200);
    expect(read.body.resource.name).toBe('oidc-cache');
    // Asked by Backstage's service account, for the mapped user.
    expect(
      sandbox.requestLog.entries(
        r =>
          r.verb === 'create' &&
          r.resource === 'subjectaccessreviews' &&
          r.user === 'kratix-backstage',
      ).length,
    ).toBeGreaterThan(0);

    // The platform team takes team-sre's read away: the review, asked about sam@example.com in
    // backstage:team-sre, now says no, within the cache bound; Sofia's team still reads it.
    const binding = sandbox.store.get(ROLE_BINDINGS, 'default', SRE_BINDING)!;
    sandbox.store.delete(ROLE_BINDINGS, 'default', SRE_BINDING);
    try {
      await eventually(
        async () =>
          (await listed(sam)).includes('redis/oidc-cache') ? undefined : true,
        'the Resource to leave Sam’s list',
        ACCESS_SECONDS * 1000 + REQUEST_SLACK_MS,
      );
      expect(
        (await request(server).get(standalone).set('Authorization', sam))
          .status,
      ).toBe(404);
      expect(await listed(sofia)).toContain('redis/oidc-cache');
    } finally {
      recreate(sandbox, ROLE_BINDINGS, binding);
    }
  });
});
