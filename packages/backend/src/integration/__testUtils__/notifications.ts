/*
 * Backstage's notifications for integration tests: the notifications backend and the signals backend
 * (which delivers them live), both as the app runs them, plus
 *  - a notifications processor that records every notification the notifications backend delivers,
 *    one per recipient, as an email or Slack module would receive it (what the sender's own logs say
 *    it did is not proof of what was delivered);
 *  - a reader of one user's notifications through the notifications backend's own HTTP API, with
 *    that user's token;
 *  - a user's signals connection, opened as the app's signals client opens it.
 * The signals backend needs WebSocket routing: start the backend with `webSockets: true`.
 */
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  type BackendFeature,
  type DatabaseService,
  type SchedulerService,
} from '@backstage/backend-plugin-api';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import { DefaultSchedulerService } from '@backstage/backend-defaults/scheduler';
import type { KubeObject, Sandbox, TypeKey } from '@kratix-backstage/sandbox';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import notificationsBackend from '@backstage/plugin-notifications-backend';
import {
  notificationsProcessingExtensionPoint,
  type NotificationProcessor,
} from '@backstage/plugin-notifications-node';
import signalsBackend from '@backstage/plugin-signals-backend';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import {
  eventually,
  type KratixTestBackend,
  type LogEntry,
  type TestUser,
} from './testBackend';

/** A notification as the notifications backend stores it for one user. */
export type Notification = Parameters<
  NonNullable<NotificationProcessor['postProcess']>
>[0];

/** The same, as its HTTP API answers it (dates as strings). */
export interface NotificationJson {
  id: string;
  user: string | null;
  origin: string;
  created: string;
  updated?: string;
  read?: string | null;
  payload: {
    title: string;
    description?: string;
    link?: string;
    severity?: string;
    topic?: string;
    scope?: string;
    metadata?: Record<string, unknown>;
  };
}

/** One delivery the recorder saw: which backend (replica) delivered it, and to whom. */
export interface Delivery {
  replica: string;
  notification: Notification;
}

/**
 * The notifications and signals backends, and a processor appending each delivery to `deliveries`
 * (share one array between replicas to count deliveries across them).
 */
export function notificationsFeatures(options: {
  deliveries: Delivery[];
  replica?: string;
}): BackendFeature[] {
  const replica = options.replica ?? 'backend';
  const recorder: NotificationProcessor = {
    getName: () => `integration-test-recorder-${replica}`,
    // Called once per recipient after the notification is stored (or updated in place).
    async postProcess(notification) {
      options.deliveries.push({ replica, notification });
    },
  };
  return [
    // The real events service: the test backend's mock gives each plugin a bus of its own, so the
    // notifications backend's signals would never reach the signals backend.
    eventsServiceFactory,
    signalsBackend,
    notificationsBackend,
    createBackendModule({
      pluginId: 'notifications',
      moduleId: `integration-test-recorder-${replica}`,
      register(reg) {
        reg.registerInit({
          deps: { processing: notificationsProcessingExtensionPoint },
          async init({ processing }) {
            processing.addProcessor(recorder);
          },
        });
      },
    }),
  ];
}

/** The scope the Kratix plugin gives a Resource's notification (contract: one per Resource). */
export function kratixScope(uid: string, cluster = 'sandbox'): string {
  return `kratix-resource:${cluster}/${uid}`;
}

/** Every notification `user` has, read through the notifications backend's API as that user. */
export async function notificationsOf(
  backend: KratixTestBackend,
  user: TestUser,
): Promise<NotificationJson[]> {
  const res = await request(backend.server)
    .get('/api/notifications/notifications')
    .query({ limit: 1000 })
    .set('Authorization', await backend.auth(user));
  if (res.status !== 200) {
    throw new Error(
      `Notifications of ${user}: ${res.status} ${JSON.stringify(res.body)}`,
    );
  }
  expect(res.body.totalCount).toBe(res.body.notifications.length);
  return res.body.notifications;
}

/** The notifications `user` has for one Resource (its scope). */
export async function resourceNotificationsOf(
  backend: KratixTestBackend,
  user: TestUser,
  uid: string,
): Promise<NotificationJson[]> {
  return (await notificationsOf(backend, user)).filter(
    n => n.payload.scope === kratixScope(uid),
  );
}

