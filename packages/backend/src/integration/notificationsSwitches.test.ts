/*
 * Turning Kratix notifications off, wholly or for one Promise: a backend without the notifications
 * backend starts, says once that notifications are off, serves reads and writes as usual and records
 * no claims; `kratix.notifications.enabled: false` sends nothing although the notifications backend is
 * there; `kratix.notifications.promises.redis.enabled: false` silences redis Resources while an
 * elastic-cloud Resource in the same backend is told.
 * Each backend is stopped inside its test: its shutdown waits for the notifier's queue, so whatever it
 * would have sent for the Resources it saw has been sent (or not) when the logs are read.
 */
import type { Sandbox } from '@kratix-backstage/sandbox';
import request from 'supertest';
import { ALICE, CHECKOUT, GUEST, REDIS } from './__testUtils__/checkoutRedis';
import {
  ALREADY_CLAIMED,
  configureCompleted,
  deliveredEvents,
  notificationsFeatures,
  notificationsOf,
  resourceNotificationsOf,
  SENT,
  untilObject,
  type Delivery,
} from './__testUtils__/notifications';
import { startPromisesOnlySandbox } from './__testUtils__/promisesOnlySandbox';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
  type LogEntry,
} from './__testUtils__/testBackend';

jest.setTimeout(180_000);

const NOT_INSTALLED =
  /^Kratix notifications are off: the notifications backend .* is not installed/;
const DISABLED = 'Kratix notifications are off (kratix.notifications.enabled)';
/** Every line of the sender deciding anything about a Resource's event. */
const SENDER_LINES = [
  SENT,
  ALREADY_CLAIMED,
  'Kratix notification has no recipient',
];
const senderDecisions = (logs: LogEntry[]) =>
  logs.filter(
    l =>
      SENDER_LINES.includes(l.message) ||
      l.message.startsWith('Kratix notification failed'),
  );

