/*
 * The five properties replicas behind a round-robin proxy must keep (issue 28), checked on a
 * ReplicaSet (replicaSet.ts). Each check drives the scenario through the proxy and returns what it
 * saw (evidence) and what went wrong (violations, empty when the property holds): the integration
 * test expects no violations, the bench records whether there were any. No timing is asserted; a
 * wait is on an explicit signal (a log line of the replica, a stream frame, a scheduler run) or,
 * for eventual consistency, `eventually`.
 */
import { REDIS } from './checkoutRedis';
import { openEventStream, type EventStream } from './eventStream';
import {
  ALREADY_CLAIMED,
  deliveredEvents,
  SENT,
  senderLogs,
} from './notifications';
import {
  REFRESH_SECONDS,
  REFRESH_TASK,
  type RefreshRun,
  type Replica,
  type ReplicaSet,
} from './replicaSet';
import { REPLICA_HEADER } from './roundRobinProxy';
import { eventually, type KnexClient, type LogEntry } from './testBackend';

export interface CheckResult<E> {
  violations: string[];
  evidence: E;
}

export const CHECKOUT = 'component:default/checkout-service';
/** The Resources of checkout-service (the read the entity page makes). */
export const ENTITY_RESOURCES =
  '/api/kratix/entities/component/default/checkout-service/resources';
/** One Resource's detail, with its timeline (condition history from the shared database). */
export const EXAMPLE_TIMELINE = `${ENTITY_RESOURCES}/sandbox/default/redis/example`;
/** The entity's live stream. */
export const ENTITY_EVENTS =
  '/api/kratix/entities/component/default/checkout-service/events';

const TRANSITIONS = 'kratix_condition_transitions';
const CLAIMS = 'kratix_notification_claims';
/** The journal's unique key: a transition is this tuple. */
const UNIQUE = [
  'cluster',
  'resource_uid',
  'condition_type',
  'status',
  'reason',
  'transition_time',
];
/** The provider's line after each full mutation it applied (KratixEntityProvider). */
const FULL_MUTATION =
  /^Kratix cluster sandbox: \d+ Promises, \d+ Resources, \d+ entities in \d+ ms$/;

/** `eventually`, with a timeout turned into a violation instead of a throw. */
async function waitFor<T>(
  violations: string[],
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 60_000,
): Promise<T | undefined> {
  try {
    return await eventually(check, what, timeoutMs);
  } catch (error) {
    violations.push(String(error instanceof Error ? error.message : error));
    return undefined;
  }
}

/** Names that repeat back to back: a round-robin proxy never sends two requests in a row to one. */
function repeats(served: string[]): string[] {
  return served.flatMap((name, i) =>
    i > 0 && served[i - 1] === name
      ? [`request ${i + 1} went to ${name} again (served: ${served.join(',')})`]
      : [],
  );
}

interface Read {
  replica: string;
  status: number;
  body: string;
}

/** `count` reads of `path` through the proxy, one after the other. */
async function readRound(
  set: ReplicaSet,
  path: string,
  user: string,
  count: number,
): Promise<Read[]> {
  const reads: Read[] = [];
  for (let i = 0; i < count; i++) {
    const res = await set.request('GET', path, user);
    // When this replica read its cache: the one field that is each replica's own, not the data.
    const { observedAt: _observedAt, ...data } =
      typeof res.body === 'object' && res.body !== null
        ? res.body
        : { res: res.body };
    reads.push({
      replica: res.replica,
      status: res.status,
      body: JSON.stringify(data),
    });
  }
  return reads;
}

/** Where two JSON values first differ: `path: a ≠ b`. */
export function firstDifference(a: unknown, b: unknown, at = '$'): string {
  if (
    typeof a === 'object' &&
    typeof b === 'object' &&
    a !== null &&
    b !== null &&
    Array.isArray(a) === Array.isArray(b)
  ) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const [x, y] = [(a as any)[key], (b as any)[key]];
      if (JSON.stringify(x) !== JSON.stringify(y)) {
        return firstDifference(x, y, `${at}.${key}`);
      }
    }
    return `${at}: no difference`;
  }
  return `${at}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`;
}

/** Whether every read succeeded and all replicas answered the same. */
const agree = (reads: Read[]) =>
  reads.every(r => r.status === 200) &&
  new Set(reads.map(r => r.body)).size === 1;

