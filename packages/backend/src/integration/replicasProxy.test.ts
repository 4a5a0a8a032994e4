/*
 * Two backend replicas of the app on one PostgreSQL server and one sandbox, behind a real
 * round-robin load balancer (Debian's HAProxy, started by the test on a free port with a generated
 * configuration): Backstage's way to scale (issue 28). Every request goes through the proxy, which
 * names the replica that answered in a response header. The replicas:
 *   - alternate, and answer reads alike;
 *   - both push a change to the event streams open on them;
 *   - record each condition transition, and tell each notification, exactly once;
 *   - run the Kratix catalog provider's full ingestion once per schedule slot (Backstage's
 *     scheduler and its lock in the shared catalog database);
 *   - and a restarted replica re-does none of the others' work.
 * The checks themselves (replicaChecks.ts) are shared with `yarn bench:replicas`.
 * Needs KRATIX_TEST_POSTGRES_URL (`./run test` and scripts/postgres.sh provide one) and HAProxy
 * (scripts/system-deps.sh installs it; it is not optional when PostgreSQL is there).
 */
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import {
  checkHistoryExactlyOnce,
  checkNoRedoAfterRestart,
  checkProviderOncePerSchedule,
  checkReadsAgree,
  checkStreamsOnEveryReplica,
} from './__testUtils__/replicaChecks';
import { startReplicaSet, type ReplicaSet } from './__testUtils__/replicaSet';
import { testPostgresUrl } from './__testUtils__/postgres';

jest.setTimeout(300_000);

const postgresUrl = testPostgresUrl(
  'two replicas behind a round-robin proxy integration test',
);

const NAME = 'proxied-cache';

(postgresUrl ? describe : describe.skip)(
  'two replicas on one PostgreSQL behind a round-robin proxy',
  () => {
    let sandbox: Sandbox;
    let set: ReplicaSet;
    /** The Resource requested through the proxy (history, then restart). */
    let uid: string;

    beforeAll(async () => {
      // Each pipeline step lasts over a second, as real ones do: condition times have a one-second
      // resolution, and the notifications tell transitions apart by their time.
      sandbox = await startSandbox({ stepDelayMs: 1100 });
      await sandbox.ready;
      set = await startReplicaSet({
        sandbox,
        postgresUrl: postgresUrl!,
        names: ['a', 'b'],
      });
    });

    afterAll(async () => {
      await set?.stop();
      await sandbox?.close();
    });

    it('alternates requests between the replicas, and reads through either agree', async () => {
      const { violations, evidence } = await checkReadsAgree(set);
      expect(violations).toEqual([]);
      // The proxy's own word on who answered: both, in turn.
      expect(new Set(evidence.served)).toEqual(new Set(['a', 'b']));
      expect(evidence.served.length).toBeGreaterThanOrEqual(8);
    });

    it('pushes a change to the open streams on both replicas', async () => {
      const { violations, evidence } = await checkStreamsOnEveryReplica(set);
      expect(violations).toEqual([]);
      expect(evidence.streams.map(s => s.replica).sort()).toEqual(['a', 'b']);
      expect(evidence.streams.every(s => s.received)).toBe(true);
    });

    it('records each condition transition and tells each notification exactly once', async () => {
      const { violations, evidence } = await checkHistoryExactlyOnce(set, NAME);
      expect(violations).toEqual([]);
      uid = evidence.uid!;
      expect(uid).toBeTruthy();
      // More than the final state: the transitions that led to it.
      expect(evidence.rows).toBeGreaterThan(evidence.transitions.length);
      expect(evidence.notifiedBy).toHaveLength(1);
    });

    it("runs the catalog provider's full ingestion once per schedule slot, on one replica at a time", async () => {
      const { violations, evidence } = await checkProviderOncePerSchedule(set);
      expect(violations).toEqual([]);
      expect(evidence.runsWithAllUp).toBeGreaterThanOrEqual(3);
      expect(
        Object.keys(evidence.byReplica).every(r => ['a', 'b'].includes(r)),
      ).toBe(true);
    });

    it("re-does none of the others' work after a restart", async () => {
      expect(uid).toBeTruthy();
      // The replica that ingested last goes; c starts on the same databases, as a restarted pod.
      const { violations, evidence } = await checkNoRedoAfterRestart(set, {
        uid,
        name: NAME,
        as: 'c',
      });
      expect(violations).toEqual([]);
      const stayed = evidence.stopped === 'a' ? 'b' : 'a';
      // The proxy alternates between the replica that stayed and the new one.
      expect(new Set(evidence.served)).toEqual(new Set([stayed, 'c']));
      expect(evidence.failedNotifiedBy).toHaveLength(1);
      expect([stayed, 'c']).toContain(evidence.failedNotifiedBy[0]);
      // Ingestion went on without the stopped replica, on the same schedule (checked above).
      const after = evidence.runsAfterRestart;
      expect((after[stayed] ?? 0) + (after.c ?? 0)).toBeGreaterThanOrEqual(1);
    });
  },
);
