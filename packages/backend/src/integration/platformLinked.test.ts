/*
 * An entity's Resources include the ones the platform says are its own, not only those its
 * annotation claims: what is requested through Backstage for an entity shows up on its list, its
 * live stream and its one-Resource routes with no annotation change. A Resource that only names
 * the entity (not bound to it) does not, and a caller who may not read one learns nothing of it.
 */
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import request from 'supertest';
import { openEventStream } from './__testUtils__/eventStream';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(120_000);

const REDIS = { group: 'marketplace.kratix.io', plural: 'redis' };
const CHECKOUT = '/api/kratix/entities/component/default/checkout-service';
const CREATED = 'requested-cache';
const UNBOUND = 'unbound-cache';
/** Refused reads, missing and unlinked Resources all answer this. */
const UNREADABLE =
  /links no Resource .* that the platform confirms and you may read$/;

describe("An entity's platform-linked Resources", () => {
  let sandbox: Sandbox;
  let backend: KratixTestBackend;
  let server: KratixTestBackend['server'];
  let guest: string;
  let bob: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ stepDelayMs: 20 });
    await sandbox.ready;
    // Names checkout-service but was recorded for another entity of that name, and no owner vouches.
    sandbox.store.create(REDIS, {
      apiVersion: 'marketplace.kratix.io/v1alpha1',
      kind: 'redis',
      metadata: {
        name: UNBOUND,
        namespace: 'default',
        annotations: {
          'kratix.backstage.io/entity-ref':
            'component:default/checkout-service',
          'kratix.backstage.io/entity-uid': 'uid-of-a-deleted-entity',
        },
      },
      spec: { size: 'small' },
    });
    backend = await startKratixTestBackend({ cluster: sandbox });
    server = backend.server;
    [guest, bob] = await Promise.all(
      ['guest', 'bob'].map(user => backend.auth(user)),
    );
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.close();
  });

  const get = (route: string, auth: string) =>
    request(server).get(route).set('Authorization', auth);
  const names = (body: { items?: Array<{ name: string }> }) =>
    (body.items ?? []).map(item => item.name);

  it('lists a Resource requested for the entity beside its claims, marked as the platform’s', async () => {
    const before = await get(`${CHECKOUT}/resources`, guest);
    expect(before.status).toBe(200);
    const claimed = names(before.body);
    expect(claimed.length).toBeGreaterThan(0);
    expect(claimed).not.toContain(CREATED);
    expect(claimed).not.toContain(UNBOUND);

    const created = await request(server)
      .post('/api/kratix/resources')
      .set('Authorization', guest)
      .send({
        promise: 'redis',
        namespace: 'default',
        name: CREATED,
        spec: { size: 'small' },
        entityRef: 'component:default/checkout-service',
      });
    expect(created.status).toBe(201);

    // The watch delivers the new Resource (eventual: the create returns before the cache has it).
    const after = await eventually(async () => {
      const res = await get(`${CHECKOUT}/resources`, guest);
      return names(res.body).includes(CREATED) ? res.body : undefined;
    }, `${CREATED} on checkout-service's list`);
    const item = after.items.find((i: { name: string }) => i.name === CREATED);
    expect(item.link).toBe('platform');
    // Listed once, after the claims, which are still there and marked as claims.
    expect(names(after)).toEqual([...claimed, CREATED]);
    expect(
      after.items
        .filter((i: { name: string }) => i.name !== CREATED)
        .every((i: { link?: string }) => i.link === 'claimed'),
    ).toBe(true);
    // The one that only names the entity is neither listed nor reported.
    expect(JSON.stringify(after)).not.toContain(UNBOUND);
  });

  it("opens it on the entity's one-Resource route, and refuses the unbound one like a missing one", async () => {
    const detail = await get(
      `${CHECKOUT}/resources/sandbox/default/redis/${CREATED}`,
      guest,
    );
    expect(detail.status).toBe(200);
    expect(detail.body.resource.name).toBe(CREATED);

    const unbound = await get(
      `${CHECKOUT}/resources/sandbox/default/redis/${UNBOUND}`,
      guest,
    );
    expect(unbound.status).toBe(404);
    expect(unbound.body.error.message).toMatch(UNREADABLE);
  });

  it("includes it in the live stream's first frame", async () => {
    const stream = await openEventStream(server, `${CHECKOUT}/events`, guest);
    try {
      expect(stream.status).toBe(200);
      const first = await stream.nextEvent('resources');
      expect(names(first)).toContain(CREATED);
      expect(names(first)).not.toContain(UNBOUND);

      // A Resource requested while the stream is open is pushed by its watch event (well before
      // the 10 s refresh tick), though the entity claims nothing new.
      const more = await request(server)
        .post('/api/kratix/resources')
        .set('Authorization', guest)
        .send({
          promise: 'redis',
          namespace: 'default',
          name: 'pushed-cache',
          spec: { size: 'small' },
          entityRef: 'component:default/checkout-service',
        });
      expect(more.status).toBe(201);
      // Frames about the other Resources' progress may come first.
      let frame = await stream.nextEvent('resources', 5_000);
      while (!names(frame).includes('pushed-cache')) {
        frame = await stream.nextEvent('resources', 5_000);
      }
      expect(
        frame.items.find((i: { name: string }) => i.name === 'pushed-cache'),
      ).toMatchObject({ link: 'platform' });
    } finally {
      stream.close();
    }
  });

  it('tells a caller who may not read it nothing about it', async () => {
    const list = await get(`${CHECKOUT}/resources`, bob);
    expect([200, 403]).toContain(list.status);
    expect(JSON.stringify(list.body)).not.toContain(CREATED);

    const detail = await get(
      `${CHECKOUT}/resources/sandbox/default/redis/${CREATED}`,
      bob,
    );
    expect(detail.status).toBe(404);
    expect(detail.body.error.message).toMatch(UNREADABLE);
  });
});
