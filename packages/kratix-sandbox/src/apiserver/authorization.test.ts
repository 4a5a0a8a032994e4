/*
 * RBAC on the HTTP surface: every request authorized with the verb Kubernetes derives from it,
 * denials answered with Kubernetes' 403 Status, discovery open to every authenticated user, the
 * admin token (system:masters) never limited, and each decision recorded in the request log.
 */
import { call } from '../__testUtils__/http';
import { RBAC_GROUP } from '../rbac/rbacTypes';
import { createSandboxStore } from '../store';
import { CRD_KEY } from '../store/crdTypes';
import type { ObjectStore } from '../store/ObjectStore';
import { REDIS, redis, redisCrd } from '../store/testFixtures';
import { type RunningApiServer, startApiServer } from './ApiServer';

const BASE = '/apis/marketplace.kratix.io/v1alpha1/namespaces/default/redis';
const ADMIN = 'admin-token';
const ALICE = 'alice-token';
const BOB = 'bob-token';

let store: ObjectStore;
let server: RunningApiServer;

const as = (token: string | null) => ({
  get: (path: string, headers?: Record<string, string>) =>
    call(server.url, 'GET', path, { token, headers }),
  send: (method: string, path: string, body?: unknown, contentType?: string) =>
    call(server.url, method, path, {
      token,
      body,
      headers: contentType ? { 'Content-Type': contentType } : undefined,
    }),
});

beforeAll(async () => {
  store = createSandboxStore();
  store.create(CRD_KEY, redisCrd());
  store.create(REDIS, redis('cache'));
  server = await startApiServer({
    store,
    tls: false,
    token: ADMIN,
    rbac: true,
    users: [
      { token: ALICE, username: 'alice', groups: ['team-checkout'] },
      { token: BOB, username: 'bob' },
    ],
  });
  // team-checkout may read, create and patch redis in default: not update, watch or delete.
  await as(ADMIN).send(
    'POST',
    `/apis/${RBAC_GROUP}/v1/namespaces/default/roles`,
    {
      metadata: { name: 'redis-requester' },
      rules: [
        {
          apiGroups: ['marketplace.kratix.io'],
          resources: ['redis'],
          verbs: ['get', 'list', 'create', 'patch'],
        },
      ],
    },
  );
  await as(ADMIN).send(
    'POST',
    `/apis/${RBAC_GROUP}/v1/namespaces/default/rolebindings`,
    {
      metadata: { name: 'team-checkout' },
      roleRef: { kind: 'Role', name: 'redis-requester' },
      subjects: [{ kind: 'Group', name: 'team-checkout' }],
    },
  );
});

afterAll(() => server?.close());

const forbidden = (message: string, details: Record<string, string>) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason: 'Forbidden',
  details,
  code: 403,
});