/**
 * Reads through either replica agree: the entity's Resources and one Resource's timeline, read
 * through the proxy, which alternates the requests between the replicas.
 */
export async function checkReadsAgree(
  set: ReplicaSet,
  user = 'guest',
): Promise<CheckResult<{ served: string[]; paths: string[] }>> {
  const violations: string[] = [];
  const names = set.running().map(r => r.name);
  const paths = [ENTITY_RESOURCES, EXAMPLE_TIMELINE];
  const served: string[] = [];
  for (const path of paths) {
    // Each replica fills its caches from its own watch: wait until they hold the same state.
    await waitFor(
      violations,
      async () =>
        agree(await readRound(set, path, user, 2 * names.length))
          ? true
          : undefined,
      `the replicas to agree on ${path}`,
    );
    const reads = await readRound(set, path, user, 2 * names.length);
    served.push(...reads.map(r => r.replica));
    for (const r of reads.filter(x => x.status !== 200)) {
      violations.push(`${path} through ${r.replica}: ${r.status} ${r.body}`);
    }
    const bodies = new Map(reads.map(r => [r.replica, r.body]));
    if (!agree(reads)) {
      const [[first, one], ...others] = [...bodies];
      for (const [other, body] of others) {
        violations.push(
          `${path}: ${first} and ${other} differ at ${firstDifference(
            JSON.parse(one),
            JSON.parse(body),
          )}`,
        );
      }
    }
    for (const name of names.filter(n => !bodies.has(n))) {
      violations.push(`${path}: ${name} never answered through the proxy`);
    }
  }
  violations.push(...repeats(served));
  return { violations, evidence: { served, paths } };
}

/**
 * A change reaches open streams on every replica: one stream per replica, each opened through the
 * proxy (which sends the second to the other replica); the sandbox writes a change to a linked
 * Resource; each stream pushes a frame carrying it.
 */
export async function checkStreamsOnEveryReplica(
  set: ReplicaSet,
  user = 'guest',
): Promise<
  CheckResult<{ streams: Array<{ replica: string; received: boolean }> }>
> {
  const violations: string[] = [];
  const authorization = `Bearer ${await set.token(user)}`;
  const streams: Array<{ replica: string; stream: EventStream }> = [];
  const label = `changed-${Date.now()}`;
  try {
    for (const _ of set.running()) {
      const stream = await openEventStream(
        set.proxy,
        ENTITY_EVENTS,
        authorization,
      );
      const replica = String(stream.headers[REPLICA_HEADER] ?? '');
      if (stream.status !== 200) {
        violations.push(`stream through ${replica}: ${stream.status}`);
      }
      streams.push({ replica, stream });
    }
    const served = streams.map(s => s.replica);
    for (const { name } of set.running()) {
      if (!served.includes(name)) {
        violations.push(
          `no stream was served by ${name} (served: ${served.join(',')})`,
        );
      }
    }
    // Each stream's first frame: the stream is live on its replica before the change is written.
    for (const { stream } of streams) await stream.nextEvent('resources');

    set.sandbox.store.patch(REDIS, 'default', 'example', 'merge', {
      metadata: { labels: { 'integration-test/replicas': label } },
    });
    const received = await Promise.all(
      streams.map(async ({ replica, stream }) => {
        try {
          for (;;) {
            const frame = await stream.nextEvent('resources', 60_000);
            const example = frame.items.find(
              (i: any) => i.promise === 'redis' && i.name === 'example',
            );
            if (example?.labels?.['integration-test/replicas'] === label) {
              return { replica, received: true };
            }
          }
        } catch (error) {
          violations.push(
            `the stream on ${replica} did not push the change: ${error}`,
          );
          return { replica, received: false };
        }
      }),
    );
    return { violations, evidence: { streams: received } };
  } finally {
    for (const { stream } of streams) stream.close();
  }
}

/** Rows that break the journal's unique key (none: the key is what keeps a transition once). */
async function duplicateTransitions(knex: KnexClient): Promise<string[]> {
  const rows = await knex(TRANSITIONS)
    .select(UNIQUE)
    .count({ n: '*' })
    .groupBy(UNIQUE)
    .havingRaw('count(*) > 1');
  return rows.map(
    (r: any) =>
      `transition ${r.resource_uid} ${r.condition_type}=${r.status}@${r.transition_time} stored ${r.n} times`,
  );
}

