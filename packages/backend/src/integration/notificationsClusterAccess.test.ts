/*
 * Notifications on a cluster that acts as each user (issues 25 and 26), on the real backend with
 * the real notifications backend, against a sandbox that enforces Kubernetes RBAC and is reached
 * with `auth.type: impersonate`. The cluster's RBAC holds for notifications as for reads: of the
 * recipients (the requester and the owners of the entity), only those the cluster lets `get` the
 * Resource are told, groups expanded to their members and each member asked about with a
 * SubjectAccessReview.
 *
 * The platform here grants team-checkout's redis access person by person: the seeded RoleBinding's
 * subject, the group backstage:team-checkout, is replaced by the user guest. Nina (a fixture user)
 * is on team-checkout in the catalog, so an owner of checkout-service, and has no grant. Alice
 * (team-platform) may do everything on the cluster.
 */
import type { Sandbox } from '@kratix-backstage/sandbox';
import path from 'node:path';
import request from 'supertest';
import {
  observeAccessReviews,
  requestLogRecordsOf,
  type AccessReviewObserver,
} from './__testUtils__/accessReviews';
import {
  ALICE,
  GUEST,
  requestCheckoutRedis,
} from './__testUtils__/checkoutRedis';
import {
  ACCESS_SECONDS,
  rbacCluster,
  ROLE_BINDINGS,
  startRbacSandbox,
} from './__testUtils__/clusterIdentity';
import {
  deliveredEvents,
  kratixScope,
  notificationsFeatures,
  notificationsOf,
  resourceNotificationsOf,
  SENT,
  senderLogs,
  type Delivery,
} from './__testUtils__/notifications';
import {
  eventually,
  startKratixTestBackend,
  waitForCatalogEntities,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(180_000);

/** Backstage's identity at the cluster: a static token for the seed's `kratix-backstage` user. */
const BACKSTAGE_TOKEN = 'notifications-cluster-access-backstage';
/** The seed's binding of the redis-requester Role in `default` (to backstage:team-checkout). */
const CHECKOUT_BINDING = 'team-checkout-redis';
const NINA = 'user:default/nina';

describe('Kratix notifications on a cluster that acts as each user', () => {
  let sandbox: Sandbox;
  let backend: KratixTestBackend;
  let accessReviews: AccessReviewObserver;
  const deliveries: Delivery[] = [];

  /** The platform team sets who, by user name, the redis-requester Role is bound to. */
  const grantRedisTo = (users: string[]) =>
    sandbox.store.patch(ROLE_BINDINGS, 'default', CHECKOUT_BINDING, 'merge', {
      subjects: users.map(name => ({
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'User',
        name,
      })),
    });

  beforeAll(async () => {
    sandbox = await startRbacSandbox(BACKSTAGE_TOKEN);
    grantRedisTo(['guest']);
    accessReviews = observeAccessReviews();
    backend = await startKratixTestBackend({
      cluster: rbacCluster(sandbox, BACKSTAGE_TOKEN),
      features: notificationsFeatures({ deliveries }),
      webSockets: true,
      extraLocations: [
        path.resolve(__dirname, '__fixtures__/notificationsClusterAccess.yaml'),
      ],
      extraConfig: {
        kratix: { cache: { clusterAccessSeconds: ACCESS_SECONDS } },
      },
    });
    // Nina must be among team-checkout's members, both ways, before anything is told: the
    // notifier expands the group from its hasMember relations, and asks about her with her
    // memberOf groups.
    await waitForCatalogEntities(
      backend,
      [['user/default/nina', ['group:default/team-checkout']]],
      'the fixture user',
    );
    await eventually(async () => {
      const res = await request(backend.server)
        .get('/api/catalog/entities/by-name/group/default/team-checkout')
        .set('Authorization', await backend.auth('alice'));
      const members = (res.body.relations ?? [])
        .filter((r: { type: string }) => r.type === 'hasMember')
        .map((r: { targetRef: string }) => r.targetRef);
      return members.includes(NINA) ? true : undefined;
    }, "team-checkout's hasMember relation to nina");
  });

  afterAll(async () => {
    accessReviews?.restore();
    await backend?.stop();
    await sandbox?.close();
  });

  /** Alice (team-platform: not an owner of checkout-service) requests a redis for it. */
  const requestRedis = (name: string) => requestCheckoutRedis(backend, name);

  /** Waits for the user's one notification of the Resource, as they read it through the API. */
  const arrives = (user: string, uid: string) =>
    eventually(async () => {
      const found = await resourceNotificationsOf(backend, user, uid);
      return found.length > 0 ? found : undefined;
    }, `${user}'s notification of ${uid}`);

  /** The reviews the backend asked about `user` getting the redis `name` in `default`. */
  const reviewsOf = (user: string, name: string) =>
    accessReviews.reviews.filter(
      r =>
        r.user === user &&
        r.resourceAttributes?.verb === 'get' &&
        r.resourceAttributes.group === 'marketplace.kratix.io' &&
        r.resourceAttributes.resource === 'redis' &&
        r.resourceAttributes.namespace === 'default' &&
        r.resourceAttributes.name === name,
    );

  describe('a Resource requested for checkout-service', () => {
    const name = 'access-checked-cache';
    let uid: string;

    it('tells the owners the cluster lets get it, and nothing to a member it does not', async () => {
      uid = await requestRedis(name);

      // The allowed member's notification arrives first...
      const [forGuest] = await arrives('guest', uid);
      expect(forGuest).toMatchObject({
        user: GUEST,
        origin: 'plugin:kratix',
        payload: {
          title: `redis ${name} is ready`,
          scope: kratixScope(uid),
          metadata: { event: 'completed', uid },
        },
      });
      // ...and the one send is over (it returns once every recipient's notification is stored).
      await eventually(async () => {
        const sent = senderLogs(backend.logs, SENT, uid, 'completed');
        return sent.length > 0 ? sent : undefined;
      }, 'the completion to be sent');

      // Then Nina, an owner by team, has nothing.
      expect(await notificationsOf(backend, 'nina')).toEqual([]);

      // Because the cluster said no when asked about her: a SubjectAccessReview for `get` on the
      // Resource, as nina with her team's group, answered not allowed...
      const aboutNina = reviewsOf('nina', name);
      expect(aboutNina).toContainEqual(
        expect.objectContaining({
          allowed: false,
          groups: ['backstage:team-checkout'],
        }),
      );
      expect(aboutNina.filter(r => r.allowed !== false)).toEqual([]);
      // ...made by Backstage's identity, as the sandbox's request log has the call.
      expect(requestLogRecordsOf(sandbox, aboutNina[0])).toContainEqual(
        expect.objectContaining({ user: 'kratix-backstage', allowed: true }),
      );
      // The guest was asked about the same way and allowed (the user binding).
      expect(reviewsOf('guest', name)).toContainEqual(
        expect.objectContaining({ allowed: true }),
      );

      await eventually(async () => {
        const delivered = deliveredEvents(deliveries, uid);
        return Object.keys(delivered).length >= 2 ? delivered : undefined;
      }, 'the deliveries to be processed');
      expect(deliveredEvents(deliveries, uid)).not.toHaveProperty(NINA);
    });

    it('tells its requester, whom the cluster lets get it', async () => {
      const [forAlice] = await arrives('alice', uid);
      expect(forAlice).toMatchObject({
        user: ALICE,
        payload: {
          title: `redis ${name} is ready`,
          scope: kratixScope(uid),
          metadata: { event: 'completed', uid },
        },
      });
      expect(reviewsOf('alice', name)).toContainEqual(
        expect.objectContaining({
          allowed: true,
          groups: ['backstage:team-platform'],
        }),
      );
      // Exactly the requester and the owner the cluster lets get it, once each.
      expect(deliveredEvents(deliveries, uid)).toEqual({
        [ALICE]: ['completed'],
        [GUEST]: ['completed'],
      });
    });
  });

  it('tells the same member once the platform grants them the Resource', async () => {
    // The control: only the cluster's RBAC changes, and Nina is told of the next Resource.
    grantRedisTo(['guest', 'nina']);
    const name = 'granted-cache';
    const uid = await requestRedis(name);
    const [forNina] = await arrives('nina', uid);
    expect(forNina.payload).toMatchObject({
      title: `redis ${name} is ready`,
      metadata: { event: 'completed', uid },
    });
    expect(reviewsOf('nina', name)).toContainEqual(
      expect.objectContaining({ allowed: true }),
    );
    await eventually(async () => {
      const delivered = deliveredEvents(deliveries, uid);
      return Object.keys(delivered).length >= 3 ? delivered : undefined;
    }, 'the deliveries to be processed');
    expect(deliveredEvents(deliveries, uid)).toEqual({
      [ALICE]: ['completed'],
      [GUEST]: ['completed'],
      [NINA]: ['completed'],
    });
  });
});
