/*
 * The RBAC authorizer over stored Roles, ClusterRoles and bindings: what each kind of rule grants,
 * to whom, where, and the reasons it gives (those SubjectAccessReviews return).
 */
import type { UserInfo } from '../auth/identity';
import { createSandboxStore, NAMESPACE_TYPE } from '../store';
import type { KubeObject, Store } from '../store/types';
import type { Attributes } from './attributes';
import { rbacAuthorizer } from './authorizer';
import {
  CLUSTER_ROLE_BINDING_KEY,
  CLUSTER_ROLE_KEY,
  type PolicyRule,
  RBAC_GROUP,
  ROLE_BINDING_KEY,
  ROLE_KEY,
  type Subject,
} from './rbacTypes';

const user = (username: string, ...groups: string[]): UserInfo => ({
  username,
  groups: [...groups, 'system:authenticated'],
});

const resource = (
  who: UserInfo,
  verb: string,
  apiGroup: string,
  resourceName: string,
  more: Partial<Attributes> = {},
): Attributes => ({
  user: who,
  verb,
  resourceRequest: true,
  path: '',
  apiGroup,
  apiVersion: 'v1',
  resource: resourceName,
  subresource: '',
  namespace: '',
  name: '',
  ...more,
});

const nonResource = (
  who: UserInfo,
  verb: string,
  path: string,
): Attributes => ({
  ...resource(who, verb, '', ''),
  resourceRequest: false,
  path,
});

function role(
  store: Store,
  name: string,
  rules: PolicyRule[],
  namespace?: string,
): void {
  store.create(namespace ? ROLE_KEY : CLUSTER_ROLE_KEY, {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: namespace ? 'Role' : 'ClusterRole',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    rules,
  } as KubeObject);
}

function bind(
  store: Store,
  name: string,
  roleRef: { kind: 'Role' | 'ClusterRole'; name: string },
  subjects: Subject[],
  namespace?: string,
): void {
  store.create(namespace ? ROLE_BINDING_KEY : CLUSTER_ROLE_BINDING_KEY, {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: namespace ? 'RoleBinding' : 'ClusterRoleBinding',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    roleRef: { apiGroup: RBAC_GROUP, ...roleRef },
    subjects,
  } as KubeObject);
}

const group = (name: string): Subject => ({ kind: 'Group', name });

