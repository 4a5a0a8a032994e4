/*
 * The security model on the real backend: links honoured only when the platform agrees, writes
 * decided on the target entity, streams re-authorized and capped, service principals read-only, and
 * error bodies that carry no stack. Each refusal changes nothing on the cluster.
 */
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { openEventStream } from './__testUtils__/eventStream';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(120_000);

const REDIS = { group: 'marketplace.kratix.io', plural: 'redis' };
const JENKINS = { group: 'marketplace.kratix.io', plural: 'jenkins' };
const UNRESTRICTED_TOKEN = 'unrestricted-ci-bot-token';
const RESTRICTED_TOKEN = 'read-only-status-bot-token';

const component = (
  name: string,
  owner: string,
  annotations: Record<string, string>,
) => `---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  annotations: ${JSON.stringify(annotations)}
spec:
  type: service
  lifecycle: production
  owner: ${owner}
`;

/** Entities anyone could get into a catalog (a registered location, a pull request). */
const ROGUE = [
  // Owned by the guest's team, claiming team-platform's Jenkins (and a Resource that does not exist).
  component('rogue-compact', 'team-search', {
    'kratix.backstage.io/resources':
      'jenkins/default/example, redis/default/no-such-cache',
  }),
  // The same claim in the form Syntasso's portal writes.
  component('rogue-ske', 'team-search', {
    'kratix.io/type': 'resource',
    'kratix.io/promise-name': 'jenkins',
    'kratix.io/group': 'marketplace.kratix.io',
    'kratix.io/version': 'v1alpha1',
    'kratix.io/kind': 'jenkins',
    'kratix.io/name': 'example',
    'kratix.io/namespace': 'default',
  }),
  // team-platform's entity, linking a Resource name before anyone created it.
  component('claimant', 'team-platform', {
    'kratix.backstage.io/resources': 'redis/default/squatted',
  }),
].join('');

const revocable = (owner: string) =>
  component('revocable', owner, {
    'kratix.backstage.io/resources': 'redis/default/revocable-cache',
  });
const bounded = (owner: string) =>
  component('bounded', owner, {
    'kratix.backstage.io/resources': 'redis/default/bounded-cache',
  });
/** kratix.cache.*Seconds in this backend: the bound on how long a revocation may take. */
const CACHE_SECONDS = 2;
/** How late a refusal may be seen beyond the cache bound: one poll and one request under load. */
const REQUEST_TOLERANCE_MS = 1_200;

