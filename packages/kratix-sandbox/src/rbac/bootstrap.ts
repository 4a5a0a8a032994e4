/*
 * The default ClusterRoles and ClusterRoleBindings every cluster starts with
 * (plugin/pkg/auth/authorizer/rbac/bootstrappolicy), cut down to the kinds the sandbox serves:
 * cluster-admin bound to system:masters; discovery, version and health readable by every
 * authenticated user (system:discovery, system:public-info-viewer); self access reviews for all
 * (system:basic-user); and the aggregated user-facing admin, edit and view roles. Created when
 * missing, never overwritten, as the apiserver's RBAC post-start hook does for roles it may not
 * reconcile.
 */
import { isKubeApiError } from '../store/errors';
import type { KubeObject, Store } from '../store/types';
import {
  CLUSTER_ROLE_BINDING_KEY,
  CLUSTER_ROLE_KEY,
  type PolicyRule,
  RBAC_GROUP,
  type Subject,
} from './rbacTypes';

const BOOTSTRAP_LABELS = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const AUTOUPDATE = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };
const AGGREGATE = 'rbac.authorization.k8s.io/aggregate-to-';

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];

function clusterRole(
  name: string,
  rules: PolicyRule[],
  extra: { labels?: Record<string, string>; aggregateFrom?: string } = {},
): KubeObject {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRole',
    metadata: {
      name,
      labels: { ...BOOTSTRAP_LABELS, ...extra.labels },
      annotations: { ...AUTOUPDATE },
    },
    ...(extra.aggregateFrom
      ? {
          aggregationRule: {
            clusterRoleSelectors: [
              { matchLabels: { [AGGREGATE + extra.aggregateFrom]: 'true' } },
            ],
          },
        }
      : {}),
    rules,
  };
}

function clusterRoleBinding(
  name: string,
  role: string,
  subjects: Subject[],
): KubeObject {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: {
      name,
      labels: { ...BOOTSTRAP_LABELS },
      annotations: { ...AUTOUPDATE },
    },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: role },
    subjects,
  };
}

const group = (name: string): Subject => ({
  kind: 'Group',
  apiGroup: RBAC_GROUP,
  name,
});

const HEALTH_AND_VERSION = [
  '/healthz',
  '/livez',
  '/readyz',
  '/version',
  '/version/',
];

export const BOOTSTRAP_CLUSTER_ROLES: KubeObject[] = [
  clusterRole('cluster-admin', [
    { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
    { nonResourceURLs: ['*'], verbs: ['*'] },
  ]),
  clusterRole('system:discovery', [
    {
      nonResourceURLs: [
        '/api',
        '/api/*',
        '/apis',
        '/apis/*',
        '/openapi',
        '/openapi/*',
        ...HEALTH_AND_VERSION,
      ].sort(),
      verbs: ['get'],
    },
  ]),
  clusterRole('system:public-info-viewer', [
    { nonResourceURLs: HEALTH_AND_VERSION, verbs: ['get'] },
  ]),
  clusterRole('system:basic-user', [
    {
      apiGroups: ['authorization.k8s.io'],
      resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
      verbs: ['create'],
    },
    {
      apiGroups: ['authentication.k8s.io'],
      resources: ['selfsubjectreviews'],
      verbs: ['create'],
    },
  ]),
  // The user-facing roles: their rules are aggregated (aggregation.ts) from the labelled roles below.
  clusterRole('admin', [], { aggregateFrom: 'admin' }),
  clusterRole('edit', [], {
    aggregateFrom: 'edit',
    labels: { [`${AGGREGATE}admin`]: 'true' },
  }),
  clusterRole('view', [], {
    aggregateFrom: 'view',
    labels: { [`${AGGREGATE}edit`]: 'true' },
  }),
  clusterRole(
    'system:aggregate-to-admin',
    [
      {
        apiGroups: [RBAC_GROUP],
        resources: ['rolebindings', 'roles'],
        verbs: [...WRITE, ...READ].sort(),
      },
      {
        apiGroups: ['authorization.k8s.io'],
        resources: ['localsubjectaccessreviews'],
        verbs: ['create'],
      },
    ],
    { labels: { [`${AGGREGATE}admin`]: 'true' } },
  ),
  clusterRole(
    'system:aggregate-to-edit',
    [
      { apiGroups: [''], resources: ['pods'], verbs: WRITE },
      { apiGroups: ['batch'], resources: ['jobs'], verbs: WRITE },
    ],
    { labels: { [`${AGGREGATE}edit`]: 'true' } },
  ),
  clusterRole(
    'system:aggregate-to-view',
    [
      {
        apiGroups: [''],
        resources: [
          'events',
          'namespaces',
          'namespaces/status',
          'pods',
          'pods/log',
          'pods/status',
        ],
        verbs: READ,
      },
      {
        apiGroups: ['batch'],
        resources: ['jobs', 'jobs/status'],
        verbs: READ,
      },
    ],
    { labels: { [`${AGGREGATE}view`]: 'true' } },
  ),
];

export const BOOTSTRAP_CLUSTER_ROLE_BINDINGS: KubeObject[] = [
  clusterRoleBinding('cluster-admin', 'cluster-admin', [
    group('system:masters'),
  ]),
  clusterRoleBinding('system:discovery', 'system:discovery', [
    group('system:authenticated'),
  ]),
  clusterRoleBinding('system:basic-user', 'system:basic-user', [
    group('system:authenticated'),
  ]),
  clusterRoleBinding('system:public-info-viewer', 'system:public-info-viewer', [
    group('system:authenticated'),
    group('system:unauthenticated'),
  ]),
];

/** Creates each bootstrap ClusterRole and ClusterRoleBinding that does not exist yet. */
export function ensureBootstrapPolicy(store: Store): void {
  const missing = (key: typeof CLUSTER_ROLE_KEY, object: KubeObject) =>
    !store.get(key, undefined, object.metadata.name);
  for (const [key, objects] of [
    [CLUSTER_ROLE_KEY, BOOTSTRAP_CLUSTER_ROLES],
    [CLUSTER_ROLE_BINDING_KEY, BOOTSTRAP_CLUSTER_ROLE_BINDINGS],
  ] as const) {
    for (const object of objects) {
      if (!missing(key, object)) continue;
      try {
        store.create(key, object);
      } catch (error) {
        // Created meanwhile (another server on the same store): keep that one.
        if (!isKubeApiError(error) || error.code !== 409) throw error;
      }
    }
  }
}