describe('RBAC on the API server', () => {
  it('answers a denied request with the Status Kubernetes sends, and changes nothing', async () => {
    const create = await as(BOB).send('POST', BASE, redis('bobs'));
    expect(create.status).toBe(403);
    expect(create.body).toEqual(
      forbidden(
        'redis.marketplace.kratix.io is forbidden: User "bob" cannot create resource "redis" in API group "marketplace.kratix.io" in the namespace "default"',
        { group: 'marketplace.kratix.io', kind: 'redis' },
      ),
    );
    expect(store.get(REDIS, 'default', 'bobs')).toBeUndefined();

    expect((await as(BOB).get(`${BASE}/cache`)).body).toEqual(
      forbidden(
        'redis.marketplace.kratix.io "cache" is forbidden: User "bob" cannot get resource "redis" in API group "marketplace.kratix.io" in the namespace "default"',
        { name: 'cache', group: 'marketplace.kratix.io', kind: 'redis' },
      ),
    );
    expect((await as(BOB).get('/api/v1/namespaces')).body).toEqual(
      forbidden(
        'namespaces is forbidden: User "bob" cannot list resource "namespaces" in API group "" at the cluster scope',
        { kind: 'namespaces' },
      ),
    );
    expect((await as(BOB).get('/logs')).body).toEqual(
      forbidden('forbidden: User "bob" cannot get path "/logs"', {}),
    );
    // A subresource is named with its resource.
    const status = await as(ALICE).send(
      'PATCH',
      `${BASE}/cache/status`,
      { status: { message: 'hacked' } },
      'application/merge-patch+json',
    );
    expect(status.body.message).toBe(
      'redis.marketplace.kratix.io "cache" is forbidden: User "alice" cannot patch resource "redis/status" in API group "marketplace.kratix.io" in the namespace "default"',
    );
  });

  it('lets every authenticated user read discovery, version, health and OpenAPI, and nobody else', async () => {
    for (const path of [
      '/api',
      '/api/v1',
      '/apis',
      '/apis/marketplace.kratix.io',
      '/apis/marketplace.kratix.io/v1alpha1',
      '/version',
      '/healthz',
      '/readyz',
      '/openapi/v3',
      '/openapi/v2',
    ]) {
      expect([path, (await as(BOB).get(path)).status]).toEqual([path, 200]);
      expect([path, (await as(null).get(path)).status]).toEqual([path, 401]);
    }
  });

  it('checks lists, watches, updates, patches and collection deletes with their own verbs', async () => {
    expect((await as(ALICE).get(BASE)).status).toBe(200);
    expect((await as(ALICE).get(`${BASE}/cache`)).status).toBe(200);
    const watch = await as(ALICE).get(`${BASE}?watch=true&timeoutSeconds=1`);
    expect(watch.body.message).toContain(
      'User "alice" cannot watch resource "redis"',
    );
    const patch = await as(ALICE).send(
      'PATCH',
      `${BASE}/cache`,
      { metadata: { labels: { patched: 'yes' } } },
      'application/merge-patch+json',
    );
    expect(patch.status).toBe(200);
    const current = store.get(REDIS, 'default', 'cache')!;
    const update = await as(ALICE).send('PUT', `${BASE}/cache`, current);
    expect(update.body.message).toContain(
      'User "alice" cannot update resource "redis"',
    );
    const deleteAll = await as(ALICE).send('DELETE', BASE);
    expect(deleteAll.body.message).toBe(
      'redis.marketplace.kratix.io is forbidden: User "alice" cannot deletecollection resource "redis" in API group "marketplace.kratix.io" in the namespace "default"',
    );
    expect(store.get(REDIS, 'default', 'cache')).toBeDefined();
    // The role is in default only.
    const elsewhere = await as(ALICE).get(
      '/apis/marketplace.kratix.io/v1alpha1/namespaces/kube-system/redis',
    );
    expect(elsewhere.status).toBe(403);
  });

  it('never limits the admin token (system:masters), even with every binding gone', async () => {
    const removed = await as(ADMIN).send(
      'DELETE',
      `/apis/${RBAC_GROUP}/v1/clusterrolebindings/cluster-admin`,
    );
    expect(removed.status).toBe(200);
    const created = await as(ADMIN).send('POST', BASE, redis('admins'));
    expect(created.status).toBe(201);
    expect((await as(ADMIN).get('/api/v1/namespaces')).status).toBe(200);
  });

  it('records who made each call and what was decided', async () => {
    await as(ALICE).send('POST', BASE, redis('alices'));
    await as(BOB).get(`${BASE}/alices`);
    const [created] = server.requestLog.entries(
      r => r.user === 'alice' && r.verb === 'create',
    );
    expect(created).toMatchObject({
      user: 'alice',
      groups: ['team-checkout', 'system:authenticated'],
      verb: 'create',
      method: 'POST',
      path: BASE,
      resourceRequest: true,
      apiGroup: 'marketplace.kratix.io',
      apiVersion: 'v1alpha1',
      resource: 'redis',
      namespace: 'default',
      allowed: true,
      reason:
        'RBAC: allowed by RoleBinding "team-checkout/default" of Role "redis-requester" to Group "team-checkout"',
    });
    expect(created.impersonator).toBeUndefined();
    const denied = server.requestLog.entries(r => r.user === 'bob').at(-1);
    expect(denied).toMatchObject({
      verb: 'get',
      resource: 'redis',
      name: 'alices',
      allowed: false,
    });
    const discovery = server.requestLog.entries(r => r.path === '/apis').at(-1);
    expect(discovery).toMatchObject({
      resourceRequest: false,
      verb: 'get',
      allowed: true,
    });
  });
});

describe('the API server without RBAC', () => {
  it('lets every authenticated caller do anything, and still records who', async () => {
    const open = await startApiServer({
      store: createSandboxStore(),
      tls: false,
      users: [{ token: BOB, username: 'bob' }],
    });
    try {
      const reply = await call(open.url, 'POST', '/api/v1/namespaces', {
        token: BOB,
        body: { metadata: { name: 'bobs' } },
      });
      expect(reply.status).toBe(201);
      expect(open.requestLog.entries().at(-1)).toMatchObject({
        user: 'bob',
        verb: 'create',
        resource: 'namespaces',
        allowed: true,
      });
      const unknown = await call(open.url, 'GET', '/api', { token: 'nope' });
      expect(unknown.status).toBe(401);
    } finally {
      await open.close();
    }
  });
});