interface Transition {
  type: string;
  status: string;
  lastTransitionTime: string;
}

const conditionsOf = (set: ReplicaSet, name: string): Transition[] =>
  ((set.sandbox.store.get(REDIS, 'default', name)?.status as any)?.conditions ??
    []) as Transition[];

const transitionKey = (c: Transition) =>
  `${c.type}=${c.status}@${c.lastTransitionTime}`;

/** Waits until `replica` logged writing (or finding written) each of the transitions. */
function untilRecordedBy(
  violations: string[],
  replica: Replica,
  uid: string,
  transitions: Transition[],
  fromLine = 0,
) {
  return waitFor(
    violations,
    async () => {
      const written = new Set(
        replica.backend.logs
          .slice(fromLine)
          .filter(
            e =>
              e.message.endsWith('Kratix condition transitions') &&
              e.meta.resourceUid === uid,
          )
          .flatMap(e => e.meta.transitions as string[]),
      );
      return transitions.every(t => written.has(transitionKey(t)))
        ? true
        : undefined;
    },
    `${replica.name} to record the transitions of ${uid}`,
  );
}

/** Every notification a replica sent, as `<uid> <event key>`. */
const sentBy = (logs: LogEntry[]) =>
  logs
    .filter(l => l.message === SENT)
    .map(l => `${l.meta.resourceUid} ${l.meta.eventKey}`);

/** Notifications sent by more than one replica (or twice by one): must be none. */
function sentTwice(set: ReplicaSet): string[] {
  const all = set.replicas.flatMap(r =>
    sentBy(r.backend.logs).map(key => ({ key, by: r.name })),
  );
  const seen = new Map<string, string[]>();
  for (const { key, by } of all) seen.set(key, [...(seen.get(key) ?? []), by]);
  return [...seen]
    .filter(([, by]) => by.length > 1)
    .map(([key, by]) => `notification ${key} sent by ${by.join(' and ')}`);
}

/**
 * Waits until every running replica decided transition `n` of `event` for the Resource (sent it,
 * or found it claimed); returns its event key and who sent it.
 */
async function decided(
  set: ReplicaSet,
  violations: string[],
  uid: string,
  event: string,
  n: number,
) {
  const current = set.running();
  const keysOf = (r: Replica) =>
    [
      ...senderLogs(r.backend.logs, SENT, uid, event),
      ...senderLogs(r.backend.logs, ALREADY_CLAIMED, uid, event),
    ].map(l => String(l.meta.eventKey));
  const key = await waitFor(
    violations,
    async () => {
      const keys = current.map(keysOf);
      // Keys end with the transition time: sorted, the nth is the nth transition.
      const nth = [...new Set(keys.flat())].sort()[n - 1];
      return nth && keys.every(k => k.includes(nth)) ? nth : undefined;
    },
    `every replica to decide "${event}" (${n}) of ${uid}`,
  );
  const senders = set.replicas
    .filter(r =>
      senderLogs(r.backend.logs, SENT, uid, event).some(
        l => l.meta.eventKey === key,
      ),
    )
    .map(r => r.name);
  if (key && senders.length !== 1) {
    violations.push(
      `"${event}" of ${uid} sent by ${senders.length} replicas (${senders.join(
        ',',
      )})`,
    );
  }
  return { key, senders };
}

/** Waits for each user's deliveries of the Resource to reach `events`, then compares. */
async function delivered(
  set: ReplicaSet,
  violations: string[],
  uid: string,
  events: string[],
) {
  const users = ['user:default/alice', 'user:default/guest'];
  await waitFor(
    violations,
    async () => {
      const byUser = deliveredEvents(set.deliveries, uid);
      return users.every(u => (byUser[u]?.length ?? 0) >= events.length)
        ? true
        : undefined;
    },
    `deliveries of ${events.join(', ')}`,
  );
  const byUser = deliveredEvents(set.deliveries, uid);
  for (const user of users) {
    if (JSON.stringify(byUser[user] ?? []) !== JSON.stringify(events)) {
      violations.push(
        `${user} was delivered ${JSON.stringify(
          byUser[user] ?? [],
        )}, not ${JSON.stringify(events)}`,
      );
    }
  }
}

