/*
 * RBAC's escalation prevention over HTTP: a user who may write Roles and bindings can grant only
 * what they hold, unless they have `escalate` (roles) or `bind` (that role); refusals are 403s in
 * Kubernetes' words and store nothing, on create, update and patch alike.
 */
import { call } from '../__testUtils__/http';
import { type RunningApiServer, startApiServer } from '../apiserver/ApiServer';
import { createSandboxStore } from '../store';
import type { ObjectStore } from '../store/ObjectStore';
import { RBAC_GROUP, ROLE_BINDING_KEY, ROLE_KEY } from './rbacTypes';

const ADMIN = 'admin-token';
const LEAD = 'lead-token';
const RBAC = `/apis/${RBAC_GROUP}/v1`;
const ROLES = `${RBAC}/namespaces/default/roles`;
const BINDINGS = `${RBAC}/namespaces/default/rolebindings`;

let store: ObjectStore;
let server: RunningApiServer;

const as = (token: string) => ({
  post: (path: string, body: unknown) =>
    call(server.url, 'POST', path, { token, body }),
  patch: (path: string, body: unknown) =>
    call(server.url, 'PATCH', path, {
      token,
      body,
      headers: { 'Content-Type': 'application/merge-patch+json' },
    }),
});

const redisRule = (...verbs: string[]) => ({
  apiGroups: ['marketplace.kratix.io'],
  resources: ['redis'],
  verbs,
});

beforeAll(async () => {
  store = createSandboxStore();
  server = await startApiServer({
    store,
    tls: false,
    token: ADMIN,
    rbac: true,
    users: [{ token: LEAD, username: 'lead', groups: ['leads'] }],
  });
  // The lead manages Roles and RoleBindings in default and may read and create redis there.
  await as(ADMIN).post(ROLES, {
    metadata: { name: 'team-lead' },
    rules: [
      {
        apiGroups: [RBAC_GROUP],
        resources: ['roles', 'rolebindings'],
        verbs: ['get', 'create', 'update', 'patch'],
      },
      redisRule('get', 'list', 'create'),
    ],
  });
  await as(ADMIN).post(BINDINGS, {
    metadata: { name: 'leads' },
    roleRef: { kind: 'Role', name: 'team-lead' },
    subjects: [{ kind: 'Group', name: 'leads' }],
  });
});

afterAll(() => server?.close());

describe('escalation prevention', () => {
  it('lets a user write a Role with rules they hold, and refuses one with more', async () => {
    const held = await as(LEAD).post(ROLES, {
      metadata: { name: 'reader' },
      rules: [redisRule('get', 'list')],
    });
    expect(held.status).toBe(201);

    const more = await as(LEAD).post(ROLES, {
      metadata: { name: 'deleter' },
      rules: [redisRule('get', 'delete')],
    });
    expect(more.status).toBe(403);
    expect(more.body).toMatchObject({
      reason: 'Forbidden',
      details: {
        name: 'deleter',
        group: RBAC_GROUP,
        kind: 'roles',
      },
      message:
        'roles.rbac.authorization.k8s.io "deleter" is forbidden: user "lead" (groups=["leads" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:["marketplace.kratix.io"], Resources:["redis"], Verbs:["delete"]}',
    });
    expect(store.get(ROLE_KEY, 'default', 'deleter')).toBeUndefined();

    // A patch adding a verb is checked on the result.
    const patched = await as(LEAD).patch(`${ROLES}/reader`, {
      rules: [redisRule('get', 'list', 'deletecollection')],
    });
    expect(patched.status).toBe(403);
    expect(store.get(ROLE_KEY, 'default', 'reader')).toMatchObject({
      rules: [redisRule('get', 'list')],
    });
  });

  it('lets a user bind a role whose rules they hold, or one they may `bind`', async () => {
    const own = await as(LEAD).post(BINDINGS, {
      metadata: { name: 'readers' },
      roleRef: { kind: 'Role', name: 'reader' },
      subjects: [{ kind: 'User', name: 'newcomer' }],
    });
    expect(own.status).toBe(201);

    const admin = await as(LEAD).post(BINDINGS, {
      metadata: { name: 'admins' },
      roleRef: { kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'User', name: 'lead' }],
    });
    expect(admin.status).toBe(403);
    expect(admin.body.message).toMatch(
      /^rolebindings\.rbac\.authorization\.k8s\.io "admins" is forbidden: user "lead" \(groups=\["leads" "system:authenticated"\]\) is attempting to grant RBAC permissions not currently held:\n/,
    );
    expect(store.get(ROLE_BINDING_KEY, 'default', 'admins')).toBeUndefined();

    const missing = await as(LEAD).post(BINDINGS, {
      metadata: { name: 'ghosts' },
      roleRef: { kind: 'Role', name: 'no-such-role' },
      subjects: [{ kind: 'User', name: 'lead' }],
    });
    expect([missing.status, missing.body.message]).toEqual([
      404,
      'roles.rbac.authorization.k8s.io "no-such-role" not found',
    ]);

    // Granted `bind` on the view ClusterRole, the lead may hand it out without holding it.
    await as(ADMIN).post(ROLES, {
      metadata: { name: 'bind-view' },
      rules: [
        {
          apiGroups: [RBAC_GROUP],
          resources: ['clusterroles'],
          resourceNames: ['view'],
          verbs: ['bind'],
        },
      ],
    });
    await as(ADMIN).post(BINDINGS, {
      metadata: { name: 'leads-bind-view' },
      roleRef: { kind: 'Role', name: 'bind-view' },
      subjects: [{ kind: 'Group', name: 'leads' }],
    });
    const view = await as(LEAD).post(BINDINGS, {
      metadata: { name: 'viewers' },
      roleRef: { kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'Group', name: 'auditors' }],
    });
    expect(view.status).toBe(201);
  });

  it('lets a user with `escalate` on roles write any Role', async () => {
    await as(ADMIN).post(`${RBAC}/clusterroles`, {
      metadata: { name: 'escalator' },
      rules: [
        {
          apiGroups: [RBAC_GROUP],
          resources: ['roles'],
          verbs: ['escalate'],
        },
      ],
    });
    await as(ADMIN).post(BINDINGS, {
      metadata: { name: 'leads-escalate' },
      roleRef: { kind: 'ClusterRole', name: 'escalator' },
      subjects: [{ kind: 'Group', name: 'leads' }],
    });
    const anything = await as(LEAD).post(ROLES, {
      metadata: { name: 'everything' },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
    });
    expect(anything.status).toBe(201);
  });
});