/** Marks notifications read as `user`, through the API (as the notifications page does). */
export async function markRead(
  backend: KratixTestBackend,
  user: TestUser,
  ids: string[],
): Promise<void> {
  const res = await request(backend.server)
    .post('/api/notifications/notifications/update')
    .set('Authorization', await backend.auth(user))
    .send({ ids, read: true });
  if (res.status !== 200) {
    throw new Error(`Marking read: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

/** The Kratix sender's log lines (contract: debug, with `event` and `resourceUid`). */
export const SENT = 'Sent Kratix notification';
export const ALREADY_CLAIMED = 'Kratix notification already claimed';

/** The backend's log lines `message` about one Resource, optionally of one event. */
export function senderLogs(
  logs: LogEntry[],
  message: string,
  uid: string,
  event?: string,
): LogEntry[] {
  return logs.filter(
    e =>
      e.message === message &&
      e.meta.resourceUid === uid &&
      (event === undefined || e.meta.event === event),
  );
}

/** Waits until the backend has logged `message` about the Resource's `event` `n` times; those lines. */
export function untilSenderLogs(
  logs: LogEntry[],
  message: string,
  uid: string,
  event: string,
  n = 1,
): Promise<LogEntry[]> {
  return eventually(async () => {
    const lines = senderLogs(logs, message, uid, event);
    return lines.length >= n ? lines : undefined;
  }, `"${message}" (${n}) of "${event}" for ${uid}`);
}

/** The events (metadata.event) delivered to each user for one Resource, in order. */
export function deliveredEvents(
  deliveries: Delivery[],
  uid: string,
): Record<string, string[]> {
  const byUser: Record<string, string[]> = {};
  for (const { notification } of deliveries) {
    if (notification.payload.scope !== kratixScope(uid)) continue;
    const user = notification.user ?? '(broadcast)';
    (byUser[user] ??= []).push(
      String(notification.payload.metadata?.event ?? '?'),
    );
  }
  return byUser;
}

/** A user's live signals: what the signals backend pushed on one channel. */
export interface SignalsConnection {
  /** Every message received on the channel so far. */
  messages: Array<Record<string, unknown>>;
  /** Waits for a message matching `predicate` (already received ones count). */
  next(
    predicate: (message: Record<string, unknown>) => boolean,
    what: string,
  ): Promise<Record<string, unknown>>;
  close(): void;
}

/**
 * Opens `/api/signals` as `user` (the token as the WebSocket sub-protocol, as the app's signals
 * client sends it) and subscribes to `channel`; resolves once the signals backend logged the
 * subscription, so nothing sent afterwards can be missed.
 */
export async function openSignals(
  backend: KratixTestBackend,
  user: TestUser,
  channel: string,
): Promise<SignalsConnection> {
  const { port } = backend.server.address() as AddressInfo;
  const socket = new WebSocket(`ws://localhost:${port}/api/signals`, [
    await backend.token(user),
  ]);
  const messages: Array<Record<string, unknown>> = [];
  socket.addEventListener('message', event => {
    const data = JSON.parse(String(event.data));
    if (data.channel === channel) messages.push(data.message);
  });
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener(
      'error',
      () => reject(new Error(`Signals connection of ${user} failed`)),
      { once: true },
    );
  });
  const subscribed = () =>
    backend.logs.filter(e => e.message.endsWith(`subscribed to ${channel}`))
      .length;
  const before = subscribed();
  socket.send(JSON.stringify({ action: 'subscribe', channel }));
  await eventually(
    async () => (subscribed() > before ? true : undefined),
    `the signals subscription of ${user}`,
  );
  return {
    messages,
    next: (predicate, what) =>
      eventually(async () => messages.find(predicate), what),
    close: () => socket.close(),
  };
}

/**
 * The first state of a sandbox object that satisfies `test`: the current one if it does, else the
 * first change that does (subscribed before looking, so no change falls in between).
 */