/**
 * Condition history is recorded exactly once: a Resource requested through the proxy runs its
 * workflow while every replica watches; each replica records (or finds recorded) every
 * transition, and the shared journal holds each once; its "completed" notification is claimed by
 * one replica and delivered once to each recipient.
 */
export async function checkHistoryExactlyOnce(
  set: ReplicaSet,
  name: string,
): Promise<
  CheckResult<{
    uid?: string;
    createdThrough?: string;
    rows: number;
    transitions: string[];
    notifiedBy: string[];
  }>
> {
  const violations: string[] = [];
  const evidence = {
    uid: undefined as string | undefined,
    createdThrough: undefined as string | undefined,
    rows: 0,
    transitions: [] as string[],
    notifiedBy: [] as string[],
  };
  // Alice (the platform team) requests it for checkout-service, which guest's team owns.
  const created = await set.request('POST', '/api/kratix/resources', 'alice', {
    promise: 'redis',
    namespace: 'default',
    name,
    spec: { size: 'small' },
    entityRef: CHECKOUT,
  });
  evidence.createdThrough = created.replica;
  if (created.status !== 201) {
    violations.push(
      `create: ${created.status} ${JSON.stringify(created.body)}`,
    );
    return { violations, evidence };
  }
  const uid: string = created.body.object.metadata.uid;
  evidence.uid = uid;
  const final = await waitFor(
    violations,
    async () => {
      const conditions = conditionsOf(set, name);
      const reconciled = conditions.find(c => c.type === 'Reconciled');
      return reconciled?.status === 'True' ? conditions : undefined;
    },
    'the workflow to complete',
    90_000,
  );
  if (!final) return { violations, evidence };
  evidence.transitions = final.map(transitionKey);

  for (const replica of set.running()) {
    await untilRecordedBy(violations, replica, uid, final);
  }
  const knex = set.running()[0].backend.kratixDatabase;
  const rows: any[] = await knex(TRANSITIONS).where({ resource_uid: uid });
  evidence.rows = rows.length;
  for (const c of final) {
    const stored = rows.filter(
      r =>
        r.condition_type === c.type &&
        r.status === c.status &&
        r.transition_time === c.lastTransitionTime,
    ).length;
    if (stored !== 1) {
      violations.push(`${transitionKey(c)} stored ${stored} times`);
    }
  }
  if (!rows.some(r => r.status !== 'True')) {
    violations.push('no transition before the final state was recorded');
  }
  violations.push(...(await duplicateTransitions(knex)));
  for (const replica of set.replicas) {
    for (const e of replica.backend.logs.filter(l =>
      /Could not record/.test(l.message),
    )) {
      violations.push(`${replica.name}: ${e.message}`);
    }
  }

  const completed = await decided(set, violations, uid, 'completed', 1);
  evidence.notifiedBy = completed.senders;
  const claims: any[] = await knex(CLAIMS).where({ resource_uid: uid });
  if (
    claims.length !== 1 ||
    !claims[0].sent ||
    claims[0].event_key !== completed.key
  ) {
    violations.push(`claims of ${uid}: ${JSON.stringify(claims)}`);
  }
  await delivered(set, violations, uid, ['completed']);
  violations.push(...sentTwice(set));
  return { violations, evidence };
}

/** What breaks "one run per schedule slot, one at a time, one full mutation per run". */
function scheduleViolations(set: ReplicaSet, runs: RefreshRun[]): string[] {
  const violations: string[] = [];
  const slots = runs.map(r => r.slot);
  if (new Set(slots).size !== slots.length) {
    violations.push(`a schedule slot ran twice: ${JSON.stringify(runs)}`);
  }
  if (new Set(runs.map(r => r.ticket)).size !== runs.length) {
    violations.push(`a lock ticket ran twice: ${JSON.stringify(runs)}`);
  }
  for (let i = 1; i < runs.length; i++) {
    const [before, run] = [runs[i - 1], runs[i]];
    // The scheduler's next slot is the previous one plus the frequency (or now, when late).
    if (run.slot - before.slot < REFRESH_SECONDS * 1000) {
      violations.push(
        `run ${i + 1} (${run.replica}) came ${
          run.slot - before.slot
        } ms after the previous slot`,
      );
    }
    // One at a time across replicas: the lock is held until the run ends.
    if (before.endedAt === undefined || run.startedAt < before.endedAt) {
      violations.push(
        `run ${i + 1} (${run.replica}) started while run ${i} (${
          before.replica
        }) was still going`,
      );
    }
  }
  // Each run applied one full mutation (the provider logs each); no replica applied one outside a run.
  const mutations = set.replicas.flatMap(r =>
    r.backend.logs.filter(l => FULL_MUTATION.test(l.message)),
  ).length;
  if (mutations !== runs.length) {
    violations.push(`${mutations} full mutations for ${runs.length} runs`);
  }
  return violations;
}