describe('rbacAuthorizer', () => {
  let store: Store;
  beforeEach(() => {
    store = createSandboxStore();
    for (const name of ['team-a', 'team-b', 'ci'])
      store.create(NAMESPACE_TYPE, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name },
      });
  });

  it('allows system:masters everything, with no RBAC object at all', () => {
    const admin = user('root', 'system:masters');
    expect(
      rbacAuthorizer(store).authorize(
        resource(admin, 'delete', 'marketplace.kratix.io', 'redis', {
          namespace: 'default',
          name: 'x',
        }),
      ),
    ).toEqual({ allowed: true, reason: '' });
    expect(
      rbacAuthorizer(store).authorize(resource(user('bob'), 'get', '', 'pods')),
    ).toEqual({ allowed: false, reason: '' });
  });

  it('grants a namespaced Role to a group in its namespace only, for its verbs only', () => {
    role(
      store,
      'redis-requester',
      [
        {
          apiGroups: ['marketplace.kratix.io'],
          resources: ['redis'],
          verbs: ['get', 'create'],
        },
      ],
      'default',
    );
    bind(
      store,
      'team-checkout',
      { kind: 'Role', name: 'redis-requester' },
      [group('backstage:team-checkout')],
      'default',
    );
    const authorizer = rbacAuthorizer(store);
    const alice = user('alice', 'backstage:team-checkout');
    const create = (who: UserInfo, namespace: string) =>
      authorizer.authorize(
        resource(who, 'create', 'marketplace.kratix.io', 'redis', {
          namespace,
        }),
      );
    expect(create(alice, 'default')).toEqual({
      allowed: true,
      reason:
        'RBAC: allowed by RoleBinding "team-checkout/default" of Role "redis-requester" to Group "backstage:team-checkout"',
    });
    expect(create(alice, 'other').allowed).toBe(false);
    expect(
      create(user('bob', 'backstage:team-search'), 'default').allowed,
    ).toBe(false);
    expect(
      authorizer.authorize(
        resource(alice, 'delete', 'marketplace.kratix.io', 'redis', {
          namespace: 'default',
          name: 'x',
        }),
      ).allowed,
    ).toBe(false);
    // The same resource name in another group is another resource.
    expect(
      authorizer.authorize(
        resource(alice, 'create', 'other.example.com', 'redis', {
          namespace: 'default',
        }),
      ).allowed,
    ).toBe(false);
  });

  it('grants a ClusterRole in one namespace through a RoleBinding and everywhere through a ClusterRoleBinding', () => {
    role(store, 'reader', [
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
    ]);
    bind(
      store,
      'read-here',
      { kind: 'ClusterRole', name: 'reader' },
      [{ kind: 'User', name: 'carol' }],
      'team-a',
    );
    bind(store, 'read-everywhere', { kind: 'ClusterRole', name: 'reader' }, [
      { kind: 'User', name: 'dave' },
    ]);
    const authorizer = rbacAuthorizer(store);
    const list = (who: string, namespace: string) =>
      authorizer.authorize(
        resource(user(who), 'list', '', 'pods', { namespace }),
      ).allowed;
    expect(list('carol', 'team-a')).toBe(true);
    expect(list('carol', 'team-b')).toBe(false);
    expect(list('carol', '')).toBe(false);
    expect(list('dave', 'team-b')).toBe(true);
    expect(list('dave', '')).toBe(true);
    expect(
      authorizer.authorize(resource(user('dave'), 'list', '', 'pods')).reason,
    ).toBe(
      'RBAC: allowed by ClusterRoleBinding "read-everywhere" of ClusterRole "reader" to User "dave"',
    );
  });

  it('matches wildcards, subresources, resource names and non-resource URLs as Kubernetes does', () => {
    role(store, 'mixed', [
      { apiGroups: ['*'], resources: ['*/status'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
      {
        apiGroups: ['marketplace.kratix.io'],
        resources: ['redis'],
        resourceNames: ['cache'],
        verbs: ['*'],
      },
      { apiGroups: ['batch'], resources: ['*'], verbs: ['watch'] },
      { nonResourceURLs: ['/apis/*', '/healthz'], verbs: ['get'] },
    ]);
    bind(store, 'mixed', { kind: 'ClusterRole', name: 'mixed' }, [group('g')]);
    const authorizer = rbacAuthorizer(store);
    const who = user('erin', 'g');
    const allowed = (a: Attributes) => authorizer.authorize(a).allowed;
    const ns = { namespace: 'default' };

    // */status: any group's status subresource, never the object itself.
    expect(
      allowed(
        resource(who, 'get', 'marketplace.kratix.io', 'redis', {
          ...ns,
          name: 'other',
          subresource: 'status',
        }),
      ),
    ).toBe(true);
    expect(
      allowed(resource(who, 'get', 'batch', 'jobs', { ...ns, name: 'j' })),
    ).toBe(false);
    // pods/log is a resource of its own: pods are not readable with it.
    expect(
      allowed(
        resource(who, 'get', '', 'pods', {
          ...ns,
          name: 'p',
          subresource: 'log',
        }),
      ),
    ).toBe(true);
    expect(
      allowed(resource(who, 'get', '', 'pods', { ...ns, name: 'p' })),
    ).toBe(false);
    // resourceNames: that object, with any verb; not others, not a list.
    expect(
      allowed(
        resource(who, 'delete', 'marketplace.kratix.io', 'redis', {
          ...ns,
          name: 'cache',
        }),
      ),
    ).toBe(true);
    expect(
      allowed(
        resource(who, 'delete', 'marketplace.kratix.io', 'redis', {
          ...ns,
          name: 'other',
        }),
      ),
    ).toBe(false);
    expect(
      allowed(resource(who, 'list', 'marketplace.kratix.io', 'redis', ns)),
    ).toBe(false);
    // resources: ['*'] includes subresources.
    expect(
      allowed(
        resource(who, 'watch', 'batch', 'jobs', {
          ...ns,
          subresource: 'status',
        }),
      ),
    ).toBe(true);
    // Non-resource URLs: exact, or a prefix before the trailing *.
    expect(allowed(nonResource(who, 'get', '/apis/batch/v1'))).toBe(true);
    expect(allowed(nonResource(who, 'get', '/apis'))).toBe(false);
    expect(allowed(nonResource(who, 'get', '/healthz'))).toBe(true);
    expect(allowed(nonResource(who, 'get', '/healthz/etcd'))).toBe(false);
    expect(allowed(nonResource(who, 'post', '/healthz'))).toBe(false);
  });

  it('binds service accounts by namespace, defaulting to the RoleBinding’s', () => {
    role(store, 'sa-reader', [
      { apiGroups: [''], resources: ['events'], verbs: ['list'] },
    ]);
    bind(
      store,
      'local-sa',
      { kind: 'ClusterRole', name: 'sa-reader' },
      [{ kind: 'ServiceAccount', name: 'robot' }],
      'ci',
    );
    const authorizer = rbacAuthorizer(store);
    const list = (username: string) =>
      authorizer.authorize(
        resource(user(username), 'list', '', 'events', { namespace: 'ci' }),
      );
    expect(list('system:serviceaccount:ci:robot')).toEqual({
      allowed: true,
      reason:
        'RBAC: allowed by RoleBinding "local-sa/ci" of ClusterRole "sa-reader" to ServiceAccount "robot/ci"',
    });
    expect(list('system:serviceaccount:other:robot').allowed).toBe(false);
    expect(list('robot').allowed).toBe(false);
  });

  it('says which role a denial could not find, and lists a user’s rules with the same error', () => {
    bind(
      store,
      'dangling',
      { kind: 'Role', name: 'gone' },
      [group('g')],
      'default',
    );
    bind(store, 'dangling-cluster', { kind: 'ClusterRole', name: 'gone' }, [
      group('g'),
    ]);
    role(store, 'urls', [{ nonResourceURLs: ['/version'], verbs: ['get'] }]);
    bind(store, 'urls', { kind: 'ClusterRole', name: 'urls' }, [group('g')]);
    const authorizer = rbacAuthorizer(store);
    const who = user('frank', 'g');
    expect(
      authorizer.authorize(
        resource(who, 'get', '', 'pods', { namespace: 'default', name: 'p' }),
      ),
    ).toEqual({
      allowed: false,
      reason:
        'RBAC: [clusterrole.rbac.authorization.k8s.io "gone" not found, role.rbac.authorization.k8s.io "gone" not found]',
    });
    expect(authorizer.rulesFor(who, 'default')).toEqual({
      resourceRules: [],
      nonResourceRules: [{ nonResourceURLs: ['/version'], verbs: ['get'] }],
      incomplete: false,
      evaluationError:
        '[clusterrole.rbac.authorization.k8s.io "gone" not found, role.rbac.authorization.k8s.io "gone" not found]',
    });
  });

  it('sees role changes at once: the store is the only cache', () => {
    role(
      store,
      'r',
      [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
      'default',
    );
    bind(store, 'b', { kind: 'Role', name: 'r' }, [group('g')], 'default');
    const authorizer = rbacAuthorizer(store);
    const list = () =>
      authorizer.authorize(
        resource(user('gina', 'g'), 'list', '', 'pods', {
          namespace: 'default',
        }),
      ).allowed;
    expect(list()).toBe(false);
    store.patch(ROLE_KEY, 'default', 'r', 'merge', {
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }],
    });
    expect(list()).toBe(true);
    store.delete(ROLE_BINDING_KEY, 'default', 'b');
    expect(list()).toBe(false);
  });
});
