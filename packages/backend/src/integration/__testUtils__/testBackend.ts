/*
 * A real Backstage backend for integration tests: the real catalog (reading the app's example
 * catalog), the real auth backend, the real permission backend with this repo's policy, the Kratix
 * plugin, and the sandbox platform as its cluster.
 *
 * Identity is real too: the auth, httpAuth and userInfo services are @backstage/backend-defaults'
 * own (plugin-to-plugin tokens signed with keys kept in each plugin's database, user tokens verified
 * against the auth backend's JWKS, ownership read from the auth backend's user info). The only
 * test-only piece is how a user signs in: a proxy-style auth provider `test` that trusts the
 * `x-test-user` request header and signs the named user in with the catalog's User entity, so the
 * auth backend computes their ownership claims from catalog membership as it would for any provider.
 */
import {
  coreServices,
  createBackendModule,
  type BackendFeature,
  createServiceFactory,
  createServiceRef,
  type DatabaseService,
  type RootHttpRouterServiceWebSocketHandler,
  type RootLoggerService,
} from '@backstage/backend-plugin-api';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpRouterServiceFactory } from '@backstage/backend-defaults/httpRouter';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import {
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import authBackend from '@backstage/plugin-auth-backend';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import catalogBackend from '@backstage/plugin-catalog-backend';
import permissionBackend from '@backstage/plugin-permission-backend';
import kratixBackend from '@kratix-backstage/plugin-kratix-backend';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import request from 'supertest';
import permissionPolicyModule from '../../modules/permissionPolicy';

export const TEST_USER_HEADER = 'x-test-user';

/**
 * TEST ONLY. A sign-in provider that believes the `x-test-user` header (like a proxy provider
 * believes its proxy's headers). Never add this to a real backend.
 */
export const testAuthProviderModule = createBackendModule({
  pluginId: 'auth',
  moduleId: 'integration-test-provider',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: 'test',
          factory: createProxyAuthProviderFactory({
            authenticator: createProxyAuthenticator({
              defaultProfileTransform: async (result: { user: string }) => ({
                profile: { displayName: result.user },
              }),
              initialize: ({ config }) => ({
                header: config.getOptionalString('header') ?? TEST_USER_HEADER,
              }),
              async authenticate({ req }, { header }) {
                const user = req.header(header);
                if (!user) {
                  // Named so Backstage's error handler answers 401.
                  throw Object.assign(new Error(`No ${header} header`), {
                    name: 'AuthenticationError',
                  });
                }
                return { result: { user } };
              },
            }),
            async signInResolver({ result }, ctx) {
              return ctx.signInWithCatalogUser({
                entityRef: { kind: 'User', name: result.user },
              });
            },
          }),
        });
      },
    });
  },
});

/** Exposes the Kratix plugin's own database client, to look at its tables. */
export type KnexClient = Awaited<ReturnType<DatabaseService['getClient']>>;
function kratixDatabaseProbe(probe: { knex?: KnexClient }) {
  return createBackendModule({
    pluginId: 'kratix',
    moduleId: 'integration-test-database-probe',
    register(reg) {
      reg.registerInit({
        deps: { database: coreServices.database },
        async init({ database }) {
          probe.knex = await database.getClient();
        },
      });
    },
  });
}

/**
 * WebSocket routes on the test backend's server. backend-test-utils serves with an older
 * backend-defaults whose root router has no `addWebSocketHandler`, which backend-defaults' current
 * plugin router calls when a plugin registers a WebSocket route (the signals backend does at
 * startup). This root service, created before any plugin starts, adds the method to the root
 * router; `attach` then routes upgrades on the test server as backend-defaults' root router does
 * (exact path, WebSocket upgrades only, 404 otherwise).
 */
class WebSocketRoutes {
  private readonly handlers = new Map<
    string,
    RootHttpRouterServiceWebSocketHandler['handler']
  >();

