/*
 * Kratix notifications with several backend replicas, as production runs them: two replicas on one
 * PostgreSQL, each with the Kratix plugin, the notifications backend and the signals backend, all
 * watching one sandbox platform. Each transition is notified exactly once, whichever replica claims
 * it; a replica started again (same database) sends nothing for transitions already told, and the
 * next transition is still told exactly once.
 * Needs KRATIX_TEST_POSTGRES_URL (`./run test` and scripts/postgres.sh provide one).
 */
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import crypto from 'node:crypto';
import {
  ALICE,
  GUEST,
  REDIS,
  requestCheckoutRedis,
} from './__testUtils__/checkoutRedis';
import {
  ALREADY_CLAIMED,
  deliveredEvents,
  notificationsFeatures,
  resourceNotificationsOf,
  SENT,
  senderLogs,
  type Delivery,
} from './__testUtils__/notifications';
import { dropDatabases, testPostgresUrl } from './__testUtils__/postgres';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
  type LogEntry,
} from './__testUtils__/testBackend';

jest.setTimeout(240_000);

const postgresUrl = testPostgresUrl(
  'multi-replica notifications integration test',
);

const NAME = 'replicated-cache';

interface Replica {
  name: string;
  backend: KratixTestBackend;
}

/** The log lines of the sender deciding one event: sent, or found already claimed. */
const outcomes = (logs: LogEntry[], uid: string, event: string) => [
  ...senderLogs(logs, SENT, uid, event),
  ...senderLogs(logs, ALREADY_CLAIMED, uid, event),
];
const keysOf = (lines: LogEntry[]) => lines.map(l => String(l.meta.eventKey));
/** Every transition a replica sent, of any Resource: `<uid> <event key>`. */
const sentBy = (replica: { backend: KratixTestBackend }) =>
  replica.backend.logs
    .filter(l => l.message === SENT)
    .map(l => `${l.meta.resourceUid} ${l.meta.eventKey}`);

