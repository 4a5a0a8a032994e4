/*
 * The stuck reminder (kratix.notifications.stuckAfterMinutes, off by default), on Backstage's real
 * scheduler: a Resource whose workflow is held running (the sandbox's slow pipeline, waiting on a
 * FIFO the test releases) gets exactly one "still not ready" notification for its requester and
 * owners however often the check runs, replaced in place by "is ready" when it completes. A second
 * backend on the same platform with the default config sees the same Resource and sends no reminder.
 */
import type { Sandbox } from '@kratix-backstage/sandbox';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ALICE, CHECKOUT, GUEST, REDIS } from './__testUtils__/checkoutRedis';
import {
  conditionOf,
  deliveredEvents,
  kratixScope,
  notificationsFeatures,
  notificationsOf,
  observedScheduler,
  resourceNotificationsOf,
  SENT,
  senderLogs,
  untilObject,
  type Delivery,
  type ObservedScheduler,
} from './__testUtils__/notifications';
import { startPromisesOnlySandbox } from './__testUtils__/promisesOnlySandbox';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(180_000);

const STUCK_TASK = 'kratix-notifications-stuck';
const NAME = 'held-cache';
const tabLink = `/catalog/default/component/checkout-service/kratix?resource=sandbox%2Fdefault%2Fredis%2F${NAME}`;