  readonly feature = createServiceFactory({
    service: createServiceRef<WebSocketRoutes>({
      id: 'integration-test.webSocketRoutes',
      scope: 'root',
    }),
    deps: { rootHttpRouter: coreServices.rootHttpRouter },
    factory: ({ rootHttpRouter }) => {
      if (typeof rootHttpRouter.addWebSocketHandler !== 'function') {
        rootHttpRouter.addWebSocketHandler = ({ path: route, handler }) => {
          if (this.handlers.has(route)) {
            throw new Error(
              `WebSocket handler already registered for ${route}`,
            );
          }
          this.handlers.set(route, handler);
        };
      }
      return this;
    },
  });

  attach(server: Server) {
    server.on('upgrade', (upgrade: IncomingMessage, socket: Duplex, head) => {
      const handler =
        upgrade.headers.upgrade?.toLowerCase() === 'websocket'
          ? this.handlers.get(upgrade.url?.split('?')[0] ?? '')
          : undefined;
      if (!handler) {
        socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      Promise.resolve(handler({ request: upgrade, socket, head })).catch(() =>
        socket.destroy(),
      );
    });
  }
}

export interface LogEntry {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  meta: Record<string, unknown>;
}

/** A root logger that keeps every entry (set KRATIX_TEST_LOG=1 to also print them). */
export class CapturingLogger implements RootLoggerService {
  constructor(
    readonly entries: LogEntry[] = [],
    private readonly fields: Record<string, unknown> = {},
  ) {}

  error(message: string, meta?: Error | JsonObject) {
    this.log('error', message, meta);
  }
  warn(message: string, meta?: Error | JsonObject) {
    this.log('warn', message, meta);
  }
  info(message: string, meta?: Error | JsonObject) {
    this.log('info', message, meta);
  }
  debug(message: string, meta?: Error | JsonObject) {
    this.log('debug', message, meta);
  }
  child(meta: JsonObject) {
    return new CapturingLogger(this.entries, { ...this.fields, ...meta });
  }

