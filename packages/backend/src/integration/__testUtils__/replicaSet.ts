/*
 * Backend replicas of the app as production scales them: each a full backend (catalog with the
 * Kratix catalog module, auth, permission, Kratix, notifications, signals) with Backstage's real
 * scheduler, all on ONE PostgreSQL server (the same databases) and one sandbox platform, behind a
 * round-robin HAProxy (roundRobinProxy.ts). Users talk to the proxy only; the replicas talk to
 * themselves (discovery points each at its own port).
 *
 * What the checks (replicaChecks.ts) need to observe is kept here, across every replica ever
 * started: each full run of the Kratix catalog provider with the scheduler slot it ran for (the
 * task's `next_run_start_at` while the run holds the task's lock), and every notification
 * delivered. Used by replicasProxy.test.ts and bench/replicas.ts.
 */
import scaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import catalogModuleKratix from '@kratix-backstage/plugin-catalog-backend-module-kratix';
import type { Sandbox } from '@kratix-backstage/sandbox';
import crypto from 'node:crypto';
import http from 'node:http';
import {
  notificationsFeatures,
  observedScheduler,
  type Delivery,
  type ObservedScheduler,
} from './notifications';
import { dropDatabases } from './postgres';
import {
  REPLICA_HEADER,
  startRoundRobinProxy,
  type RoundRobinProxy,
} from './roundRobinProxy';
import {
  startKratixTestBackend,
  TEST_USER_HEADER,
  type KratixTestBackend,
  type TestUser,
} from './testBackend';

/** How often the Kratix catalog provider's full ingestion is scheduled. */
export const REFRESH_SECONDS = 3;
/** The provider's scheduled task, as the catalog plugin's scheduler knows it. */
export const REFRESH_TASK = 'kratix:sandbox:refresh';
/** Backstage's scheduler table (backend-defaults), in each plugin's database. */
const TASKS_TABLE = 'backstage_backend_tasks__tasks';

export interface Replica {
  name: string;
  backend: KratixTestBackend;
  scheduler: ObservedScheduler;
  port: number;
}

/** One full run of the Kratix catalog provider, on whichever replica claimed it. */
export interface RefreshRun {
  replica: string;
  /** The schedule slot it ran for (ms): the task's next_run_start_at while this run held it. */
  slot: number;
  /** The scheduler's lock ticket for this run. */
  ticket: string;
  /** Order of the run's start and end among all runs' starts and ends (one counter). */
  startedAt: number;
  endedAt?: number;
}

export interface ProxyResponse {
  /** The replica that answered, as the proxy says (REPLICA_HEADER). */
  replica: string;
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
}

export interface ReplicaSet {
  sandbox: Sandbox;
  proxy: RoundRobinProxy;
  /** Every replica started, stopped ones included (their logs stay readable). */
  replicas: Replica[];
  /** The replicas running now, behind the proxy. */
  running(): Replica[];
  replica(name: string): Replica;
  /** Every notification delivered, by any replica. */
  deliveries: Delivery[];
  /** Every full run of the Kratix catalog provider, in the order they started. */
  runs: RefreshRun[];
  /** The next value of the counter RefreshRun.startedAt/endedAt use (a marker for "from now on"). */
  order(): number;
  /** order() once every replica had started: runs from then on ran with all of them up. */
  allStartedAt: number;
  /** Stops `name` and starts `as` on the same databases, then puts it behind the proxy instead. */
  restart(name: string, as: string): Promise<Replica>;
  /** A user token signed in through the proxy (cached per user). */
  token(user: TestUser): Promise<string>;
  /** A request through the proxy, as `user`. */
  request(
    method: 'GET' | 'POST',
    path: string,
    user: TestUser,
    body?: unknown,
  ): Promise<ProxyResponse>;
  stop(): Promise<void>;
}

