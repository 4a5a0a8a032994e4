/*
 * Impersonation headers as kube-apiserver's filter handles them: each thing asked for needs the
 * `impersonate` verb on it, the first refusal is a 403 naming it, the request then acts (and is
 * authorized and recorded) as the impersonated user, and headers that cannot be honoured are a
 * plain-text 500.
 */
import { call } from '../__testUtils__/http';
import { type RunningApiServer, startApiServer } from '../apiserver/ApiServer';
import { RBAC_GROUP } from '../rbac/rbacTypes';
import { createSandboxStore } from '../store';
import type { ObjectStore } from '../store/ObjectStore';

const ADMIN = 'admin-token';
const PROXY = 'proxy-token';
const BOB = 'bob-token';
const WHOAMI = '/apis/authentication.k8s.io/v1/selfsubjectreviews';

let store: ObjectStore;
let server: RunningApiServer;

const whoami = (token: string, headers: Record<string, string | string[]>) =>
  call(server.url, 'POST', WHOAMI, {
    token,
    headers,
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
  });

beforeAll(async () => {
  store = createSandboxStore();
  server = await startApiServer({
    store,
    tls: false,
    token: ADMIN,
    rbac: true,
    users: [
      { token: PROXY, username: 'proxy', groups: ['proxies'] },
      { token: BOB, username: 'bob' },
    ],
  });
  const admin = (path: string, body: unknown) =>
    call(server.url, 'POST', `/apis/${RBAC_GROUP}/v1/${path}`, {
      token: ADMIN,
      body,
    });
  // The proxy may act as any user and as the groups team-a and team-b, and set the extra `scopes`.
  await admin('clusterroles', {
    metadata: { name: 'impersonator' },
    rules: [
      { apiGroups: [''], resources: ['users'], verbs: ['impersonate'] },
      {
        apiGroups: [''],
        resources: ['groups'],
        resourceNames: ['team-a', 'team-b'],
        verbs: ['impersonate'],
      },
      {
        apiGroups: ['authentication.k8s.io'],
        resources: ['userextras/scopes'],
        verbs: ['impersonate'],
      },
    ],
  });
  await admin('clusterrolebindings', {
    metadata: { name: 'proxies-impersonate' },
    roleRef: { kind: 'ClusterRole', name: 'impersonator' },
    subjects: [{ kind: 'Group', name: 'proxies' }],
  });
  // team-a may list namespaces.
  await admin('clusterroles', {
    metadata: { name: 'namespace-lister' },
    rules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['list'] }],
  });
  await admin('clusterrolebindings', {
    metadata: { name: 'team-a-namespaces' },
    roleRef: { kind: 'ClusterRole', name: 'namespace-lister' },
    subjects: [{ kind: 'Group', name: 'team-a' }],
  });
});

afterAll(() => server?.close());

