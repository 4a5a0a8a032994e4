/*
 * The Kratix plugin as Backstage starts it, for the plugin's own tests: startTestBackend with
 * Backstage's mock services, the catalog as catalogServiceMock over seedCatalog.ts, the REAL
 * permission backend with testPolicy.ts (`permission.enabled: true`, so every decision travels
 * through the permission client and backend as in an app), a sandbox platform as the only
 * cluster (configured through `kratix.clusters`, as an app does), and the MCP actions in
 * Backstage's mock actions registry, so the tests can invoke them as any user.
 *
 * Two test doubles stand in for identity: the users' ownership claims come from their catalog
 * entities (seedCatalog.ts's ownershipOf), and the mock auth service names the calling plugin as
 * the actor of a token it gets on a user's behalf, as real Backstage tokens do (see authWithActors).
 */
import {
  coreServices,
  createServiceFactory,
  type AuthService,
  type BackstageCredentials,
  type BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { InputError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import permissionBackend from '@backstage/plugin-permission-backend';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- the sandbox platform, for tests only (a devDependency)
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import request from 'supertest';
import { kratixPlugin } from '../plugin';
import {
  ownershipOf,
  READER,
  SEED_ENTITIES,
  TRUSTED_LOCATIONS,
} from './seedCatalog';
import { readOnlyTestPolicyModule } from './testPolicy';

/** A JSON object of config, as the mock root config takes it. */
type ConfigData = NonNullable<
  NonNullable<Parameters<typeof mockServices.rootConfig.factory>[0]>['data']
>;

export type MockActionsRegistry = ReturnType<typeof actionsRegistryServiceMock>;

export interface PluginBackend {
  sandbox: Sandbox;
  server: TestBackend['server'];
  /** The Kratix plugin's MCP actions: `actions.invoke({ id: 'test:<name>', … })`. */
  actions: MockActionsRegistry;
  /** `Bearer <token>` of the user, for the routes. */
  auth(userEntityRef: string): string;
  close(): Promise<void>;
}

/**
 * Backstage's mock auth, except for one thing: a token a plugin gets to call another plugin on a
 * user's behalf authenticates as that user WITH the calling plugin as actor — as Backstage's real
 * on-behalf-of tokens do. The mock drops the actor, and the permission backend refuses conditional
 * questions (`authorizeConditional` on a resource permission) from a user without one: they are
 * plugin-to-plugin questions only.
 */
const authWithActors = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }): AuthService {
    const mock = mockServices.auth({ pluginId: plugin.getId() });
    return {
      authenticate: (token, options) => mock.authenticate(token, options),
      getNoneCredentials: () => mock.getNoneCredentials(),
      getOwnServiceCredentials: () => mock.getOwnServiceCredentials(),
      isPrincipal: mock.isPrincipal.bind(mock) as AuthService['isPrincipal'],
      getLimitedUserToken: credentials => mock.getLimitedUserToken(credentials),
      listPublicServiceKeys: () => mock.listPublicServiceKeys(),
      async getPluginRequestToken(options) {
        if (mock.isPrincipal(options.onBehalfOf, 'user')) {
          const { userEntityRef } = options.onBehalfOf.principal;
          return {
            token: mockCredentials.user.token(userEntityRef, {
              actor: { subject: `plugin:${plugin.getId()}` },
            }),
          };
        }
        return mock.getPluginRequestToken(options);
      },
    };
  },
});

/** Each user's ownership claims from their catalog entity (what sign-in would put in their token). */
const userInfoFromCatalog = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: BackstageCredentials) {
      const principal =
        credentials.principal as Partial<BackstageUserPrincipal>;
      if (principal.type !== 'user' || !principal.userEntityRef) {
        throw new InputError('User info is only available for users');
      }
      return {
        userEntityRef: principal.userEntityRef,
        ownershipEntityRefs: ownershipOf(principal.userEntityRef),
      };
    },
  }),
});

/**
 * Starts a seeded sandbox and the plugin against it; resolves once the plugin's cluster cache (fed
 * by the sandbox's watches after start) shows the reader every Resource their entities link.
 */
export async function startPluginBackend(
  options: {
    /** `kratix.clusters[sandbox].delivery`. */
    delivery?: ConfigData;
    /** More top-level config (e.g. `integrations` for a Git delivery). */
    extraConfig?: ConfigData;
  } = {},
): Promise<PluginBackend> {
  const sandbox = await startSandbox({ stepDelayMs: 20 });
  let backend: TestBackend | undefined;
  try {
    await sandbox.ready;
    const actions = actionsRegistryServiceMock();
    backend = await startTestBackend({
      features: [
        kratixPlugin,
        permissionBackend,
        readOnlyTestPolicyModule,
        catalogServiceMock.factory({ entities: SEED_ENTITIES }),
        authWithActors,
        userInfoFromCatalog,
        createServiceFactory({
          service: actionsRegistryServiceRef,
          deps: {},
          factory: () => actions,
        }),
        mockServices.rootConfig.factory({
          data: {
            backend: {
              database: { client: 'better-sqlite3', connection: ':memory:' },
            },
            permission: { enabled: true },
            ...options.extraConfig,
            kratix: {
              clusters: [
                {
                  name: 'sandbox',
                  url: sandbox.url,
                  auth: { type: 'serviceAccount', token: sandbox.token },
                  caData: Buffer.from(sandbox.certificate!).toString('base64'),
                  requestTimeoutMs: 5000,
                  ...(options.delivery ? { delivery: options.delivery } : {}),
                },
              ],
              trustedLocations: TRUSTED_LOCATIONS,
              creation: { allowedNamespaces: ['default'] },
            },
          },
        }),
      ],
    });
    const { server } = backend;
    const stop = backend.stop.bind(backend);
    const plugin: PluginBackend = {
      sandbox,
      server,
      actions,
      auth: userEntityRef => mockCredentials.user.header(userEntityRef),
      async close() {
        await stop();
        await sandbox.close();
      },
    };
    const linked = async (entity: string) => {
      const res = await request(server)
        .get(`/api/kratix/entities/component/default/${entity}/resources`)
        .set('Authorization', plugin.auth(READER));
      if (res.status !== 200) {
        throw new Error(`${entity}: ${res.status} ${JSON.stringify(res.body)}`);
      }
      return res.body.items.length as number;
    };
    await eventually(
      async () =>
        (await linked('checkout-service')) === 3 &&
        (await linked('session-cache')) === 1
          ? true
          : undefined,
      "the plugin to see the reader's Resources",
    );
    return plugin;
  } catch (error) {
    await backend?.stop();
    await sandbox.close();
    throw error;
  }
}

/** Polls until `check` returns a value (not undefined) or the time runs out; for eventual consistency only. */
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
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`Timed out waiting for ${what}${last ? `: ${last}` : ''}`);
}