/** A request through the proxy; the body parsed as JSON when it is JSON. */
export function proxyRequest(
  proxy: Pick<RoundRobinProxy, 'port'>,
  method: 'GET' | 'POST',
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<ProxyResponse> {
  const payload =
    body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: proxy.port(),
        method,
        path,
        headers: {
          ...headers,
          ...(payload
            ? {
                'content-type': 'application/json',
                'content-length': String(payload.length),
              }
            : {}),
        },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', chunk => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          if (/json/.test(String(res.headers['content-type']))) {
            parsed = JSON.parse(text);
          }
          resolve({
            replica: String(res.headers[REPLICA_HEADER] ?? ''),
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: parsed,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Starts the replicas `names` one after the other (as a rolling deployment would: the first creates
 * the databases), then the proxy in front of them. The sandbox is the caller's.
 */
export async function startReplicaSet(options: {
  sandbox: Sandbox;
  postgresUrl: string;
  names: string[];
}): Promise<ReplicaSet> {
  const { sandbox, postgresUrl } = options;
  const prefix = `kratix_it_${crypto.randomBytes(4).toString('hex')}_`;
  const replicas: Replica[] = [];
  const running = new Set<Replica>();
  const deliveries: Delivery[] = [];
  const runs: RefreshRun[] = [];
  let counter = 0;

  const start = async (name: string): Promise<Replica> => {
    const current = new Map<object, RefreshRun>();
    const scheduler = observedScheduler({
      async onRunStart(run) {
        if (run.pluginId !== 'catalog' || run.taskId !== REFRESH_TASK) return;
        const startedAt = counter++;
        // This run holds the task's lock: the row names its ticket and the slot it claimed.
        const knex = await run.database.getClient();
        const row = await knex(TASKS_TABLE).where({ id: REFRESH_TASK }).first();
        // No row: the task is not a global one (no lock); the checks see its runs share no slot.
        const observed: RefreshRun = {
          replica: name,
          slot: row ? new Date(row.next_run_start_at).getTime() : NaN,
          ticket: String(row?.current_run_ticket ?? 'no lock'),
          startedAt,
        };
        current.set(run, observed);
        runs.push(observed);
      },
      onRunEnd(run) {
        const observed = current.get(run);
        if (!observed) return;
        current.delete(run);
        observed.endedAt = counter++;
      },
    });
    const backend = await startKratixTestBackend({
      cluster: sandbox,
      database: {
        client: 'pg',
        connection: postgresUrl,
        prefix,
        // Each plugin has a pool of its own, in every replica: knex's default (2 to 10 each) takes
        // half of a default server's 100 connections for three replicas. Small pools that let idle
        // connections go, as a deployment of several replicas on one server sizes them.
        knexConfig: { pool: { min: 0, max: 5, idleTimeoutMillis: 5000 } },
      },
      webSockets: true,
      features: [
        scheduler.feature,
        scaffolderEntityModel,
        catalogModuleKratix,
        // Each replica's own notifications backend, on the same database as the others'.
        ...notificationsFeatures({ deliveries, replica: name }),
      ],
      extraConfig: {
        catalog: {
          providers: {
            kratix: {
              defaultOwner: 'group:default/team-platform',
              schedule: {
                frequency: { seconds: REFRESH_SECONDS },
                timeout: { seconds: 60 },
              },
            },
          },
        },
      },
    });
    const replica = { name, backend, scheduler, port: backend.server.port() };
    replicas.push(replica);
    running.add(replica);
    return replica;
  };
  const targets = () => [...running].map(r => ({ name: r.name, port: r.port }));

  try {
    for (const name of options.names) await start(name);
  } catch (error) {
    await Promise.all([...running].map(r => r.backend.stop()));
    await dropDatabases(postgresUrl, prefix);
    throw error;
  }
  const allStartedAt = counter;
  const proxy = await startRoundRobinProxy(targets());
  const tokens = new Map<string, Promise<string>>();

  const set: ReplicaSet = {
    sandbox,
    proxy,
    replicas,
    running: () => [...running],
    replica(name) {
      const found = replicas.find(r => r.name === name);
      if (!found) throw new Error(`No replica ${name}`);
      return found;
    },
    deliveries,
    runs,
    order: () => counter,
    allStartedAt,
    async restart(name, as) {
      const old = set.replica(name);
      await old.backend.stop();
      running.delete(old);
      // Until the proxy learns the new address it only sends to the replicas still running.
      await proxy.setTargets(targets());
      const replica = await start(as);
      await proxy.setTargets(targets());
      return replica;
    },
    token(user) {
      let token = tokens.get(user);
      if (!token) {
        // Signed in through the proxy, so by whichever replica: each verifies the others' tokens.
        token = proxyRequest(proxy, 'GET', '/api/auth/test/refresh', {
          'x-requested-with': 'XMLHttpRequest',
          [TEST_USER_HEADER]: user,
        }).then(res => {
          if (res.status !== 200) {
            throw new Error(
              `Sign-in of ${user} through the proxy: ${
                res.status
              } ${JSON.stringify(res.body)}`,
            );
          }
          return res.body.backstageIdentity.token as string;
        });
        tokens.set(user, token);
        token.catch(() => tokens.delete(user));
      }
      return token;
    },
    async request(method, path, user, body) {
      return proxyRequest(
        proxy,
        method,
        path,
        { authorization: `Bearer ${await set.token(user)}` },
        body,
      );
    },
    async stop() {
      await proxy.stop();
      await Promise.all([...running].map(r => r.backend.stop()));
      running.clear();
      await dropDatabases(postgresUrl, prefix);
    },
  };
  return set;
}