describe('Kratix stuck reminders', () => {
  let dir: string;
  let fifo: string;
  let sandbox: Sandbox;
  /** kratix.notifications.stuckAfterMinutes: 0.05 (3 s; checked every 1.5 s). */
  let reminding: KratixTestBackend;
  /** The default config: no stuckAfterMinutes. */
  let standard: KratixTestBackend;
  const schedulers = {
    reminding: observedScheduler(),
    standard: observedScheduler(),
  };
  const deliveries: Delivery[] = [];
  const deliveredBy = (replica: string, uid: string) =>
    deliveredEvents(
      deliveries.filter(d => d.replica === replica),
      uid,
    );
  const stuckRuns = (scheduler: ObservedScheduler) =>
    scheduler.runs('kratix', STUCK_TASK);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kratix-stuck-test-'));
    fifo = path.join(dir, 'hold');
    await promisify(execFile)('mkfifo', [fifo]);
    // Only the Destinations and Promises: no seeded Resource waits on the FIFO but the test's own.
    sandbox = await startPromisesOnlySandbox({
      stepDelayMs: 20,
      pipelineEnv: { KRATIX_SANDBOX_SLOW_PIPELINE_FIFO: fifo },
    });
    const start = (replica: 'reminding' | 'standard', extraConfig = {}) =>
      startKratixTestBackend({
        cluster: sandbox,
        features: [
          schedulers[replica].feature,
          ...notificationsFeatures({ deliveries, replica }),
        ],
        webSockets: true,
        extraConfig,
      });
    reminding = await start('reminding', {
      kratix: { notifications: { stuckAfterMinutes: 0.05 } },
    });
    standard = await start('standard');
  });

  afterAll(async () => {
    await reminding?.stop();
    await standard?.stop();
    // A run still held would wait on the FIFO for ever: the sandbox kills it on close.
    await sandbox?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reminds the requester and the owners once while the workflow runs, then tells them it is ready in the same notification', async () => {
    // Alice asked for it; the platform binds it to checkout-service (its owner annotation: the
    // same in both backends, whose catalogs give the entity different uids). Its pipeline waits on
    // the FIFO.
    const uid = sandbox.store.create(REDIS, {
      apiVersion: 'marketplace.kratix.io/v1alpha1',
      kind: 'redis',
      metadata: {
        name: NAME,
        namespace: 'default',
        annotations: {
          'kratix.backstage.io/requested-by': ALICE,
          'kratix.backstage.io/entity-ref': CHECKOUT,
          'kratix.backstage.io/owner': 'team-checkout',
          'sandbox.kratix.io/simulate': 'slow',
        },
      },
      spec: { size: 'small' },
    }).metadata.uid as string;
    const inProgress = () =>
      conditionOf(
        sandbox.store.get(REDIS, 'default', NAME),
        'ConfigureWorkflowCompleted',
      )?.reason === 'PipelinesInProgress';
    await untilObject(sandbox, REDIS, 'default', NAME, () => inProgress());

    const [stuck] = await eventually(async () => {
      const lines = senderLogs(reminding.logs, SENT, uid, 'stuck');
      return lines.length > 0 ? lines : undefined;
    }, 'the stuck reminder to be sent');
    expect(stuck.meta.scope).toBe(kratixScope(uid));
    // The check runs twice more while the workflow is still held: no second reminder.
    const runs = stuckRuns(schedulers.reminding);
    await eventually(
      async () =>
        stuckRuns(schedulers.reminding) >= runs + 2 ? true : undefined,
      'two more runs of the stuck check',
    );
    expect(inProgress()).toBe(true);
    expect(senderLogs(reminding.logs, SENT, uid)).toHaveLength(1);
    await eventually(async () => {
      const byUser = deliveredBy('reminding', uid);
      return byUser[ALICE] && byUser[GUEST] ? true : undefined;
    }, 'the reminder to be delivered');
    expect(deliveredBy('reminding', uid)).toEqual({
      [ALICE]: ['stuck'],
      [GUEST]: ['stuck'],
    });
    const ids: Record<string, string> = {};
    for (const user of ['alice', 'guest']) {
      const found = await resourceNotificationsOf(reminding, user, uid);
      expect(found).toHaveLength(1);
      ids[user] = found[0].id;
      expect(found[0].payload).toMatchObject({
        severity: 'normal',
        topic: 'Still not ready',
        link: tabLink,
        metadata: { event: 'stuck', uid, promise: 'redis', name: NAME },
      });
      expect(found[0].payload.title).toMatch(
        new RegExp(`^redis ${NAME} is still not ready after 3 seconds$`),
      );
    }
    // Nobody else.
    for (const user of ['bob', 'carol']) {
      expect(await notificationsOf(reminding, user)).toEqual([]);
    }
    // The backend with the default config saw the same Resource held as long, and has no reminder
    // to run at all.
    expect(schedulers.standard.scheduled).not.toContain(`kratix/${STUCK_TASK}`);
    expect(schedulers.reminding.scheduled).toContain(`kratix/${STUCK_TASK}`);
    expect(senderLogs(standard.logs, SENT, uid)).toEqual([]);

    // Released: the workflow completes (and its Works are placed).
    await writeFile(fifo, 'go\n');
    await untilObject(
      sandbox,
      REDIS,
      'default',
      NAME,
      o =>
        conditionOf(o, 'ConfigureWorkflowCompleted')?.status === 'True' &&
        conditionOf(o, 'WorksSucceeded')?.status === 'True',
    );
    for (const backend of [reminding, standard]) {
      await eventually(async () => {
        const lines = senderLogs(backend.logs, SENT, uid, 'completed');
        return lines.length > 0 ? lines : undefined;
      }, 'the completion to be sent');
    }
    // The reminder is replaced in place: the same notification, now ready.
    for (const user of ['alice', 'guest']) {
      const found = await resourceNotificationsOf(reminding, user, uid);
      expect(found).toHaveLength(1);
      expect(found[0].id).toBe(ids[user]);
      expect(found[0].payload).toMatchObject({
        title: `redis ${NAME} is ready`,
        severity: 'normal',
        topic: 'Resource ready',
        link: tabLink,
        metadata: { event: 'completed', uid },
      });
    }
    // A ready Resource is not reminded of: the check runs twice more, and sends nothing.
    const after = stuckRuns(schedulers.reminding);
    await eventually(
      async () =>
        stuckRuns(schedulers.reminding) >= after + 2 ? true : undefined,
      'two more runs of the stuck check after completion',
    );
    expect(
      senderLogs(reminding.logs, SENT, uid).map(l => l.meta.event),
    ).toEqual(['stuck', 'completed']);
    await eventually(async () => {
      const byUser = deliveredBy('reminding', uid);
      return byUser[ALICE]?.length >= 2 && byUser[GUEST]?.length >= 2
        ? true
        : undefined;
    }, 'the completion to be delivered');
    expect(deliveredBy('reminding', uid)).toEqual({
      [ALICE]: ['stuck', 'completed'],
      [GUEST]: ['stuck', 'completed'],
    });
    const claims = (await reminding
      .kratixDatabase('kratix_notification_claims')
      .where({ resource_uid: uid })
      .orderBy('id')) as Array<{ event_key: string; sent: boolean }>;
    expect(claims.map(c => [c.event_key, Boolean(c.sent)])).toEqual([
      [expect.stringMatching(/^stuck\|ConfigureWorkflowCompleted\|/), true],
      [expect.stringMatching(/^completed\|/), true],
    ]);

    // Default config: the ready notification arrived, and no reminder before it.
    expect(senderLogs(standard.logs, SENT, uid).map(l => l.meta.event)).toEqual(
      ['completed'],
    );
    await eventually(async () => {
      const byUser = deliveredBy('standard', uid);
      return byUser[ALICE] && byUser[GUEST] ? true : undefined;
    }, 'the default backend to deliver the completion');
    expect(deliveredBy('standard', uid)).toEqual({
      [ALICE]: ['completed'],
      [GUEST]: ['completed'],
    });
    for (const user of ['alice', 'guest']) {
      const found = await resourceNotificationsOf(standard, user, uid);
      expect(found.map(n => n.payload.title)).toEqual([
        `redis ${NAME} is ready`,
      ]);
    }
  });
});