/**
 * Waits until at least `count` runs that started after `since` (ReplicaSet.order()) have ended and
 * none is in progress; returns every run so far.
 */
async function untilRuns(
  set: ReplicaSet,
  violations: string[],
  since: number,
  count: number,
): Promise<RefreshRun[]> {
  const runs = await waitFor(
    violations,
    async () => {
      const ended = set.runs.filter(
        r => r.startedAt >= since && r.endedAt !== undefined,
      );
      const idle = set.runs.every(r => r.endedAt !== undefined);
      // A copy taken while idle: runs and mutation logs are read in the same instant.
      return ended.length >= count && idle ? [...set.runs] : undefined;
    },
    `${count} full runs of the Kratix catalog provider`,
    // A replica stopped mid-run leaves the lock to expire (the task's 60 s timeout) first.
    (count + 4) * REFRESH_SECONDS * 1000 + 90_000,
  );
  return runs ?? [...set.runs];
}

/**
 * The catalog provider ingests once per schedule: its full refresh is one task in Backstage's
 * scheduler, registered by every replica and locked in the shared catalog database; each slot of
 * the schedule runs once, on one replica, one run at a time, one full mutation each.
 */
export async function checkProviderOncePerSchedule(
  set: ReplicaSet,
  minRuns = 3,
): Promise<
  CheckResult<{
    runs: number;
    runsWithAllUp: number;
    byReplica: Record<string, number>;
    slotGapsMs: number[];
  }>
> {
  const violations: string[] = [];
  for (const replica of set.running()) {
    if (!replica.scheduler.scheduled.includes(`catalog/${REFRESH_TASK}`)) {
      violations.push(`${replica.name} did not schedule ${REFRESH_TASK}`);
    }
  }
  // Runs made while every replica was up, competing for the lock (and any before, checked too).
  const runs = await untilRuns(set, violations, set.allStartedAt, minRuns);
  violations.push(...scheduleViolations(set, runs));
  const runsWithAllUp = runs.filter(r => r.startedAt >= set.allStartedAt);
  return {
    violations,
    evidence: { ...runEvidence(runs), runsWithAllUp: runsWithAllUp.length },
  };
}

function runEvidence(runs: RefreshRun[]) {
  const byReplica: Record<string, number> = {};
  for (const r of runs) byReplica[r.replica] = (byReplica[r.replica] ?? 0) + 1;
  return {
    runs: runs.length,
    byReplica,
    slotGapsMs: runs.slice(1).map((r, i) => r.slot - runs[i].slot),
  };
}

/**
 * No replica re-does another's work after a restart: `stop` goes and `as` starts on the same
 * databases behind the proxy, as a restarted pod would. It records no transition twice, tells no
 * notification already told, and does not ingest out of schedule; the next transition is recorded
 * and told once.
 */
export async function checkNoRedoAfterRestart(
  set: ReplicaSet,
  options: {
    uid: string;
    name: string;
    /** The replica to restart; by default the one that ran the latest ingestion. */
    stop?: string;
    as: string;
  },
): Promise<
  CheckResult<{
    stopped: string;
    served: string[];
    rowsBefore: number;
    rowsAfter: number;
    failedNotifiedBy: string[];
    runsAfterRestart: Record<string, number>;
  }>