describe('Kratix notifications switched off', () => {
  let sandbox: Sandbox;
  const running = new Set<KratixTestBackend>();
  const deliveries: Delivery[] = [];

  beforeAll(async () => {
    // Only the Destinations and Promises: the Resources are the tests' own.
    sandbox = await startPromisesOnlySandbox({ stepDelayMs: 20 });
  });

  afterAll(async () => {
    await Promise.all([...running].map(b => b.stop()));
    await sandbox?.close();
  });

  const start = async (
    options: Partial<Parameters<typeof startKratixTestBackend>[0]> = {},
  ) => {
    const backend = await startKratixTestBackend({
      cluster: sandbox,
      ...options,
    });
    running.add(backend);
    return backend;
  };
  /** Stops the backend; its shutdown hook waits for the notifier to finish what it observed. */
  const stop = async (backend: KratixTestBackend) => {
    running.delete(backend);
    await backend.stop();
  };

  /** A redis applied on the platform for alice and checkout-service, already completed. */
  const completedRedis = async (name: string) => {
    const uid = sandbox.store.create(REDIS, {
      apiVersion: 'marketplace.kratix.io/v1alpha1',
      kind: 'redis',
      metadata: {
        name,
        namespace: 'default',
        annotations: {
          'kratix.backstage.io/requested-by': ALICE,
          'kratix.backstage.io/entity-ref': CHECKOUT,
          'kratix.backstage.io/owner': 'team-checkout',
        },
      },
      spec: { size: 'small' },
    }).metadata.uid as string;
    await untilObject(sandbox, REDIS, 'default', name, o =>
      configureCompleted(o),
    );
    return uid;
  };

  /** Alice asks for a Resource through the backend; resolves once the backend reads it completed. */
  const requestCompleted = async (
    backend: KratixTestBackend,
    body: { promise: string; name: string; entityRef: string; spec: object },
  ) => {
    const created = await request(backend.server)
      .post('/api/kratix/resources')
      .set('Authorization', await backend.auth('alice'))
      .send({ namespace: 'default', ...body });
    expect(created.status).toBe(201);
    await eventually(async () => {
      const res = await request(backend.server)
        .get(
          `/api/kratix/resources/sandbox/default/${body.promise}/${body.name}`,
        )
        .set('Authorization', await backend.auth('alice'));
      return res.status === 200 && configureCompleted(res.body.object)
        ? true
        : undefined;
    }, `the backend to read ${body.name} completed`);
    return created.body.object.metadata.uid as string;
  };

  const claims = (backend: KratixTestBackend) =>
    backend.kratixDatabase('kratix_notification_claims').select();

  it('without the notifications backend: logs once that they are off, serves as usual, records no claim', async () => {
    // Completed before the backend starts (what a startup look would find) …
    const before = await completedRedis('before-no-backend');
    const backend = await start();
    const off = backend.logs.filter(l => NOT_INSTALLED.test(l.message));
    expect(off).toHaveLength(1);
    expect(off[0].level).toBe('info');
    expect(off[0].message).toContain('@backstage/plugin-notifications-backend');
    expect(backend.logs.filter(l => l.message === DISABLED)).toEqual([]);

    // … and one asked for while it runs: reads and writes work as usual.
    const during = await requestCompleted(backend, {
      promise: 'redis',
      name: 'during-no-backend',
      entityRef: CHECKOUT,
      spec: { size: 'small' },
    });
    const listed = await request(backend.server)
      .get('/api/kratix/entities/component/default/checkout-service/resources')
      .set('Authorization', await backend.auth('guest'));
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((i: { uid: string }) => i.uid).sort()).toEqual(
      [before, during].sort(),
    );
    expect(await claims(backend)).toEqual([]);

    await stop(backend);
    // Nothing claimed, attempted or failed, and said once.
    expect(senderDecisions(backend.logs)).toEqual([]);
    expect(
      backend.logs.filter(l => NOT_INSTALLED.test(l.message)),
    ).toHaveLength(1);
    expect(backend.logs.filter(l => l.level === 'error')).toEqual([]);
  });

  it('kratix.notifications.enabled false: sends nothing, although the notifications backend is installed', async () => {
    const before = await completedRedis('before-disabled');
    const backend = await start({
      features: notificationsFeatures({ deliveries, replica: 'disabled' }),
      webSockets: true,
      extraConfig: { kratix: { notifications: { enabled: false } } },
    });
    expect(backend.logs.filter(l => l.message === DISABLED)).toHaveLength(1);
    expect(backend.logs.filter(l => NOT_INSTALLED.test(l.message))).toEqual([]);
    const during = await requestCompleted(backend, {
      promise: 'redis',
      name: 'during-disabled',
      entityRef: CHECKOUT,
      spec: { size: 'small' },
    });
    expect(await claims(backend)).toEqual([]);
    for (const user of ['alice', 'guest']) {
      expect(await notificationsOf(backend, user)).toEqual([]);
    }

    await stop(backend);
    expect(senderDecisions(backend.logs)).toEqual([]);
    expect(deliveries.filter(d => d.replica === 'disabled')).toEqual([]);
    for (const uid of [before, during]) {
      expect(deliveredEvents(deliveries, uid)).toEqual({});
    }
  });

  it('kratix.notifications.promises.redis.enabled false: a redis Resource notifies nobody, an elastic-cloud one in the same backend does', async () => {
    // Unclaimed in this backend's database, recent, with a requester and owners: told at startup
    // unless redis is silenced.
    const before = await completedRedis('before-narrowed');
    const backend = await start({
      features: notificationsFeatures({ deliveries, replica: 'narrowed' }),
      webSockets: true,
      extraConfig: {
        kratix: { notifications: { promises: { redis: { enabled: false } } } },
      },
    });
    expect(
      backend.logs.filter(
        l => l.message === DISABLED || NOT_INSTALLED.test(l.message),
      ),
    ).toEqual([]);
    // The redis completes and the backend has seen it before the elastic-cloud is even asked for:
    // the notifier handles changes in order, so the elastic-cloud's notification comes after
    // whatever the redis would have had.
    const redis = await requestCompleted(backend, {
      promise: 'redis',
      name: 'narrowed-cache',
      entityRef: CHECKOUT,
      spec: { size: 'small' },
    });
    const elastic = await requestCompleted(backend, {
      promise: 'elastic-cloud',
      name: 'narrowed-search',
      entityRef: 'component:default/search-service',
      spec: { enableDataCollection: false },
    });
    await eventually(async () => {
      const byUser = deliveredEvents(deliveries, elastic);
      return byUser[ALICE] && byUser[GUEST] ? true : undefined;
    }, 'the elastic-cloud notification to be delivered');
    // Its requester and search-service's owners (team-search: guest).
    expect(deliveredEvents(deliveries, elastic)).toEqual({
      [ALICE]: ['completed'],
      [GUEST]: ['completed'],
    });
    for (const user of ['alice', 'guest']) {
      expect(await resourceNotificationsOf(backend, user, elastic)).toEqual([
        expect.objectContaining({
          payload: expect.objectContaining({
            title: 'elastic-cloud narrowed-search is ready',
            severity: 'normal',
          }),
        }),
      ]);
      // And nothing else: no redis.
      expect(await notificationsOf(backend, user)).toHaveLength(1);
    }
    expect(
      (await claims(backend)).map(
        (c: { resource_uid: string }) => c.resource_uid,
      ),
    ).toEqual([elastic]);

    await stop(backend);
    const sent = senderDecisions(backend.logs);
    expect(sent.map(l => [l.message, l.meta.resourceUid])).toEqual([
      [SENT, elastic],
    ]);
    for (const uid of [before, redis]) {
      expect(deliveredEvents(deliveries, uid)).toEqual({});
    }
    expect(
      deliveries
        .filter(d => d.replica === 'narrowed')
        .map(d => d.notification.payload.metadata?.promise),
    ).toEqual(['elastic-cloud', 'elastic-cloud']);
  });
});
