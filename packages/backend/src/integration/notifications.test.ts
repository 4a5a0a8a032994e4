/*
 * Backstage notifications of Kratix Resource events, end to end: the Kratix plugin watching the
 * sandbox platform sends through the real notifications backend (with signals, as the app runs
 * them), and each user reads what they got through the notifications backend's own API with their
 * own token. Recipients are the requester and the owners of the entity the platform confirms the
 * Resource belongs to, and nobody else; a Resource keeps one notification, updated in place.
 */
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import path from 'node:path';
import request from 'supertest';
import {
  ALICE,
  CHECKOUT,
  GUEST,
  REDIS,
  requestCheckoutRedis,
} from './__testUtils__/checkoutRedis';
import {
  ALREADY_CLAIMED,
  deliveredEvents,
  kratixScope,
  markRead,
  notificationsFeatures,
  notificationsOf,
  openSignals,
  resourceNotificationsOf,
  SENT,
  senderLogs,
  untilSenderLogs,
  type Delivery,
  type NotificationJson,
} from './__testUtils__/notifications';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(180_000);

const NO_RECIPIENT = 'Kratix notification has no recipient';
const SIMULATE = 'sandbox.kratix.io/simulate';
const RERUN = 'kratix.io/manual-reconciliation';
/** The checkout-service tab opened on a redis in `default` on the sandbox cluster. */
const tabLink = (name: string) =>
  `/catalog/default/component/checkout-service/kratix?resource=sandbox%2Fdefault%2Fredis%2F${name}`;

