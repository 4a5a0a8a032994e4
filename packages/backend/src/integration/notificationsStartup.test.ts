/*
 * Kratix notifications catch up at startup: with every replica stopped, Resources change on the
 * platform (a re-run completes, a new Resource completes); a replica started on the same PostgreSQL
 * tells each of those transitions exactly once without waiting for the Resource's next change,
 * while a transition told before the restart is found claimed and not told again.
 * Needs KRATIX_TEST_POSTGRES_URL (`./run test` and scripts/postgres.sh provide one).
 */
import type { Sandbox } from '@kratix-backstage/sandbox';
import crypto from 'node:crypto';
import {
  ALICE,
  GUEST,
  REDIS,
  requestCheckoutRedis,
} from './__testUtils__/checkoutRedis';
import {
  ALREADY_CLAIMED,
  configureCompleted,
  conditionOf,
  deliveredEvents,
  notificationsFeatures,
  resourceNotificationsOf,
  SENT,
  senderLogs,
  untilObject,
  untilSenderLogs,
  type Delivery,
} from './__testUtils__/notifications';
import { dropDatabases, testPostgresUrl } from './__testUtils__/postgres';
import { startPromisesOnlySandbox } from './__testUtils__/promisesOnlySandbox';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(240_000);

const postgresUrl = testPostgresUrl(
  'notifications catch-up at startup integration test',
);

const RERUN = 'kratix.io/manual-reconciliation';

