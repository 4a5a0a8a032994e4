/*
 * The platform sees the real user (issue 26), on the real backend against a sandbox that enforces
 * Kubernetes RBAC (its seed grants the example teams: team-checkout may create and change redis in
 * `default`, team-search elastic-clouds, neither may delete; team-platform everything). The cluster
 * is reached with `auth.type: impersonate` and a token for the user `kratix-backstage`, which may
 * only read, review access and impersonate (the seed's ClusterRole): every write must go as the
 * signed-in user, or the cluster refuses it.
 *
 * The guest is on team-search and team-checkout, so Backstage's policy lets them create anything for
 * checkout's entities; the cluster lets them create redis, not jenkins.
 */
import type { Sandbox } from '@kratix-backstage/sandbox';
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
} from './__testUtils__/clusterIdentity';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(120_000);

/** Backstage's identity at the cluster: a static token for the seed's `kratix-backstage` user. */
const BACKSTAGE_TOKEN = 'cluster-identity-test-backstage';
const BOT_TOKEN = 'cluster-identity-test-bot';

const REDIS = { group: 'marketplace.kratix.io', plural: 'redis' };
const JENKINS = { group: 'marketplace.kratix.io', plural: 'jenkins' };
/** The seed's binding that gives team-checkout its redis (and team database) access. */
const CHECKOUT_BINDING = 'team-checkout-redis';
/** Claims no Resource: what is created for it shows through the platform's own link. */
const PAYMENTS = '/api/kratix/entities/component/default/payments-service';