describe('Security model', () => {
  let sandbox: Sandbox;
  let backend: KratixTestBackend;
  let server: KratixTestBackend['server'];
  let dir: string;
  let guest: string;
  let alice: string;
  let bob: string;
  const previousNodeEnv = process.env.NODE_ENV;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'kratix-security-'));
    writeFileSync(path.join(dir, 'rogue.yaml'), ROGUE);
    writeFileSync(path.join(dir, 'revocable.yaml'), revocable('team-checkout'));
    writeFileSync(path.join(dir, 'bounded.yaml'), bounded('team-checkout'));
    sandbox = await startSandbox({ stepDelayMs: 20 });
    await sandbox.ready;
    // Development mode, as under `yarn start`: Backstage's own error handler then adds stacks.
    process.env.NODE_ENV = 'development';
    try {
      backend = await startKratixTestBackend({
        cluster: sandbox,
        extraLocations: [
          path.join(dir, 'rogue.yaml'),
          path.join(dir, 'revocable.yaml'),
          path.join(dir, 'bounded.yaml'),
        ],
        extraConfig: {
          kratix: {
            cache: {
              decisionSeconds: CACHE_SECONDS,
              entitySeconds: CACHE_SECONDS,
            },
            streams: {
              maxPerUser: 3,
              reauthorizeSeconds: 1,
              refreshSeconds: 1,
            },
          },
          backend: {
            auth: {
              externalAccess: [
                {
                  type: 'static',
                  options: { token: UNRESTRICTED_TOKEN, subject: 'ci-bot' },
                },
                {
                  type: 'static',
                  options: { token: RESTRICTED_TOKEN, subject: 'status-bot' },
                  // As in app-config.production.yaml: the Kratix read permission only.
                  accessRestrictions: [
                    { plugin: 'kratix', permission: 'kratix.resource.read' },
                  ],
                },
              ],
            },
          },
        },
      });
    } finally {
      process.env.NODE_ENV = previousNodeEnv;
    }
    server = backend.server;
    [guest, alice, bob] = await Promise.all(
      ['guest', 'alice', 'bob'].map(user => backend.auth(user)),
    );
    await eventually(async () => {
      for (const name of ['rogue-compact', 'rogue-ske', 'claimant']) {
        const res = await request(server)
          .get(`/api/catalog/entities/by-name/component/default/${name}`)
          .set('Authorization', alice);
        if (res.status !== 200) return undefined;
      }
      return true;
    }, 'the rogue entities to be ingested');
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (route: string, auth: string) =>
    request(server).get(route).set('Authorization', auth);
  const create = (auth: string, body: object) =>
    request(server)
      .post('/api/kratix/resources')
      .set('Authorization', auth)
      .send({ promise: 'redis', namespace: 'default', spec: {}, ...body });

  it('honours no link the platform does not confirm, in either annotation form', async () => {
    const jenkins = sandbox.store.get(JENKINS, 'default', 'example');
    expect(jenkins?.metadata.uid).toBeDefined();
    for (const name of ['rogue-compact', 'rogue-ske']) {
      const base = `/api/kratix/entities/component/default/${name}`;
      const list = await get(`${base}/resources`, guest);
      expect(list.status).toBe(200);
      expect(list.body.items).toEqual([]);
      const reasons = list.body.refErrors.map((e: any) => e.reason);
      expect(reasons.length).toBeGreaterThan(0);
      expect(new Set(reasons)).toEqual(new Set(['not-confirmed']));
      // Nothing of the Resource itself: not its uid, not its status.
      expect(JSON.stringify(list.body)).not.toContain(jenkins!.metadata.uid);
      expect(JSON.stringify(list.body)).not.toContain('Resource requested');

      const details = await get(
        `${base}/resources/sandbox/default/jenkins/example`,
        guest,
      );
      expect(details.status).toBe(404);
      expect(details.body.error.message).toMatch(
        /platform confirms and you may read$/,
      );
      expect(JSON.stringify(details.body)).not.toContain(jenkins!.metadata.uid);

      const stream = await openEventStream(server, `${base}/events`, guest);
      try {
        expect(stream.status).toBe(200);
        expect((await stream.nextEvent('resources')).items).toEqual([]);
      } finally {
        stream.close();
      }
    }
    // A claim on a Resource that exists reads exactly like one on a Resource that does not.
    const compact = await get(
      '/api/kratix/entities/component/default/rogue-compact/resources',
      guest,
    );
    const [existing, missing] = compact.body.refErrors.map((e: any) =>
      e.message.replace(
        /jenkins\/default\/example|redis\/default\/no-such-cache/,
        'X',
      ),
    );
    expect(existing).toBe(missing);
  });

  it('does not show a Resource created under a name another entity links to', async () => {
    const squat = await create(guest, {
      name: 'squatted',
      spec: { size: 'small' },
      entityRef: 'component:default/checkout-service',
    });
    expect(squat.status).toBe(201);
    const claimant = await get(
      '/api/kratix/entities/component/default/claimant/resources',
      alice,
    );
    expect(claimant.status).toBe(200);
    expect(claimant.body.items).toEqual([]);
    expect(claimant.body.refErrors).toMatchObject([
      {
        reason: 'not-confirmed',
        ref: { promise: 'redis', namespace: 'default', name: 'squatted' },
      },
    ]);
    // And nobody can stamp a Resource with an entity they do not own to make the claim come true.
    const forged = await create(guest, {
      name: 'squatted-too',
      spec: { size: 'small' },
      entityRef: 'component:default/claimant',
    });
    expect(forged.status).toBe(403);
    expect(forged.body.error.message).toBe(
      'You may not create Kratix Resources for component:default/claimant',
    );
    expect(sandbox.store.get(REDIS, 'default', 'squatted-too')).toBeUndefined();
  });

  it('decides creation on the target entity, and creation for no entity for the platform team', async () => {
    const foreign = await create(guest, {
      name: 'for-ci-platform',
      spec: { size: 'small' },
      entityRef: 'component:default/ci-platform',
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.message).toBe(
      'You may not create Kratix Resources for component:default/ci-platform',
    );
    const noEntity = await create(guest, {
      name: 'for-nobody',
      spec: { size: 'small' },
    });
    expect(noEntity.status).toBe(403);
    expect(noEntity.body.error.message).toMatch(/^entityRef: required/);
    const bobs = await create(bob, {
      name: 'bobs-cache',
      spec: { size: 'small' },
      entityRef: 'component:default/checkout-service',
    });
    expect(bobs.status).toBe(403);
    for (const name of ['for-ci-platform', 'for-nobody', 'bobs-cache']) {
      expect(sandbox.store.get(REDIS, 'default', name)).toBeUndefined();
    }

    const platform = await create(alice, {
      name: 'platform-owned',
      spec: { size: 'small' },
    });
    expect(platform.status).toBe(201);
    const annotations = platform.body.object.metadata.annotations;
    expect(annotations['kratix.backstage.io/requested-by']).toBe(
      'user:default/alice',
    );
    expect(annotations['kratix.backstage.io/entity-ref']).toBeUndefined();
  });

  it('closes an open stream with a forbidden event when the entity changes owner', async () => {
    const created = await create(guest, {
      name: 'revocable-cache',
      spec: { size: 'small' },
      entityRef: 'component:default/revocable',
    });
    expect(created.status).toBe(201);
    const base = '/api/kratix/entities/component/default/revocable';
    const stream = await openEventStream(server, `${base}/events`, guest);
    try {
      expect(stream.status).toBe(200);
      const first = await stream.nextEvent('resources');
      expect(first.items.map((i: any) => i.name)).toEqual(['revocable-cache']);

      writeFileSync(
        path.join(dir, 'revocable.yaml'),
        revocable('team-platform'),
      );
      const forbidden = await stream.nextEvent('forbidden', 30_000);
      expect(forbidden.message).toBe(
        'You may not read the Kratix Resources of component:default/revocable',
      );
      await stream.ended;
      // No frame with Resources after the forbidden one.
      const last = stream.events[stream.events.length - 1];
      expect(last.event).toBe('forbidden');
    } finally {
      stream.close();
    }
    expect((await get(`${base}/resources`, guest)).status).toBe(403);
    expect((await get(`${base}/resources`, alice)).status).toBe(200);
  });

  it('refuses a revoked user within the configured cache bound', async () => {
    const created = await create(guest, {
      name: 'bounded-cache',
      spec: { size: 'small' },
      entityRef: 'component:default/bounded',
    });
    expect(created.status).toBe(201);
    const route = '/api/kratix/entities/component/default/bounded/resources';
    // Warm every cache on the path.
    expect((await get(route, guest)).status).toBe(200);

    writeFileSync(path.join(dir, 'bounded.yaml'), bounded('team-platform'));
    // The signal: the catalog itself now says the entity belongs to team-platform.
    await eventually(async () => {
      const res = await get(
        '/api/catalog/entities/by-name/component/default/bounded',
        alice,
      );
      return res.body?.spec?.owner === 'team-platform' ? true : undefined;
    }, 'the catalog to see the new owner');
    const changedAt = Date.now();
    const refusedAt = await eventually(async () => {
      const res = await get(route, guest);
      return res.status === 403 ? Date.now() : undefined;
    }, 'the guest to be refused');
    // At most the cache bound after the catalog changed (the clock starts when the catalog is seen
    // to change, which is after it changed). Tolerance: one 200 ms poll plus one request, which on a
    // loaded 2-core machine takes up to a second.
    expect(refusedAt - changedAt).toBeLessThanOrEqual(
      CACHE_SECONDS * 1000 + REQUEST_TOLERANCE_MS,
    );
  });

  it('caps open streams per user with 429, and frees a slot when a stream closes', async () => {
    const events =
      '/api/kratix/entities/component/default/search-service/events';
    const open = await Promise.all(
      [1, 2, 3].map(() => openEventStream(server, events, guest)),
    );
    try {
      expect(open.map(s => s.status)).toEqual([200, 200, 200]);
      const refused = await get(events, guest);
      expect(refused.status).toBe(429);
      expect(refused.body.error.message).toBe(
        'Too many open Kratix event streams (at most 3 per user)',
      );
      // Another user is not affected.
      const other = await openEventStream(
        server,
        '/api/kratix/entities/component/default/ci-platform/events',
        alice,
      );
      expect(other.status).toBe(200);
      other.close();

      open.pop()!.close();
      const again = await eventually(async () => {
        const stream = await openEventStream(server, events, guest);
        if (stream.status === 200) return stream;
        stream.close();
        return undefined;
      }, 'a slot to be freed');
      open.push(again);
    } finally {
      open.forEach(s => s.close());
    }
  });

  it('lets a service principal read within its access restrictions, and never write', async () => {
    const unrestricted = `Bearer ${UNRESTRICTED_TOKEN}`;
    expect((await get('/api/kratix/promises', unrestricted)).status).toBe(200);
    const read = await get(
      '/api/kratix/entities/component/default/search-service/resources',
      unrestricted,
    );
    expect(read.status).toBe(200);
    expect(read.body.items.map((i: any) => i.name)).toEqual(['example']);
    const write = await create(unrestricted, {
      name: 'from-a-bot',
      spec: { size: 'small' },
      entityRef: 'component:default/checkout-service',
    });
    expect(write.status).toBe(403);
    expect(write.body.error.message).toMatch(
      /service principals may only read/,
    );

    const restricted = `Bearer ${RESTRICTED_TOKEN}`;
    const promises = await get('/api/kratix/promises', restricted);
    expect(promises.status).toBe(403);
    const status = await get(
      '/api/kratix/entities/component/default/search-service/resources',
      restricted,
    );
    expect(status.status).toBe(200);
    expect(status.body.items.map((i: any) => i.name)).toEqual(['example']);
    const restrictedWrite = await create(restricted, {
      name: 'from-a-restricted-bot',
      spec: { size: 'small' },
      entityRef: 'component:default/checkout-service',
    });
    expect(restrictedWrite.status).toBe(403);
    for (const name of ['from-a-bot', 'from-a-restricted-bot']) {
      expect(sandbox.store.get(REDIS, 'default', name)).toBeUndefined();
    }
  });

  it('answers 401 without a stack trace or file paths, in development mode too', async () => {
    const routes = [
      request(server).get('/api/kratix/promises'),
      request(server).get(
        '/api/kratix/entities/component/default/search-service/resources',
      ),
      request(server).get(
        '/api/kratix/entities/component/default/search-service/events',
      ),
      request(server).post('/api/kratix/resources').send({}),
      request(server)
        .get('/api/kratix/promises')
        .set('Authorization', 'Bearer not-a-token'),
    ];
    for (const res of await Promise.all(routes)) {
      expect(res.status).toBe(401);
      expect(res.body.error.name).toBe('AuthenticationError');
      expect(res.body.error.stack).toBeUndefined();
      expect(JSON.stringify(res.body)).not.toMatch(
        /\.(ts|js):\d+|node_modules/,
      );
    }
    // The control: Backstage's own handler, in this development-mode backend, does add stacks.
    const catalog = await request(server).get('/api/catalog/entities');
    expect(catalog.status).toBe(401);
    expect(catalog.body.error.stack).toEqual(expect.any(String));
  });
});
