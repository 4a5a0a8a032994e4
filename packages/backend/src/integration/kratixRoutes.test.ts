/*
 * The Kratix backend plugin end to end: a real backend (catalog, permission backend with this
 * repo's policy, Kratix plugin) talking over HTTP to the sandbox platform, which runs the tutorial's
 * pipeline for real.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import request from 'supertest';
import { openEventStream } from './__testUtils__/eventStream';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(120_000);

// Authorization headers carrying real user tokens from the auth backend (see __testUtils__/testBackend.ts).
let guest: string;
let alice: string;
let bob: string;

const SEARCH = '/api/kratix/entities/component/default/search-service';
const ELASTIC = { group: 'workshop.kratix.io', plural: 'elastic-clouds' };

describe('Kratix backend routes', () => {
  let sandbox: Sandbox;
  let backend: KratixTestBackend;
  let server: KratixTestBackend['server'];

  beforeAll(async () => {
    sandbox = await startSandbox({ stepDelayMs: 50 });
    await sandbox.ready;
    backend = await startKratixTestBackend({
      cluster: sandbox,
    });
    server = backend.server;
    [guest, alice, bob] = await Promise.all(
      ['guest', 'alice', 'bob'].map(user => backend.auth(user)),
    );
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  it('needs a signed-in caller on every route', async () => {
    for (const path of ['/api/kratix/promises', `${SEARCH}/resources`]) {
      expect((await request(server).get(path)).status).toBe(401);
    }
    expect(
      (await request(server).post('/api/kratix/resources').send({})).status,
    ).toBe(401);
  });

  it('knows users only through the auth backend, with ownership from catalog membership', async () => {
    const info = await request(server)
      .get('/api/auth/v1/userinfo')
      .set('Authorization', guest);
    expect(info.status).toBe(200);
    expect(info.body.claims.sub).toBe('user:default/guest');
    expect([...info.body.claims.ent].sort()).toEqual([
      'group:default/team-checkout',
      'group:default/team-search',
      'user:default/guest',
    ]);
    // Test doubles of identity do not get in: mock tokens are refused like any forged token.
    for (const forged of [
      mockCredentials.user.header('user:default/guest'),
      `${guest.slice(0, -4)}AAAA`,
    ]) {
      const res = await request(server)
        .get('/api/kratix/promises')
        .set('Authorization', forged);
      expect(res.status).toBe(401);
    }
    // Only users in the catalog can sign in.
    await expect(backend.signIn('mallory')).rejects.toThrow(/failed: 404/);
  });

  it('lists Promises with their API and schema', async () => {
    const res = await request(server)
      .get('/api/kratix/promises')
      .set('Authorization', guest);
    expect(res.status).toBe(200);
    const redis = res.body.items.find((p: any) => p.name === 'redis');
    expect(redis).toMatchObject({
      cluster: 'sandbox',
      kind: 'redis',
      group: 'marketplace.kratix.io',
      version: 'v1alpha1',
      plural: 'redis',
      status: 'Available',
    });
    expect(redis.schema.properties.spec).toBeDefined();
    expect(res.body.clusters).toEqual([{ name: 'sandbox', sandbox: false }]);
    expect(res.body.errors).toEqual([]);
  });

  it("shows the tutorial's elastic-cloud Resource to its owners", async () => {
    const body = await eventually(async () => {
      const res = await request(server)
        .get(`${SEARCH}/resources`)
        .set('Authorization', guest);
      expect(res.status).toBe(200);
      const item = res.body.items[0];
      return item?.workflowCompletion?.state === 'completed'
        ? res.body
        : undefined;
    }, 'the elastic-cloud workflow to complete');
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      cluster: 'sandbox',
      promise: 'elastic-cloud',
      kind: 'elastic-cloud',
      namespace: 'default',
      name: 'example',
      message: 'Instance example provisioned with preconfigured system metrics',
      state: 'ready',
      extraStatus: {
        initialLoginDetails: {
          username: 'elastic',
          passwordSecretName: 'example-es-elastic-user',
        },
      },
      workflowCompletion: {
        conditionType: 'PipelineCompleted',
        state: 'completed',
        condition: { reason: 'PipelineExecutedSuccessfully', status: 'True' },
      },
    });
  });

  it('decides reads with the policy: owners and the platform team yes, others 403, unseen entities 404', async () => {
    // alice is on the platform team (kratix.platformTeam), which reads every Resource.
    expect(
      (
        await request(server)
          .get(`${SEARCH}/resources`)
          .set('Authorization', alice)
      ).status,
    ).toBe(200);
    expect(
      (
        await request(server)
          .get(`${SEARCH}/resources`)
          .set('Authorization', bob)
      ).status,
    ).toBe(403);
    const platform =
      '/api/kratix/entities/component/default/ci-platform/resources';
    expect(
      (await request(server).get(platform).set('Authorization', alice)).status,
    ).toBe(200);
    expect(
      (await request(server).get(platform).set('Authorization', guest)).status,
    ).toBe(403);
    const missing = await request(server)
      .get('/api/kratix/entities/component/default/no-such-thing/resources')
      .set('Authorization', guest);
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe(
      'No entity component:default/no-such-thing',
    );
    // An entity that exists but the guest may not see reads exactly like a missing one.
    const hidden = await request(server)
      .get('/api/kratix/entities/component/default/platform-vault/resources')
      .set('Authorization', guest);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.message).toBe(
      'No entity component:default/platform-vault',
    );
    expect(
      (
        await request(server)
          .get(
            '/api/kratix/entities/component/default/platform-vault/resources',
          )
          .set('Authorization', alice)
      ).status,
    ).toBe(200);
  });

  it("gives one Resource's timeline: requested, workflow run, completion", async () => {
    const res = await request(server)
      .get(`${SEARCH}/resources/sandbox/default/elastic-cloud/example`)
      .set('Authorization', guest);
    expect(res.status).toBe(200);
    const sources = res.body.timeline.map((e: any) => `${e.source}:${e.title}`);
    expect(sources[0]).toBe('resource:Requested');
    expect(sources).toContain('condition:PipelineCompleted');
    expect(
      res.body.timeline.some(
        (e: any) => e.source === 'job' && e.status === 'Succeeded',
      ),
    ).toBe(true);
    expect(res.body.object.status.initialLoginDetails.username).toBe('elastic');
    const other = await request(server)
      .get(`${SEARCH}/resources/sandbox/default/redis/example`)
      .set('Authorization', guest);
    expect(other.status).toBe(404);
  });

  it('creates a Resource as the user, recording who asked and for which entity', async () => {
    const body = {
      promise: 'redis',
      namespace: 'default',
      name: 'created-by-test',
      spec: { size: 'small' },
      entityRef: 'component:default/checkout-service',
    };
    const dry = await request(server)
      .post('/api/kratix/resources')
      .set('Authorization', guest)
      .send({ ...body, dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body.dryRun).toBe(true);
    expect(
      sandbox.store.get(
        { group: 'marketplace.kratix.io', plural: 'redis' },
        'default',
        'created-by-test',
      ),
    ).toBeUndefined();

    const created = await request(server)
      .post('/api/kratix/resources')
      .set('Authorization', guest)
      .send(body);
    expect(created.status).toBe(201);
    expect(created.body.object.metadata.annotations).toMatchObject({
      'kratix.backstage.io/requested-by': 'user:default/guest',
      'kratix.backstage.io/entity-ref': 'component:default/checkout-service',
    });
    const stored = sandbox.store.get(
      { group: 'marketplace.kratix.io', plural: 'redis' },
      'default',
      'created-by-test',
    );
    expect(stored?.metadata.uid).toBe(created.body.object.metadata.uid);

    const again = await request(server)
      .post('/api/kratix/resources')
      .set('Authorization', guest)
      .send(body);
    expect(again.status).toBe(409);
  });

  it('refuses bad input with a 400 naming the field, and changes nothing', async () => {
    const post = (payload: object) =>
      request(server)
        .post('/api/kratix/resources')
        .set('Authorization', guest)
        .send({ entityRef: 'component:default/checkout-service', ...payload });
    const cases: Array<[object, RegExp]> = [
      [{ promise: 'redis', namespace: 'default', spec: {} }, /^name: /],
      [
        {
          promise: 'redis',
          namespace: 'default',
          name: 'Bad_Name',
          spec: { size: 'small' },
        },
        /^name: "Bad_Name"/,
      ],
      [
        {
          promise: 'redis',
          namespace: 'default',
          name: 'huge',
          spec: { size: 'huge' },
        },
        /^spec\.size: /,
      ],
      [
        { promise: 'nope', namespace: 'default', name: 'x', spec: {} },
        /^promise: /,
      ],
    ];
    for (const [payload, message] of cases) {
      const res = await post(payload);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
      expect(res.body.error.stack).toBeUndefined();
    }
    expect(
      sandbox.store.get(
        { group: 'marketplace.kratix.io', plural: 'redis' },
        'default',
        'huge',
      ),
    ).toBeUndefined();
    const oversized = await request(server)
      .post('/api/kratix/resources')
      .set('Authorization', guest)
      .set('Content-Type', 'application/json')
      .send(
        JSON.stringify({
          promise: 'redis',
          namespace: 'default',
          name: 'big',
          spec: { blob: 'x'.repeat(100_000) },
        }),
      );
    expect(oversized.status).toBe(413);
  });

  it('denies creation for entities the user does not own, outside allowed namespaces, and for entities they cannot see', async () => {
    const body = {
      promise: 'redis',
      namespace: 'default',
      name: 'from-bob',
      spec: { size: 'small' },
      entityRef: 'component:default/checkout-service',
    };
    expect(
      (
        await request(server)
          .post('/api/kratix/resources')
          .set('Authorization', bob)
          .send(body)
      ).status,
    ).toBe(403);
    const ns = await request(server)
      .post('/api/kratix/resources')
      .set('Authorization', guest)
      .send({ ...body, name: 'in-kube-system', namespace: 'kube-system' });
    expect(ns.status).toBe(403);
    expect(ns.body.error.message).toMatch(/^namespace: /);
    // platform-vault exists but only the platform team may see it: for the guest it is missing.
    const unseen = await request(server)
      .post('/api/kratix/resources')
      .set('Authorization', guest)
      .send({
        ...body,
        name: 'for-nothing',
        entityRef: 'component:default/platform-vault',
      });
    expect(unseen.status).toBe(404);
    expect(unseen.body.error.message).toBe(
      'No entity component:default/platform-vault',
    );
    const seen = await request(server)
      .post('/api/kratix/resources')
      .set('Authorization', alice)
      .send({
        ...body,
        name: 'for-the-vault',
        entityRef: 'component:default/platform-vault',
        dryRun: true,
      });
    expect(seen.status).toBe(200);
    for (const name of ['from-bob', 'in-kube-system', 'for-nothing']) {
      expect(
        sandbox.store.get(
          { group: 'marketplace.kratix.io', plural: 'redis' },
          'default',
          name,
        ),
      ).toBeUndefined();
    }
  });

  it('audits creations and denied creations, naming the user and the Resource', async () => {
    const auditEvents = () =>
      backend.logs.filter(
        e =>
          e.meta.isAuditEvent === true &&
          e.message === 'kratix.resource-create',
      );
    const target = (e: { meta: Record<string, any> }) =>
      e.meta.meta?.target?.name;
    const body = {
      promise: 'redis',
      namespace: 'default',
      spec: { size: 'small' },
      entityRef: 'component:default/checkout-service',
    };

    const created = await request(server)
      .post('/api/kratix/resources')
      .set('Authorization', guest)
      .send({ ...body, name: 'audited-create' });
    expect(created.status).toBe(201);
    const mine = auditEvents().filter(e => target(e) === 'audited-create');
    expect(mine.map(e => e.meta.status)).toEqual(['initiated', 'succeeded']);
    for (const event of mine) {
      expect(event.meta).toMatchObject({
        plugin: 'kratix',
        eventId: 'resource-create',
        severityLevel: 'medium',
        actor: { actorId: 'user:default/guest' },
        request: { method: 'POST', url: '/api/kratix/resources' },
        meta: {
          target: {
            cluster: 'sandbox',
            promise: 'redis',
            namespace: 'default',
            name: 'audited-create',
          },
        },
      });
    }
    expect((mine[1].meta.meta as any).uid).toBe(
      created.body.object.metadata.uid,
    );

    const denied = await request(server)
      .post('/api/kratix/resources')
      .set('Authorization', bob)
      .send({ ...body, name: 'audited-denied' });
    expect(denied.status).toBe(403);
    const bobs = auditEvents().filter(e => target(e) === 'audited-denied');
    expect(bobs.map(e => e.meta.status)).toEqual(['initiated', 'failed']);
    expect(bobs[1]).toMatchObject({
      level: 'info',
      meta: {
        actor: { actorId: 'user:default/bob' },
        meta: {
          target: {
            promise: 'redis',
            namespace: 'default',
            name: 'audited-denied',
          },
        },
        error: { name: 'NotAllowedError' },
      },
    });
    expect(
      sandbox.store.get(
        { group: 'marketplace.kratix.io', plural: 'redis' },
        'default',
        'audited-denied',
      ),
    ).toBeUndefined();
  });

  it('pushes an update on the live stream when a linked Resource changes', async () => {
    const stream = await openEventStream(server, `${SEARCH}/events`, guest);
    try {
      const first = await stream.nextEvent('resources');
      expect(first.items.map((i: any) => `${i.promise}/${i.name}`)).toEqual([
        'elastic-cloud/example',
      ]);
      expect(first.items[0].labels['integration-test/live']).toBeUndefined();

      sandbox.store.patch(ELASTIC, 'default', 'example', 'merge', {
        metadata: { labels: { 'integration-test/live': 'changed' } },
      });
      // The watch drives the stream (~100 ms debounce); its periodic re-read comes only every 10 s,
      // so the next frame arriving well before that shows the push works.
      const next = await stream.nextEvent('resources', 5_000);
      expect(next.items[0].labels['integration-test/live']).toBe('changed');
    } finally {
      stream.close();
    }

    const unauthorized = await request(server)
      .get(`${SEARCH}/events`)
      .set('Authorization', bob);
    expect(unauthorized.status).toBe(403);
  });
});