describe('Cluster identity: impersonate against RBAC', () => {
  let sandbox: Sandbox;
  let backend: KratixTestBackend;
  let server: KratixTestBackend['server'];
  let guest: string;
  let alice: string;

  beforeAll(async () => {
    sandbox = await startRbacSandbox(BACKSTAGE_TOKEN);
    backend = await startKratixTestBackend({
      cluster: rbacCluster(sandbox, BACKSTAGE_TOKEN),
      extraConfig: {
        kratix: { cache: { clusterAccessSeconds: ACCESS_SECONDS } },
        backend: {
          auth: {
            externalAccess: [
              {
                type: 'static',
                options: { token: BOT_TOKEN, subject: 'status-bot' },
              },
            ],
          },
        },
      },
    });
    server = backend.server;
    [guest, alice] = await Promise.all(
      ['guest', 'alice'].map(user => backend.auth(user)),
    );
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.close();
  });

  const create = (name: string, promise: string, spec: object) =>
    request(server)
      .post('/api/kratix/resources')
      .set('Authorization', guest)
      .send({
        promise,
        namespace: 'default',
        name,
        spec,
        entityRef: 'component:default/payments-service',
      });
  const recordsOf = (verb: string, resource: string, user: string) =>
    sandbox.requestLog.entries(
      r => r.verb === verb && r.resource === resource && r.user === user,
    );
  const listed = (auth: string) => listedOn(backend, PAYMENTS, auth);

  it('refuses a create the policy allows and the cluster does not: 403 naming the platform, nothing created', async () => {
    const res = await create('refused-jenkins', 'jenkins', { env: 'dev' });
    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe('NotAllowedError');
    expect(res.body.error.message).toMatch(REFUSED);
    // Kubernetes' own reason, naming the user the cluster saw.
    expect(res.body.error.message).toMatch(
      /User "guest" cannot create resource "jenkins"/,
    );
    expect(sandbox.store.get(JENKINS, 'default', 'refused-jenkins')).toBe(
      undefined,
    );
    expect(recordsOf('create', 'jenkins', 'guest')).toEqual([
      expect.objectContaining({
        allowed: false,
        impersonator: expect.objectContaining({ user: 'kratix-backstage' }),
      }),
    ]);
  });

  it('creates as the signed-in user and their groups', async () => {
    const res = await create('made-as-guest', 'redis', { size: 'small' });
    expect(res.status).toBe(201);
    expect(sandbox.store.get(REDIS, 'default', 'made-as-guest')).toBeDefined();
    const [record] = recordsOf('create', 'redis', 'guest');
    expect(record).toMatchObject({
      allowed: true,
      namespace: 'default',
      impersonator: expect.objectContaining({ user: 'kratix-backstage' }),
    });
    expect(record.groups).toEqual(
      expect.arrayContaining([
        'backstage:team-checkout',
        'backstage:team-search',
      ]),
    );
  });

  const MADE = `${PAYMENTS}/resources/sandbox/default/redis/made-as-guest`;
  const actionTitles = async () => {
    const details = await request(server).get(MADE).set('Authorization', alice);
    expect(details.status).toBe(200);
    return (details.body.timeline as Array<{ source: string; title: string }>)
      .filter(e => e.source === 'action')
      .map(e => e.title);
  };

  it('runs a manage action as the user', async () => {
    // The platform's own link shows once the watch has the new Resource.
    await eventually(
      async () =>
        (await listed(guest)).includes('redis/made-as-guest')
          ? true
          : undefined,
      'the new Resource to reach the cache',
    );
    const paused = await request(server)
      .post(`${MADE}/pause`)
      .set('Authorization', guest);
    expect(paused.status).toBe(202);
    expect(recordsOf('patch', 'redis', 'guest')).toEqual([
      expect.objectContaining({
        allowed: true,
        name: 'made-as-guest',
        impersonator: expect.objectContaining({ user: 'kratix-backstage' }),
      }),
    ]);
    expect(
      sandbox.store.get(REDIS, 'default', 'made-as-guest')?.metadata.labels,
    ).toMatchObject({ 'kratix.io/paused': 'true' });
  });

  it('hides what the cluster would not let the user get, within the cache bound; service principals read as before', async () => {
    const standalone =
      '/api/kratix/resources/sandbox/default/redis/made-as-guest';
    const promisePage = '/api/kratix/promises/sandbox/redis/resources';
    const inPromisePage = async (auth: string) => {
      const res = await request(server)
        .get(promisePage)
        .set('Authorization', auth);
      expect(res.status).toBe(200);
      return (res.body.items as Array<{ name: string }>).map(i => i.name);
    };
    await eventually(
      async () =>
        (await listed(guest)).includes('redis/made-as-guest')
          ? true
          : undefined,
      'the Resource to show to the guest',
    );
    expect(
      (await request(server).get(standalone).set('Authorization', guest))
        .status,
    ).toBe(200);

    // The platform team takes team-checkout's redis access away.
    const binding = sandbox.store.get(
      ROLE_BINDINGS,
      'default',
      CHECKOUT_BINDING,
    )!;
    sandbox.store.delete(ROLE_BINDINGS, 'default', CHECKOUT_BINDING);

    // An answer from before the change is reused for at most ACCESS_SECONDS.
    await eventually(
      async () =>
        (await listed(guest)).includes('redis/made-as-guest')
          ? undefined
          : true,
      'the Resource to leave the guest’s list',
      ACCESS_SECONDS * 1000 + REQUEST_SLACK_MS,
    );
    // As Backstage's own denial reads: absent from lists, 404 on its paths.
    expect(await inPromisePage(guest)).not.toContain('made-as-guest');
    for (const path of [MADE, standalone]) {
      const res = await request(server).get(path).set('Authorization', guest);
      expect(res.status).toBe(404);
    }
    // Others the cluster lets get it still see it, and a service principal reads as before.
    expect(await listed(alice)).toContain('redis/made-as-guest');
    expect(await inPromisePage(alice)).toContain('made-as-guest');
    const bot = await request(server)
      .get(standalone)
      .set('Authorization', `Bearer ${BOT_TOKEN}`);
    expect(bot.status).toBe(200);
    expect(bot.body.resource.name).toBe('made-as-guest');

    // Given back, it shows again within the same bound.
    recreate(sandbox, ROLE_BINDINGS, binding);
    await eventually(
      async () =>
        (await listed(guest)).includes('redis/made-as-guest')
          ? true
          : undefined,
      'the Resource to show to the guest again',
      ACCESS_SECONDS * 1000 + REQUEST_SLACK_MS,
    );
  });

  it('answers a delete the policy allows and the cluster refuses with 403 naming the platform, and changes nothing', async () => {
    // team-checkout's RBAC grants no delete; Backstage's policy lets the entity's owners delete.
    const deleted = await request(server)
      .delete(MADE)
      .set('Authorization', guest);
    expect(deleted.status).toBe(403);
    expect(deleted.body.error.message).toMatch(REFUSED);
    expect(deleted.body.error.message).toMatch(
      /User "guest" cannot delete resource "redis"/,
    );
    const stored = sandbox.store.get(REDIS, 'default', 'made-as-guest');
    expect(stored?.metadata.deletionTimestamp).toBeUndefined();
    // Refused, so not on the Resource's timeline; the pause is.
    expect(await actionTitles()).toEqual(['Paused']);
  });

  it('deletes as the user when the cluster allows it', async () => {
    const deleted = await request(server)
      .delete(MADE)
      .set('Authorization', alice);
    expect(deleted.status).toBe(202);
    expect(recordsOf('delete', 'redis', 'alice')).toEqual([
      expect.objectContaining({
        allowed: true,
        name: 'made-as-guest',
        groups: expect.arrayContaining(['backstage:team-platform']),
      }),
    ]);
  });
});