(postgresUrl ? describe : describe.skip)(
  'Kratix notifications from replicas on one PostgreSQL',
  () => {
    const prefix = `kratix_it_${crypto.randomBytes(4).toString('hex')}_`;
    let sandbox: Sandbox;
    /** Every replica started, stopped ones included (their logs stay readable). */
    const replicas: Replica[] = [];
    const running = new Set<Replica>();
    /** What the notifications backends of all replicas delivered, tagged with the replica. */
    const deliveries: Delivery[] = [];
    let uid: string;
    /** The event key of the failure (test 1), seen again after the restart (test 2). */
    let failed: string;

    const start = async (name: string) => {
      const replica = {
        name,
        backend: await startKratixTestBackend({
          cluster: sandbox,
          database: { client: 'pg', connection: postgresUrl!, prefix },
          // Each replica's own notifications backend, on the same database as the others'.
          features: notificationsFeatures({ deliveries, replica: name }),
          webSockets: true,
        }),
      };
      replicas.push(replica);
      running.add(replica);
      return replica;
    };

    beforeAll(async () => {
      // Each pipeline run lasts over a second, as real ones do: Kubernetes condition times have a
      // one-second resolution, and a transition is told apart from the previous one by its time.
      sandbox = await startSandbox({ stepDelayMs: 1100 });
      await sandbox.ready;
      // One after the other, as a rolling deployment would (the first one creates the databases).
      await start('a');
      await start('b');
    });

    afterAll(async () => {
      await Promise.all([...running].map(r => r.backend.stop()));
      await sandbox?.close();
      await dropDatabases(postgresUrl!, prefix);
    });

    /**
     * Waits until every running replica has decided the `n`th transition of `event` (sent it, or
     * found it claimed), then checks that exactly one replica, of all ever started, sent it and
     * the others lost the claim to it; returns its event key.
     */
    const decidedOnce = async (event: string, n: number) => {
      const current = [...running];
      const key = await eventually(async () => {
        const decided = current.map(r =>
          keysOf(outcomes(r.backend.logs, uid, event)),
        );
        // Keys end with the transition time: sorted, the nth is the nth transition.
        const nth = [...new Set(decided.flat())].sort()[n - 1];
        return nth && decided.every(k => k.includes(nth)) ? nth : undefined;
      }, `every replica to decide transition ${n} of "${event}"`);
      const senders = replicas.filter(r =>
        keysOf(senderLogs(r.backend.logs, SENT, uid, event)).includes(key),
      );
      expect(senders).toHaveLength(1);
      // Each of the others lost the claim to it.
      for (const r of current.filter(c => c !== senders[0])) {
        expect(
          keysOf(senderLogs(r.backend.logs, ALREADY_CLAIMED, uid, event)),
        ).toContain(key);
      }
      return key;
    };

    /** Waits for the deliveries of the Resource to reach `events` for both users, then compares. */
    const expectDelivered = async (events: string[]) => {
      await eventually(async () => {
        const byUser = deliveredEvents(deliveries, uid);
        return byUser[ALICE]?.length >= events.length &&
          byUser[GUEST]?.length >= events.length
          ? true
          : undefined;
      }, `deliveries of ${events.join(', ')}`);
      expect(deliveredEvents(deliveries, uid)).toEqual({
        [ALICE]: events,
        [GUEST]: events,
      });
    };

    /** Both users' one notification of the Resource, read through every running replica. */
    const expectNotification = async (title: string, severity: string) => {
      const ids = new Set<string>();
      for (const { backend } of running) {
        for (const user of ['alice', 'guest']) {
          const found = await resourceNotificationsOf(backend, user, uid);
          expect(found).toHaveLength(1);
          expect(found[0].payload).toMatchObject({ title, severity });
          ids.add(`${user}:${found[0].id}`);
        }
      }
      // The same two notifications, whichever replica is asked.
      expect(ids.size).toBe(2);
    };

    /** The Resource's claims, read from a replica's plugin database. */
    const claims = async (replica = replicas[0]) =>
      (await replica.backend
        .kratixDatabase('kratix_notification_claims')
        .where({ resource_uid: uid })
        .orderBy('id')) as Array<{ event_key: string; sent: boolean }>;

    it('sends each transition exactly once, whichever replica claims it', async () => {
      const [a, b] = replicas;
      uid = await requestCheckoutRedis(a.backend, NAME);

      const completed = await decidedOnce('completed', 1);
      // One claim, the same one in both replicas' database.
      expect(await claims(a)).toEqual([
        expect.objectContaining({ event_key: completed, sent: true }),
      ]);
      expect(await claims(b)).toEqual(await claims(a));
      await expectDelivered(['completed']);
      await expectNotification(`redis ${NAME} is ready`, 'normal');

      // The workflow runs again and fails (the sandbox's redis pipeline exits 1 on the annotation).
      sandbox.store.patch(REDIS, 'default', NAME, 'merge', {
        metadata: {
          annotations: { 'sandbox.kratix.io/simulate': 'fail' },
          labels: { 'kratix.io/manual-reconciliation': 'true' },
        },
      });
      failed = await decidedOnce('failed', 1);
      await expectDelivered(['completed', 'failed']);
      await expectNotification(
        `redis ${NAME} failed in pipeline instance-configure`,
        'high',
      );

      expect(await claims()).toEqual([
        expect.objectContaining({ event_key: completed, sent: true }),
        expect.objectContaining({ event_key: failed, sent: true }),
      ]);
    });

    it('sends nothing again from a restarted replica, and the next transition once', async () => {
      const [a, b] = replicas;
      // Replica b goes; c starts on the same database, as a restarted pod would. The transitions
      // it sees are seconds old, well within kratix.notifications.maxTransitionAgeMinutes: only
      // the claims keep it from telling them again.
      await b.backend.stop();
      running.delete(b);
      // Every transition of any Resource that a or b told.
      const toldBefore = new Set([a, b].flatMap(sentBy));
      expect(toldBefore.size).toBeGreaterThanOrEqual(2);
      const c = await start('c');

      // A change that is no transition (an annotation; no re-run): c sees the Resource again, with
      // its failure, and finds that transition claimed.
      sandbox.store.patch(REDIS, 'default', NAME, 'merge', {
        metadata: { annotations: { 'example.com/touched': 'by the test' } },
      });
      await eventually(
        async () =>
          keysOf(
            senderLogs(c.backend.logs, ALREADY_CLAIMED, uid, 'failed'),
          ).includes(failed)
            ? true
            : undefined,
        'the restarted replica to find the failure claimed',
      );
      expect(senderLogs(c.backend.logs, SENT, uid)).toEqual([]);
      expect(sentBy(c).filter(sent => toldBefore.has(sent))).toEqual([]);
      // Nothing more was delivered.
      await expectDelivered(['completed', 'failed']);

      // The next transition: a re-run that succeeds.
      sandbox.store.patch(REDIS, 'default', NAME, 'merge', {
        metadata: {
          annotations: { 'sandbox.kratix.io/simulate': null },
          labels: { 'kratix.io/manual-reconciliation': 'true' },
        },
      });
      const again = await decidedOnce('completed', 2);
      await expectDelivered(['completed', 'failed', 'completed']);
      await expectNotification(`redis ${NAME} is ready again`, 'normal');
      // Of this Resource, c sent the new transition at most (when it won the claim), and it
      // repeated nothing a or b had told.
      for (const key of keysOf(senderLogs(c.backend.logs, SENT, uid))) {
        expect(key).toBe(again);
      }
      expect(sentBy(c).filter(sent => toldBefore.has(sent))).toEqual([]);
      const rows = await claims();
      expect(rows.map(r => r.event_key)).toEqual([
        expect.stringMatching(/^completed\|/),
        expect.stringMatching(/^failed\|/),
        again,
      ]);
      expect(rows.every(r => r.sent)).toBe(true);
    });
  },
);