describe('impersonation', () => {
  it('acts as the user and groups asked for, authenticated, when the caller may impersonate them', async () => {
    const reply = await whoami(PROXY, {
      'Impersonate-User': 'carol',
      'Impersonate-Group': ['team-a', 'team-b'],
      'Impersonate-Extra-Scopes': 'read',
    });
    expect(reply.status).toBe(201);
    expect(reply.body.status.userInfo).toEqual({
      username: 'carol',
      groups: ['team-a', 'team-b', 'system:authenticated'],
      extra: { scopes: ['read'] },
    });
    // Authorized as carol in team-a, recorded with the proxy as impersonator.
    const list = await call(server.url, 'GET', '/api/v1/namespaces', {
      token: PROXY,
      headers: { 'Impersonate-User': 'carol', 'Impersonate-Group': 'team-a' },
    });
    expect(list.status).toBe(200);
    expect(server.requestLog.entries().at(-1)).toMatchObject({
      user: 'carol',
      groups: ['team-a', 'system:authenticated'],
      impersonator: {
        user: 'proxy',
        groups: ['proxies', 'system:authenticated'],
      },
      verb: 'list',
      resource: 'namespaces',
      allowed: true,
    });
    // Without the group, carol may not.
    const alone = await call(server.url, 'GET', '/api/v1/namespaces', {
      token: PROXY,
      headers: { 'Impersonate-User': 'carol' },
    });
    expect(alone.body.message).toBe(
      'namespaces is forbidden: User "carol" cannot list resource "namespaces" in API group "" at the cluster scope',
    );
  });

  it('refuses, naming it, the first thing the caller may not impersonate', async () => {
    const group = await whoami(PROXY, {
      'Impersonate-User': 'carol',
      'Impersonate-Group': ['team-a', 'system:masters'],
    });
    expect(group.status).toBe(403);
    expect(group.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'groups "system:masters" is forbidden: User "proxy" cannot impersonate resource "groups" in API group "" at the cluster scope',
      reason: 'Forbidden',
      details: { name: 'system:masters', kind: 'groups' },
      code: 403,
    });
    const user = await whoami(BOB, { 'Impersonate-User': 'alice' });
    expect(user.body.message).toBe(
      'users "alice" is forbidden: User "bob" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
    expect(server.requestLog.entries().at(-1)).toMatchObject({
      user: 'bob',
      verb: 'impersonate',
      resource: 'users',
      name: 'alice',
      allowed: false,
    });
    const uid = await whoami(PROXY, {
      'Impersonate-User': 'carol',
      'Impersonate-Uid': 'u-123',
    });
    expect(uid.body.message).toBe(
      'uids.authentication.k8s.io "u-123" is forbidden: User "proxy" cannot impersonate resource "uids" in API group "authentication.k8s.io" at the cluster scope',
    );
    const extra = await whoami(PROXY, {
      'Impersonate-User': 'carol',
      'Impersonate-Extra-Reason': 'because',
    });
    expect(extra.body.message).toBe(
      'userextras.authentication.k8s.io "because" is forbidden: User "proxy" cannot impersonate resource "userextras/reason" in API group "authentication.k8s.io" at the cluster scope',
    );
    const serviceAccount = await whoami(PROXY, {
      'Impersonate-User': 'system:serviceaccount:kratix-platform-system:kratix',
    });
    expect(serviceAccount.body.message).toBe(
      'serviceaccounts "kratix" is forbidden: User "proxy" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "kratix-platform-system"',
    );
  });

  it('gives a service account its groups unless the caller names them, and keeps system:unauthenticated', async () => {
    const sa = await whoami(ADMIN, {
      'Impersonate-User': 'system:serviceaccount:ci:robot',
    });
    expect(sa.body.status.userInfo).toEqual({
      username: 'system:serviceaccount:ci:robot',
      groups: [
        'system:serviceaccounts',
        'system:serviceaccounts:ci',
        'system:authenticated',
      ],
    });
    const named = await whoami(ADMIN, {
      'Impersonate-User': 'system:serviceaccount:ci:robot',
      'Impersonate-Group': 'team-a',
    });
    expect(named.body.status.userInfo.groups).toEqual([
      'team-a',
      'system:authenticated',
    ]);
    // system:anonymous is unauthenticated: it may read the version, not ask who it is.
    const anonymous = await whoami(ADMIN, {
      'Impersonate-User': 'system:anonymous',
    });
    expect(anonymous.body.message).toBe(
      'selfsubjectreviews.authentication.k8s.io is forbidden: User "system:anonymous" cannot create resource "selfsubjectreviews" in API group "authentication.k8s.io" at the cluster scope',
    );
    expect(server.requestLog.entries().at(-1)?.groups).toEqual([
      'system:unauthenticated',
    ]);
    const version = await call(server.url, 'GET', '/version', {
      token: ADMIN,
      headers: { 'Impersonate-User': 'system:anonymous' },
    });
    expect(version.status).toBe(200);
  });

  it('refuses groups, extras or a uid without a user, as a plain-text 500', async () => {
    const reply = await whoami(ADMIN, { 'Impersonate-Group': 'team-a' });
    expect(reply.status).toBe(500);
    expect(reply.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(reply.text).toBe(
      `Internal Server Error: "${WHOAMI}": requested [{Group  team-a    }] without impersonating a user\n`,
    );
  });

  it('lets anyone impersonate anyone when RBAC is off (AlwaysAllow), still recording who', async () => {
    const open = await startApiServer({
      store: createSandboxStore(),
      tls: false,
      users: [{ token: BOB, username: 'bob' }],
    });
    try {
      const reply = await call(open.url, 'GET', '/api/v1/namespaces', {
        token: BOB,
        headers: {
          'Impersonate-User': 'root',
          'Impersonate-Group': 'system:masters',
        },
      });
      expect(reply.status).toBe(200);
      expect(open.requestLog.entries().at(-1)).toMatchObject({
        user: 'root',
        groups: ['system:masters', 'system:authenticated'],
        impersonator: { user: 'bob' },
      });
    } finally {
      await open.close();
    }
  });
});