export function untilObject(
  sandbox: Sandbox,
  type: TypeKey,
  namespace: string,
  name: string,
  test: (object: KubeObject) => boolean,
): Promise<KubeObject> {
  return new Promise(resolve => {
    const unsubscribe = sandbox.store.subscribe(change => {
      if (
        change.type !== 'DELETED' &&
        change.resourceType.group === type.group &&
        change.resourceType.plural === type.plural &&
        change.object.metadata.namespace === namespace &&
        change.object.metadata.name === name &&
        test(change.object)
      ) {
        unsubscribe();
        resolve(change.object);
      }
    });
    const current = sandbox.store.get(type, namespace, name);
    if (current && test(current)) {
      unsubscribe();
      resolve(current);
    }
  });
}

interface Condition {
  type: string;
  status: string;
  reason?: string;
  lastTransitionTime?: string;
}

/** A condition of a sandbox object's status. */
export function conditionOf(
  object: KubeObject | undefined,
  type: string,
): Condition | undefined {
  const status = object?.status as { conditions?: Condition[] } | undefined;
  return status?.conditions?.find(c => c.type === type);
}

/**
 * Whether the Resource's configure workflow has completed (Kratix's ConfigureWorkflowCompleted, or
 * the legacy PipelineCompleted some Promises emulate), optionally with a transition other than
 * `notAt`.
 */
export function configureCompleted(
  object: KubeObject | undefined,
  notAt?: string,
): boolean {
  const condition =
    conditionOf(object, 'ConfigureWorkflowCompleted') ??
    conditionOf(object, 'PipelineCompleted');
  return condition?.status === 'True' && condition.lastTransitionTime !== notAt;
}

/**
 * Backstage's real scheduler (as the app runs it; the test backend's mock runs a task once at
 * startup, never on its schedule), counting every run of every task as it ends: the signal that a
 * scheduled check has run again, without guessing how long that takes.
 */
export interface ObservedScheduler {
  /** Install in the backend (replaces the test backend's mock scheduler). */
  feature: BackendFeature;
  /** Every task scheduled so far, as `<pluginId>/<taskId>`. */
  scheduled: string[];
  /** How many runs of the task have ended (successfully or not). */
  runs(pluginId: string, taskId: string): number;
}

/** A run of a scheduled task, as observedScheduler's hooks see it. */
export interface ObservedRun {
  pluginId: string;
  taskId: string;
  /** The plugin's database: where the scheduler keeps its tasks and their locks. */
  database: DatabaseService;
}

export function observedScheduler(
  hooks: {
    /** Called as a run starts, before the task's own work. */
    onRunStart?(run: ObservedRun): Promise<void> | void;
    /** Called as a run ends (successfully or not). */
    onRunEnd?(run: ObservedRun): void;
  } = {},
): ObservedScheduler {
  const scheduled: string[] = [];
  const ended = new Map<string, number>();
  const feature = createServiceFactory({
    service: coreServices.scheduler,
    deps: {
      database: coreServices.database,
      logger: coreServices.logger,
      rootLifecycle: coreServices.rootLifecycle,
      httpRouter: coreServices.httpRouter,
      pluginMetadata: coreServices.pluginMetadata,
      metrics: metricsServiceRef,
    },
    factory(deps) {
      const real = DefaultSchedulerService.create(deps);
      const pluginId = deps.pluginMetadata.getId();
      const scheduler: SchedulerService = {
        triggerTask: id => real.triggerTask(id),
        cancelTask: id => real.cancelTask(id),
        getScheduledTasks: () => real.getScheduledTasks(),
        scheduleTask(task) {
          const key = `${pluginId}/${task.id}`;
          scheduled.push(key);
          const run = { pluginId, taskId: task.id, database: deps.database };
          return real.scheduleTask({
            ...task,
            fn: async signal => {
              try {
                await hooks.onRunStart?.(run);
                await task.fn(signal);
              } finally {
                ended.set(key, (ended.get(key) ?? 0) + 1);
                hooks.onRunEnd?.(run);
              }
            },
          });
        },
        createScheduledTaskRunner: schedule => ({
          run: task => scheduler.scheduleTask({ ...task, ...schedule }),
        }),
      };
      return scheduler;
    },
  });
  return {
    feature,
    scheduled,
    runs: (pluginId, taskId) => ended.get(`${pluginId}/${taskId}`) ?? 0,
  };
}