  private log(
    level: LogEntry['level'],
    message: string,
    meta?: Error | JsonObject,
  ) {
    const extra =
      meta instanceof Error
        ? { error: { name: meta.name, message: meta.message } }
        : meta ?? {};
    const entry = { level, message, meta: { ...this.fields, ...extra } };
    this.entries.push(entry);
    if (process.env.KRATIX_TEST_LOG) {
      // eslint-disable-next-line no-console
      console.log(`[${level}] ${message} ${JSON.stringify(entry.meta)}`);
    }
  }
}

const examples = path.resolve(__dirname, '../../../../../examples');

export interface KratixTestBackendOptions {
  /** The cluster to use: a started sandbox, or any URL and token. */
  cluster: {
    url: string;
    token: string;
    /** PEM of the cluster's certificate (the sandbox's self-signed one) when it serves HTTPS. */
    certificate?: string;
    requestTimeoutMs?: number;
    /**
     * The cluster's `auth` instead of `{ type: serviceAccount, token }` (e.g. `impersonate`, whose
     * `token` defaults to the one above).
     */
    auth?: JsonObject;
  };
  /** kratix.clusters[sandbox].delivery (issue 27): how requests reach the cluster. */
  delivery?: JsonObject;
  /** backend.database; SQLite in memory by default. */
  database?: JsonObject;
  /** Merged into the config (objects deeply, other values replaced). */
  extraConfig?: JsonObject;
  /** Wait until the example catalog is ingested and its users can sign in (default true). */
  waitForCatalog?: boolean;
  /** More plugins and modules (scaffolder, search, catalog modules, …) to start with the rest. */
  features?: Array<BackendFeature | Promise<{ default: BackendFeature }>>;
  /** More catalog locations (files) besides the example catalog. */
  extraLocations?: string[];
  /**
   * Route WebSocket upgrades (the signals backend needs them; see WebSocketRoutes). Default false.
   */
  webSockets?: boolean;
}

export type TestUser = 'guest' | 'alice' | 'bob' | (string & {});

export interface KratixTestBackend {
  backend: TestBackend;
  server: TestBackend['server'];
  /** Every log line of the backend, audit events included (meta.isAuditEvent). */
  logs: LogEntry[];
  /** The Kratix plugin's database (knex). */
  readonly kratixDatabase: KnexClient;
  /** A user token from the auth backend, signed in once per backend and cached. */
  token(user: TestUser): Promise<string>;
  /** `Bearer <token>` for the user. */
  auth(user: TestUser): Promise<string>;
  /** Signs the user in afresh (not cached). */
  signIn(user: TestUser): Promise<string>;
  stop(): Promise<void>;
}

export async function startKratixTestBackend(
  options: KratixTestBackendOptions,
): Promise<KratixTestBackend> {
  const logger = new CapturingLogger();
  const probe: { knex?: KnexClient } = {};
  const webSockets = options.webSockets ? new WebSocketRoutes() : undefined;
  const backend = await startTestBackend({
    features: [
      // Real identity services, as in a production backend.
      authServiceFactory,
      httpAuthServiceFactory,
      userInfoServiceFactory,
      createServiceFactory({
        service: coreServices.rootLogger,
        deps: {},
        factory: () => logger,
      }),
      authBackend,
      testAuthProviderModule,
      catalogBackend,
      permissionBackend,
      permissionPolicyModule,
      kratixBackend,
      kratixDatabaseProbe(probe),
      ...(webSockets ? [webSockets.feature, httpRouterServiceFactory] : []),
      ...(options.features ?? []),
      mockServices.rootConfig.factory({
        data: mergeConfig(
          {
            app: { baseUrl: 'http://localhost:3000' },
            backend: {
              database: options.database ?? {
                client: 'better-sqlite3',
                connection: ':memory:',
              },
            },
            auth: { providers: { test: { header: TEST_USER_HEADER } } },
            permission: { enabled: true },
            catalog: {
              processingInterval: { seconds: 1 },
              rules: [
                {
                  allow: [
                    'Component',
                    'System',
                    'User',
                    'Group',
                    'Resource',
                    'Template',
                    'Location',
                  ],
                },
              ],
              locations: [
                { type: 'file', target: path.join(examples, 'entities.yaml') },
                { type: 'file', target: path.join(examples, 'org.yaml') },
                ...(options.extraLocations ?? []).map(target => ({
                  type: 'file',
                  target,
                })),
              ],
            },
            kratix: {
              clusters: [
                {
                  name: 'sandbox',
                  url: options.cluster.url,
                  auth: options.cluster.auth
                    ? { token: options.cluster.token, ...options.cluster.auth }
                    : {
                        type: 'serviceAccount',
                        token: options.cluster.token,
                      },
                  ...(options.cluster.certificate
                    ? {
                        caData: Buffer.from(
                          options.cluster.certificate,
                        ).toString('base64'),
                      }
                    : {}),
                  // client-node refuses plain-HTTP servers unless TLS verification is explicitly off
                  // ("HTTP protocol is not allowed when skipTLSVerify is not set or false").
                  ...(options.cluster.url.startsWith('http://')
                    ? { skipTLSVerify: true }
                    : {}),
                  requestTimeoutMs: options.cluster.requestTimeoutMs ?? 3000,
                  ...(options.delivery ? { delivery: options.delivery } : {}),
                },
              ],
              creation: { allowedNamespaces: ['default', 'team-checkout'] },
              // As in app-config.yaml: alice's team runs the platform.
              platformTeam: 'group:default/team-platform',
            },
          },
          options.extraConfig ?? {},
        ),
      }),
    ],
  });
  const server = backend.server;
  webSockets?.attach(server);
  const tokens = new Map<string, Promise<string>>();

  /** Signs the user in through the auth backend's test provider; a genuine Backstage user token. */
  async function signIn(user: TestUser): Promise<string> {
    const res = await request(server)
      .get('/api/auth/test/refresh')
      .set('X-Requested-With', 'XMLHttpRequest')
      .set(TEST_USER_HEADER, user);
    if (res.status !== 200) {
      throw new Error(
        `Sign-in of ${user} failed: ${res.status} ${JSON.stringify(res.body)}`,
      );
    }
    return res.body.backstageIdentity.token;
  }

  const result: KratixTestBackend = {
    backend,
    server,
    logs: logger.entries,
    get kratixDatabase(): KnexClient {
      if (!probe.knex) throw new Error('The Kratix plugin has not started');
      return probe.knex;
    },
    token(user: TestUser): Promise<string> {
      let token = tokens.get(user);
      if (!token) {
        token = signIn(user);
        tokens.set(user, token);
        token.catch(() => tokens.delete(user));
      }
      return token;
    },
    async auth(user: TestUser): Promise<string> {
      return `Bearer ${await result.token(user)}`;
    },
    signIn,
    stop: () => backend.stop(),
  };

  if (options.waitForCatalog ?? true) {
    // The catalog ingests the examples asynchronously, and sign-in computes a user's ownership from
    // their memberOf relations: wait for the last example entity and for every membership before
    // anyone signs in for the tests (tokens are cached).
    // Every example entity is checked by alice, the platform team, who may see them all.
    const wanted: Array<[string, string[]]> = [
      [
        'user/default/guest',
        ['group:default/team-search', 'group:default/team-checkout'],
      ],
      ['user/default/alice', ['group:default/team-platform']],
      ...exampleEntityPaths().map((p): [string, string[]] => [p, []]),
    ];
    await waitForCatalogEntities(result, wanted, 'the examples');
  }
  return result;
}

/**
 * Waits until the catalog holds each entity (`kind/namespace/name`) with at least the given
 * memberOf relations, read by alice (the platform team, who sees every entity). Sign-in computes a
 * user's ownership from these relations, so wait before signing in the users of extraLocations.
 */
export async function waitForCatalogEntities(
  backend: Pick<KratixTestBackend, 'server' | 'signIn'>,
  wanted: Array<[string, string[]]>,
  what = 'the entities',
): Promise<void> {
  await eventually(async () => {
    const header = `Bearer ${await backend.signIn('alice')}`;
    for (const [ref, groups] of wanted) {
      const res = await request(backend.server)
        .get(`/api/catalog/entities/by-name/${ref}`)
        .set('Authorization', header);
      if (res.status !== 200) return undefined;
      const memberOf = (res.body.relations ?? [])
        .filter((r: { type: string }) => r.type === 'memberOf')
        .map((r: { targetRef: string }) => r.targetRef);
      if (!groups.every(g => memberOf.includes(g))) return undefined;
    }
    return true;
  }, `the catalog to ingest ${what}`);
}

/** `kind/namespace/name` of every entity in the example catalog's entities.yaml. */
function exampleEntityPaths(): string[] {
  const file = readFileSync(path.join(examples, 'entities.yaml'), 'utf8');
  return parseAllDocuments(file)
    .map(doc => doc.toJS())
    .filter(Boolean)
    .map(
      (e: { kind: string; metadata: { name: string; namespace?: string } }) =>
        `${e.kind.toLocaleLowerCase('en-US')}/${
          e.metadata.namespace ?? 'default'
        }/${e.metadata.name}`,
    );
}

/** Polls until `check` returns a value (not undefined) or the time runs out. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error(`Timed out waiting for ${what}${last ? `: ${last}` : ''}`);
}

/** `extra` over `base`: objects merge key by key, anything else replaces. */
function mergeConfig(base: JsonObject, extra: JsonObject): JsonObject {
  const result: JsonObject = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = result[key];
    const bothObjects = [current, value].every(
      v => typeof v === 'object' && v !== null && !Array.isArray(v),
    );
    result[key] = bothObjects
      ? mergeConfig(current as JsonObject, value as JsonObject)
      : value;
  }
  return result;
}
