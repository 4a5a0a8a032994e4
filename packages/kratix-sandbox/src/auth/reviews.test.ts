/*
 * The access reviews over HTTP, as `kubectl auth can-i` and Backstage's per-user checks use them:
 * create-only kinds answered with 201 and a status, never stored, validated as the apiserver does.
 */
import { call } from '../__testUtils__/http';
import { type RunningApiServer, startApiServer } from '../apiserver/ApiServer';
import { RBAC_GROUP } from '../rbac/rbacTypes';
import { createSandboxStore } from '../store';

const ADMIN = 'admin-token';
const ALICE = 'alice-token';
const AUTHZ = '/apis/authorization.k8s.io/v1';

let server: RunningApiServer;

const post = (token: string, path: string, body: unknown) =>
  call(server.url, 'POST', path, { token, body });

const redisCreate = {
  namespace: 'default',
  verb: 'create',
  group: 'marketplace.kratix.io',
  resource: 'redis',
};

beforeAll(async () => {
  server = await startApiServer({
    store: createSandboxStore(),
    tls: false,
    token: ADMIN,
    rbac: true,
    users: [{ token: ALICE, username: 'alice', groups: ['team-checkout'] }],
  });
  await post(ADMIN, `/apis/${RBAC_GROUP}/v1/namespaces/default/roles`, {
    metadata: { name: 'redis-requester' },
    rules: [
      {
        apiGroups: ['marketplace.kratix.io'],
        resources: ['redis'],
        verbs: ['get', 'create'],
      },
    ],
  });
  await post(ADMIN, `/apis/${RBAC_GROUP}/v1/namespaces/default/rolebindings`, {
    metadata: { name: 'team-checkout' },
    roleRef: { kind: 'Role', name: 'redis-requester' },
    subjects: [{ kind: 'Group', name: 'team-checkout' }],
  });
});

afterAll(() => server?.close());