> {
  const { uid, name } = options;
  const violations: string[] = [];
  const kratix = () => set.running()[0].backend.kratixDatabase;
  const rowsBefore: any[] = await kratix()(TRANSITIONS).where({
    resource_uid: uid,
  });
  const claimsBefore: any[] = await kratix()(CLAIMS).orderBy('id');
  const toldBefore = new Set(set.replicas.flatMap(r => sentBy(r.backend.logs)));
  const final = conditionsOf(set, name);
  // Restarting the replica that ingested last makes another one take the schedule over.
  const stopped =
    options.stop ??
    set.runs[set.runs.length - 1]?.replica ??
    set.running()[set.running().length - 1].name;
  const since = set.order();

  const restarted = await set.restart(stopped, options.as);

  // The proxy alternates between the replica that stayed and the restarted one.
  const reads = await readRound(set, ENTITY_RESOURCES, 'guest', 4);
  const served = reads.map(r => r.replica);
  violations.push(...repeats(served));
  for (const { name: n } of set.running()) {
    if (!served.includes(n))
      violations.push(`${n} served none of ${served.join(',')}`);
  }
  if (!agree(reads)) violations.push('reads disagree after the restart');

  // The restarted replica walks what its watch holds at startup: the Resource's transitions are
  // found written, not written again.
  await untilRecordedBy(violations, restarted, uid, final);
  const rowsAfter: any[] = await kratix()(TRANSITIONS).where({
    resource_uid: uid,
  });
  const rowKey = (r: any) =>
    `${r.condition_type}=${r.status}@${r.transition_time}`;
  for (const gone of rowsBefore.filter(
    b => !rowsAfter.some(r => r.id === b.id),
  )) {
    violations.push(`transition ${rowKey(gone)} disappeared`);
  }
  // A row added since is a transition the cluster made (the replicas that stayed saw it too), not
  // one the restarted replica made up (say, timed at its own startup).
  const added = rowsAfter.filter(r => !rowsBefore.some(b => b.id === r.id));
  for (const stayed of set.running().filter(r => r !== restarted)) {
    await untilRecordedBy(
      violations,
      stayed,
      uid,
      added.map(r => ({
        type: r.condition_type,
        status: r.status,
        lastTransitionTime: r.transition_time,
      })),
    );
  }
  violations.push(...(await duplicateTransitions(kratix())));

  // A change that is no transition (an annotation): it sees the Resource again and finds its
  // completion claimed.
  set.sandbox.store.patch(REDIS, 'default', name, 'merge', {
    metadata: { annotations: { 'example.com/touched': 'after the restart' } },
  });
  const completedKey = claimsBefore.find(
    c => c.resource_uid === uid,
  )?.event_key;
  await waitFor(
    violations,
    async () =>
      senderLogs(
        restarted.backend.logs,
        ALREADY_CLAIMED,
        uid,
        'completed',
      ).some(l => l.meta.eventKey === completedKey)
        ? true
        : undefined,
    'the restarted replica to find the completion claimed',
  );
  for (const again of sentBy(restarted.backend.logs).filter(s =>
    toldBefore.has(s),
  )) {
    violations.push(`the restarted replica told ${again} again`);
  }

  // The next transition (the workflow runs again and fails) is recorded and told once.
  set.sandbox.store.patch(REDIS, 'default', name, 'merge', {
    metadata: {
      annotations: { 'sandbox.kratix.io/simulate': 'fail' },
      labels: { 'kratix.io/manual-reconciliation': 'true' },
    },
  });
  const failed = await decided(set, violations, uid, 'failed', 1);
  await delivered(set, violations, uid, ['completed', 'failed']);
  const claimsAfter: any[] = await kratix()(CLAIMS).orderBy('id');
  const newClaims = claimsAfter.filter(
    c => !claimsBefore.some(b => b.id === c.id),
  );
  const newOfUid = newClaims.filter(c => c.resource_uid === uid);
  if (newOfUid.length !== 1 || newOfUid[0].event_key !== failed.key) {
    violations.push(`new claims of ${uid}: ${JSON.stringify(newOfUid)}`);
  }
  violations.push(...(await duplicateTransitions(kratix())));
  violations.push(...sentTwice(set));

  // Ingestion goes on from the same schedule: no run out of its slot, before or after the restart.
  const runs = await untilRuns(set, violations, since, 2);
  violations.push(...scheduleViolations(set, runs));
  return {
    violations,
    evidence: {
      stopped,
      served,
      rowsBefore: rowsBefore.length,
      rowsAfter: rowsAfter.length,
      failedNotifiedBy: failed.senders,
      runsAfterRestart: runEvidence(runs.filter(r => r.startedAt >= since))
        .byReplica,
    },
  };
}