describe('Kratix notifications', () => {
  let sandbox: Sandbox;
  let backend: KratixTestBackend;
  const deliveries: Delivery[] = [];

  beforeAll(async () => {
    // Each pipeline run lasts over a second, as real ones do: Kubernetes condition times have a
    // one-second resolution, and a transition is told apart from the previous one by its time.
    sandbox = await startSandbox({ stepDelayMs: 1100 });
    await sandbox.ready;
    backend = await startKratixTestBackend({
      cluster: sandbox,
      features: notificationsFeatures({ deliveries }),
      webSockets: true,
      extraLocations: [
        path.resolve(__dirname, '__fixtures__/notificationClaims.yaml'),
      ],
    });
    // The fixture's claim must be in the catalog before the Resource it claims exists.
    await eventually(async () => {
      const res = await request(backend.server)
        .get('/api/catalog/entities/by-name/component/default/cache-claimer')
        .set('Authorization', await backend.auth('alice'));
      return res.status === 200 ? true : undefined;
    }, 'the claiming fixture entity');
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.close();
  });

  const redisStatus = (name: string) =>
    sandbox.store.get(REDIS, 'default', name)?.status as
      | {
          message?: string;
          conditions?: Array<{ type: string; status: string; message: string }>;
        }
      | undefined;

  /** Waits for the Kratix plugin's log that it sent the `n`th notification of `event`. */
  const sent = (uid: string, event: string, n = 1) =>
    untilSenderLogs(backend.logs, SENT, uid, event, n);

  /** Waits for the Kratix plugin's log that it found nobody to tell of `event`. */
  const foundNoRecipient = (uid: string, event: string) =>
    untilSenderLogs(backend.logs, NO_RECIPIENT, uid, event);

  /** Each user's one notification for the Resource (one per Resource: its scope). */
  const theNotification = async (user: string, uid: string) => {
    const found = await resourceNotificationsOf(backend, user, uid);
    expect(found).toHaveLength(1);
    return found[0];
  };

  describe('a Resource requested for checkout-service', () => {
    const name = 'orders-cache';
    let uid: string;
    const ids: Record<string, string> = {};

    it('notifies its requester and the owners of checkout-service, and nobody else', async () => {
      // Alice (platform team, not an owner of checkout-service) asks for it: the requester and the
      // owners (team-checkout: guest) are then different people.
      uid = await requestCheckoutRedis(backend, name);

      await sent(uid, 'completed');
      const message = redisStatus(name)?.message;
      expect(message).toMatch(/provisioned/);

      for (const user of ['alice', 'guest']) {
        const n = await theNotification(user, uid);
        ids[user] = n.id;
        expect(n).toMatchObject({
          user: `user:default/${user}`,
          origin: 'plugin:kratix',
          payload: {
            title: `redis ${name} is ready`,
            severity: 'normal',
            description: message,
            link: tabLink(name),
            topic: 'Resource ready',
            scope: kratixScope(uid),
            metadata: {
              cluster: 'sandbox',
              promise: 'redis',
              namespace: 'default',
              name,
              uid,
              event: 'completed',
            },
          },
        });
      }
      expect(ids.alice).not.toBe(ids.guest);

      // Nobody else: bob (no team) and carol (team-sre, which the policy lets read team-checkout's
      // Resources, but owns none of them) have no notification at all.
      for (const user of ['bob', 'carol']) {
        expect(await notificationsOf(backend, user)).toEqual([]);
      }
      // And what the notifications backend delivered for it went to these two only, once each.
      await eventually(async () => {
        const delivered = deliveredEvents(deliveries, uid);
        return Object.keys(delivered).length >= 2 ? delivered : undefined;
      }, 'the deliveries to be processed');
      expect(deliveredEvents(deliveries, uid)).toEqual({
        [ALICE]: ['completed'],
        [GUEST]: ['completed'],
      });
      // The one replica claimed and sent it.
      expect(senderLogs(backend.logs, SENT, uid)).toHaveLength(1);
      expect(senderLogs(backend.logs, ALREADY_CLAIMED, uid)).toEqual([]);
    });

    it('tells them once, with high severity and the pipeline, when a re-run fails: the same notification, unread again', async () => {
      // Read on the notifications page: an update must bring it back as unread.
      await markRead(backend, 'guest', [ids.guest]);
      expect((await theNotification('guest', uid)).read).toBeTruthy();
      // And the open app hears of it live, through signals.
      const live = await openSignals(backend, 'guest', 'notifications');

      // The sandbox's redis pipeline exits 1 on this annotation; the label re-runs the workflow.
      sandbox.store.patch(REDIS, 'default', name, 'merge', {
        metadata: {
          annotations: { [SIMULATE]: 'fail' },
          labels: { [RERUN]: 'true' },
        },
      });
      await sent(uid, 'failed');
      try {
        await live.next(
          m =>
            m.action === 'new_notification' && m.notification_id === ids.guest,
          "the signal of guest's updated notification",
        );
      } finally {
        live.close();
      }
      const condition = redisStatus(name)?.conditions?.find(
        c => c.type === 'ConfigureWorkflowCompleted',
      );
      expect(condition).toMatchObject({ status: 'False' });
      expect(condition?.message).toMatch(/instance-configure/);

      for (const user of ['alice', 'guest']) {
        const n = await theNotification(user, uid);
        expect(n.id).toBe(ids[user]);
        expect(n.read ?? null).toBeNull();
        expect(n.payload).toMatchObject({
          title: `redis ${name} failed in pipeline instance-configure`,
          severity: 'high',
          link: tabLink(name),
          topic: 'Resource failed',
          metadata: {
            event: 'failed',
            pipeline: 'instance-configure',
            // The container whose exit failed the run, from the run's Pod (the sandbox keeps it).
            container: 'redis-configure-pipeline',
            uid,
          },
        });
        // The failure's own words come first, then the failing container.
        expect(n.payload.description?.startsWith(condition!.message)).toBe(
          true,
        );
        expect(n.payload.description).toContain('redis-configure-pipeline');
      }
      await eventually(async () => {
        const delivered = deliveredEvents(deliveries, uid);
        return delivered[GUEST]?.length >= 2 && delivered[ALICE]?.length >= 2
          ? true
          : undefined;
      }, 'the failure to be delivered');
      expect(deliveredEvents(deliveries, uid)).toEqual({
        [ALICE]: ['completed', 'failed'],
        [GUEST]: ['completed', 'failed'],
      });
      const high = deliveries.filter(
        d =>
          d.notification.payload.scope === kratixScope(uid) &&
          d.notification.payload.severity === 'high',
      );
      expect(high.map(d => d.notification.user).sort()).toEqual([ALICE, GUEST]);
      expect(await notificationsOf(backend, 'bob')).toEqual([]);
    });

    it('updates the same notification when a re-run succeeds: ready again', async () => {
      sandbox.store.patch(REDIS, 'default', name, 'merge', {
        metadata: {
          annotations: { [SIMULATE]: null },
          labels: { [RERUN]: 'true' },
        },
      });
      await sent(uid, 'completed', 2);
      const message = redisStatus(name)?.message;
      expect(message).toMatch(/provisioned/);

      for (const user of ['alice', 'guest']) {
        const n = await theNotification(user, uid);
        expect(n.id).toBe(ids[user]);
        expect(n.payload).toMatchObject({
          title: `redis ${name} is ready again`,
          severity: 'normal',
          description: message,
          link: tabLink(name),
          topic: 'Resource ready',
          metadata: { event: 'completed', uid },
        });
      }
      await eventually(async () => {
        const delivered = deliveredEvents(deliveries, uid);
        return delivered[GUEST]?.length >= 3 && delivered[ALICE]?.length >= 3
          ? true
          : undefined;
      }, 'the recovery to be delivered');
      expect(deliveredEvents(deliveries, uid)).toEqual({
        [ALICE]: ['completed', 'failed', 'completed'],
        [GUEST]: ['completed', 'failed', 'completed'],
      });
      // One claim per transition, each sent.
      const claims = await backend
        .kratixDatabase('kratix_notification_claims')
        .where({ resource_uid: uid })
        .orderBy('id');
      expect(claims.map((c: { event_key: string }) => c.event_key)).toEqual([
        expect.stringMatching(/^completed\|/),
        expect.stringMatching(/^failed\|/),
        expect.stringMatching(/^completed\|/),
      ]);
      expect(claims[0].event_key).not.toBe(claims[2].event_key);
    });
  });

  it('tells nobody about a Resource whose link the platform does not confirm, while a confirmed one is told', async () => {
    const entity = await request(backend.server)
      .get('/api/catalog/entities/by-name/component/default/checkout-service')
      .set('Authorization', await backend.auth('alice'));
    expect(entity.status).toBe(200);
    const redis = (name: string, annotations: Record<string, string>) =>
      sandbox.store.create(REDIS, {
        apiVersion: 'marketplace.kratix.io/v1alpha1',
        kind: 'redis',
        metadata: { name, namespace: 'default', annotations },
        spec: { size: 'small' },
      }).metadata.uid as string;

    // Applied on the platform, not through Backstage: no requester recorded.
    // Names checkout-service, but recorded for another entity of that name; nobody vouches for it.
    const namedOnly = redis('named-only-cache', {
      'kratix.backstage.io/entity-ref': CHECKOUT,
      'kratix.backstage.io/entity-uid': 'uid-of-another-entity',
    });
    // Names no entity; the fixture entity cache-claimer (owned by team-checkout) claims it.
    const claimedOnly = redis('claimed-only-cache', {});
    // The control: the same as the first, with checkout-service's own uid recorded.
    const confirmed = redis('confirmed-cache', {
      'kratix.backstage.io/entity-ref': CHECKOUT,
      'kratix.backstage.io/entity-uid': entity.body.metadata.uid,
    });

    // The plugin says it found nobody to tell for the unconfirmed ones, and sent the control.
    await foundNoRecipient(namedOnly, 'completed');
    await foundNoRecipient(claimedOnly, 'completed');
    await sent(confirmed, 'completed');

    const scopes = (list: NotificationJson[]) => list.map(n => n.payload.scope);
    for (const user of ['alice', 'guest', 'bob', 'carol']) {
      const seen = scopes(await notificationsOf(backend, user));
      expect(seen).not.toContain(kratixScope(namedOnly));
      expect(seen).not.toContain(kratixScope(claimedOnly));
    }
    // The control went to checkout-service's owners (no requester), with the tab link.
    const control = await theNotification('guest', confirmed);
    expect(control.payload).toMatchObject({
      title: 'redis confirmed-cache is ready',
      link: tabLink('confirmed-cache'),
    });
    await eventually(
      async () =>
        deliveredEvents(deliveries, confirmed)[GUEST] ? true : undefined,
      'the control to be delivered',
    );
    expect(deliveredEvents(deliveries, confirmed)).toEqual({
      [GUEST]: ['completed'],
    });
    expect(deliveredEvents(deliveries, namedOnly)).toEqual({});
    expect(deliveredEvents(deliveries, claimedOnly)).toEqual({});
    expect(senderLogs(backend.logs, SENT, namedOnly)).toEqual([]);
    expect(senderLogs(backend.logs, SENT, claimedOnly)).toEqual([]);
  });
});