describe('access reviews', () => {
  it('answers SelfSubjectAccessReview for the caller, echoing what was asked', async () => {
    const reply = await post(ALICE, `${AUTHZ}/selfsubjectaccessreviews`, {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: redisCreate },
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      metadata: {},
      spec: { resourceAttributes: redisCreate },
      status: {
        allowed: true,
        reason:
          'RBAC: allowed by RoleBinding "team-checkout/default" of Role "redis-requester" to Group "team-checkout"',
      },
    });
    const no = await post(ALICE, `${AUTHZ}/selfsubjectaccessreviews`, {
      spec: { resourceAttributes: { ...redisCreate, verb: 'delete' } },
    });
    expect(no.body.status).toEqual({ allowed: false });
    const url = await post(ALICE, `${AUTHZ}/selfsubjectaccessreviews`, {
      spec: { nonResourceAttributes: { path: '/apis/batch', verb: 'get' } },
    });
    expect(url.body.status.allowed).toBe(true);
  });

  it('answers SubjectAccessReview and LocalSubjectAccessReview for the subject named, to those allowed to ask', async () => {
    const review = {
      spec: {
        resourceAttributes: redisCreate,
        user: 'dave',
        groups: ['team-checkout'],
      },
    };
    const reply = await post(ADMIN, `${AUTHZ}/subjectaccessreviews`, review);
    expect(reply.status).toBe(201);
    expect(reply.body.status.allowed).toBe(true);
    const groupless = await post(ADMIN, `${AUTHZ}/subjectaccessreviews`, {
      spec: { resourceAttributes: redisCreate, user: 'dave' },
    });
    expect(groupless.body.status).toEqual({ allowed: false });
    // Asking about others is itself a permission.
    const asked = await post(ALICE, `${AUTHZ}/subjectaccessreviews`, review);
    expect(asked.body.message).toBe(
      'subjectaccessreviews.authorization.k8s.io is forbidden: User "alice" cannot create resource "subjectaccessreviews" in API group "authorization.k8s.io" at the cluster scope',
    );
    const local = await post(
      ADMIN,
      `${AUTHZ}/namespaces/default/localsubjectaccessreviews`,
      review,
    );
    expect(local.body).toMatchObject({
      kind: 'LocalSubjectAccessReview',
      metadata: { namespace: 'default' },
      status: { allowed: true },
    });
    const elsewhere = await post(
      ADMIN,
      `${AUTHZ}/namespaces/kube-system/localsubjectaccessreviews`,
      review,
    );
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.message).toBe(
      'spec.resourceAttributes.namespace must match namespace: kube-system',
    );
  });

  it('validates reviews as the apiserver does', async () => {
    const neither = await post(ADMIN, `${AUTHZ}/subjectaccessreviews`, {
      spec: { user: 'dave' },
    });
    expect(neither.status).toBe(422);
    expect(neither.body.message).toBe(
      'SubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
    );
    const nobody = await post(ADMIN, `${AUTHZ}/subjectaccessreviews`, {
      spec: { resourceAttributes: redisCreate },
    });
    expect(nobody.body.message).toContain(
      'spec.user: Invalid value: "": at least one of user or group must be specified',
    );
    const rules = await post(ALICE, `${AUTHZ}/selfsubjectrulesreviews`, {
      spec: {},
    });
    expect([rules.status, rules.body.message]).toEqual([
      400,
      'no namespace on request',
    ]);
  });

  it("lists the caller's rules in a namespace (SelfSubjectRulesReview)", async () => {
    const reply = await post(ALICE, `${AUTHZ}/selfsubjectrulesreviews`, {
      spec: { namespace: 'default' },
    });
    expect(reply.status).toBe(201);
    expect(reply.body.status.resourceRules).toEqual(
      expect.arrayContaining([
        {
          verbs: ['get', 'create'],
          apiGroups: ['marketplace.kratix.io'],
          resources: ['redis'],
        },
        {
          verbs: ['create'],
          apiGroups: ['authorization.k8s.io'],
          resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
        },
      ]),
    );
    expect(reply.body.status.nonResourceRules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          verbs: ['get'],
          nonResourceURLs: expect.arrayContaining(['/apis/*', '/version']),
        }),
      ]),
    );
    expect(reply.body.status.incomplete).toBe(false);
    const other = await post(ALICE, `${AUTHZ}/selfsubjectrulesreviews`, {
      spec: { namespace: 'kube-system' },
    });
    expect(
      other.body.status.resourceRules.some((r: any) =>
        r.resources.includes('redis'),
      ),
    ).toBe(false);
  });

  it('tells the caller who they are (SelfSubjectReview, v1 and v1beta1)', async () => {
    for (const version of ['v1', 'v1beta1']) {
      const reply = await post(
        ALICE,
        `/apis/authentication.k8s.io/${version}/selfsubjectreviews`,
        {},
      );
      expect(reply.body).toEqual({
        apiVersion: `authentication.k8s.io/${version}`,
        kind: 'SelfSubjectReview',
        metadata: {},
        status: {
          userInfo: {
            username: 'alice',
            groups: ['team-checkout', 'system:authenticated'],
          },
        },
      });
    }
  });

  it('only creates: discovery lists `create`, and nothing else is served', async () => {
    const discovery = await call(server.url, 'GET', AUTHZ, { token: ALICE });
    expect(
      discovery.body.resources.map((r: any) => [r.name, r.namespaced, r.verbs]),
    ).toEqual([
      ['localsubjectaccessreviews', true, ['create']],
      ['selfsubjectaccessreviews', false, ['create']],
      ['selfsubjectrulesreviews', false, ['create']],
      ['subjectaccessreviews', false, ['create']],
    ]);
    const list = await call(
      server.url,
      'GET',
      `${AUTHZ}/subjectaccessreviews`,
      {
        token: ADMIN,
      },
    );
    expect(list.status).toBe(405);
  });
});