(postgresUrl ? describe : describe.skip)(
  'Kratix notifications of transitions made while no replica ran',
  () => {
    const prefix = `kratix_it_${crypto.randomBytes(4).toString('hex')}_`;
    let sandbox: Sandbox;
    const running = new Set<KratixTestBackend>();
    const deliveries: Delivery[] = [];

    const start = async (replica: string) => {
      const backend = await startKratixTestBackend({
        cluster: sandbox,
        database: { client: 'pg', connection: postgresUrl!, prefix },
        features: notificationsFeatures({ deliveries, replica }),
        webSockets: true,
      });
      running.add(backend);
      return backend;
    };
    const stop = async (backend: KratixTestBackend) => {
      running.delete(backend);
      await backend.stop();
    };

    beforeAll(async () => {
      // Only the Destinations and Promises: no seeded Resource runs (the seed's slow one would keep
      // the platform busy for an hour), so the test can wait for the platform to be idle.
      // Each pipeline run lasts over a second: a condition's time has a one-second resolution, and
      // a re-run's transition is told apart from the previous one by its time.
      sandbox = await startPromisesOnlySandbox({ stepDelayMs: 1100 });
    });

    afterAll(async () => {
      await Promise.all([...running].map(b => b.stop()));
      await sandbox?.close();
      await dropDatabases(postgresUrl!, prefix);
    });

    it('tells a transition made while every replica was down once at startup, and nothing told before', async () => {
      const a = await start('a');
      /** A redis alice asks for through Backstage, for checkout-service (guest's team owns it). */
      const requestRedis = async (name: string) => {
        const uid = await requestCheckoutRedis(a, name);
        await untilSenderLogs(a.logs, SENT, uid, 'completed');
        return uid;
      };
      // rerun: completes again while no replica runs; told: left as it is, told before.
      const rerun = await requestRedis('rerun-cache');
      const told = await requestRedis('told-cache');
      const [rerunFirst] = senderLogs(a.logs, SENT, rerun, 'completed');
      const [toldKey] = senderLogs(a.logs, SENT, told, 'completed').map(l =>
        String(l.meta.eventKey),
      );
      const firstTransition = conditionOf(
        sandbox.store.get(REDIS, 'default', 'rerun-cache'),
        'ConfigureWorkflowCompleted',
      )?.lastTransitionTime;
      expect(firstTransition).toBeTruthy();

      // Every replica goes.
      await stop(a);

      // While none runs: rerun-cache runs its workflow again and completes (a new transition), and
      // a Resource applied on the platform (alice recorded as its requester) completes for the first
      // time.
      sandbox.store.patch(REDIS, 'default', 'rerun-cache', 'merge', {
        metadata: { labels: { [RERUN]: 'true' } },
      });
      const newcomer = sandbox.store.create(REDIS, {
        apiVersion: 'marketplace.kratix.io/v1alpha1',
        kind: 'redis',
        metadata: {
          name: 'newcomer-cache',
          namespace: 'default',
          annotations: { 'kratix.backstage.io/requested-by': ALICE },
        },
        spec: { size: 'small' },
      }).metadata.uid as string;
      await untilObject(sandbox, REDIS, 'default', 'rerun-cache', o =>
        configureCompleted(o, firstTransition),
      );
      await untilObject(sandbox, REDIS, 'default', 'newcomer-cache', o =>
        configureCompleted(o),
      );
      // Nothing changes on the platform from here on: whatever the next replica tells, it learns
      // by looking at the Resources when it starts.
      await sandbox.emulator.idle();
      const versions = () =>
        ['rerun-cache', 'told-cache', 'newcomer-cache'].map(
          name =>
            sandbox.store.get(REDIS, 'default', name)?.metadata.resourceVersion,
        );
      const before = versions();

      const b = await start('b');
      const sentByB = (uid: string) =>
        untilSenderLogs(b.logs, SENT, uid, 'completed');
      const [rerunAgain] = await sentByB(rerun);
      await sentByB(newcomer);
      // And it looked at the Resource told before, and found its transition claimed.
      const toldSeen = await untilSenderLogs(
        b.logs,
        ALREADY_CLAIMED,
        told,
        'completed',
      );
      expect(toldSeen.map(l => l.meta.eventKey)).toEqual([toldKey]);
      expect(versions()).toEqual(before);

      // The re-run is a new transition, told as such; nothing b told was told before.
      expect(rerunAgain.meta.eventKey).not.toBe(rerunFirst.meta.eventKey);
      expect(senderLogs(b.logs, SENT, told)).toEqual([]);
      expect(senderLogs(b.logs, SENT, rerun).map(l => l.meta.eventKey)).toEqual(
        [rerunAgain.meta.eventKey],
      );
      expect(senderLogs(b.logs, SENT, newcomer)).toHaveLength(1);

      // Delivered exactly once each, to the same people as before.
      await eventually(async () => {
        const byUser = deliveredEvents(deliveries, rerun);
        return byUser[ALICE]?.length >= 2 &&
          byUser[GUEST]?.length >= 2 &&
          deliveredEvents(deliveries, newcomer)[ALICE]
          ? true
          : undefined;
      }, 'the deliveries of what b told');
      expect(deliveredEvents(deliveries, rerun)).toEqual({
        [ALICE]: ['completed', 'completed'],
        [GUEST]: ['completed', 'completed'],
      });
      expect(deliveredEvents(deliveries, told)).toEqual({
        [ALICE]: ['completed'],
        [GUEST]: ['completed'],
      });
      // The requester only: no entity owns what was applied on the platform.
      expect(deliveredEvents(deliveries, newcomer)).toEqual({
        [ALICE]: ['completed'],
      });
      // Which replica delivered what.
      const replicaOf = (uid: string) =>
        deliveries
          .filter(d => d.notification.payload.metadata?.uid === uid)
          .map(d => d.replica);
      expect(replicaOf(rerun)).toEqual(['a', 'a', 'b', 'b']);
      expect(replicaOf(told)).toEqual(['a', 'a']);
      expect(replicaOf(newcomer)).toEqual(['b']);

      // Each user has one notification per Resource, the re-run's updated in place.
      for (const user of ['alice', 'guest']) {
        const [n] = await resourceNotificationsOf(b, user, rerun);
        expect(n.payload).toMatchObject({
          title: 'redis rerun-cache is ready again',
          severity: 'normal',
        });
        expect(await resourceNotificationsOf(b, user, rerun)).toHaveLength(1);
      }
      expect(await resourceNotificationsOf(b, 'alice', newcomer)).toEqual([
        expect.objectContaining({
          payload: expect.objectContaining({
            title: 'redis newcomer-cache is ready',
            link: '/kratix/resources/sandbox/default/redis/newcomer-cache',
          }),
        }),
      ]);

      // One claim per transition in the shared database, each sent.
      const claims = (await b
        .kratixDatabase('kratix_notification_claims')
        .whereIn('resource_uid', [rerun, told, newcomer])
        .orderBy('id')) as Array<{
        resource_uid: string;
        event_key: string;
        sent: boolean;
      }>;
      const rows = claims.map(c => [
        c.resource_uid,
        c.event_key,
        Boolean(c.sent),
      ]);
      expect(rows).toHaveLength(4);
      expect(rows).toEqual(
        expect.arrayContaining([
          [rerun, rerunFirst.meta.eventKey, true],
          [told, toldKey, true],
          [rerun, rerunAgain.meta.eventKey, true],
          [newcomer, expect.stringMatching(/^completed\|/), true],
        ]),
      );
    });
  },
);
