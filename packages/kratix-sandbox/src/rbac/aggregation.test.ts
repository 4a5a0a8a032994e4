/*
 * The bootstrap ClusterRoles and ClusterRole aggregation: `view`, `edit` and `admin` gather the
 * rules of the ClusterRoles labelled for them, follow those roles as they change and go, and a
 * ClusterRole of one's own aggregates the same way.
 */
import { createSandboxStore } from '../store';
import type { KubeObject, Store } from '../store/types';
import {
  labelSelectorMatches,
  startClusterRoleAggregation,
} from './aggregation';
import { ensureBootstrapPolicy } from './bootstrap';
import { CLUSTER_ROLE_KEY, RBAC_GROUP, type RoleObject } from './rbacTypes';

const rulesOf = (store: Store, name: string) =>
  (store.get(CLUSTER_ROLE_KEY, undefined, name) as RoleObject).rules;

const clusterRole = (
  name: string,
  labels: Record<string, string>,
  rules: unknown[],
  extra: Record<string, unknown> = {},
): KubeObject => ({
  apiVersion: `${RBAC_GROUP}/v1`,
  kind: 'ClusterRole',
  metadata: { name, labels },
  rules,
  ...extra,
});

const redisRead = {
  apiGroups: ['marketplace.kratix.io'],
  resources: ['redis'],
  verbs: ['get', 'list', 'watch'],
};

describe('ClusterRole aggregation', () => {
  let store: Store;
  let stop: () => void;
  beforeEach(() => {
    store = createSandboxStore();
    ensureBootstrapPolicy(store);
    stop = startClusterRoleAggregation(store);
  });
  afterEach(() => stop());

  it('builds view, edit and admin from the bootstrap roles, each including the one below', () => {
    const view = rulesOf(store, 'view')!;
    const edit = rulesOf(store, 'edit')!;
    const admin = rulesOf(store, 'admin')!;
    expect(view).toContainEqual({
      apiGroups: [''],
      resources: [
        'events',
        'namespaces',
        'namespaces/status',
        'pods',
        'pods/log',
        'pods/status',
      ],
      verbs: ['get', 'list', 'watch'],
    });
    for (const rule of view) expect(edit).toContainEqual(rule);
    for (const rule of edit) expect(admin).toContainEqual(rule);
    expect(admin).toContainEqual(
      expect.objectContaining({ resources: ['rolebindings', 'roles'] }),
    );
    expect(edit).not.toContainEqual(
      expect.objectContaining({ resources: ['rolebindings', 'roles'] }),
    );
  });

  it('adds a labelled ClusterRole to view (and so edit and admin), and takes it out when it goes', () => {
    store.create(
      CLUSTER_ROLE_KEY,
      clusterRole(
        'redis-viewer',
        { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' },
        [redisRead],
      ),
    );
    for (const name of ['view', 'edit', 'admin'])
      expect([name, rulesOf(store, name)]).toEqual([
        name,
        expect.arrayContaining([redisRead]),
      ]);
    store.patch(CLUSTER_ROLE_KEY, undefined, 'redis-viewer', 'merge', {
      rules: [{ ...redisRead, verbs: ['get'] }],
    });
    expect(rulesOf(store, 'view')).toContainEqual({
      ...redisRead,
      verbs: ['get'],
    });
    expect(rulesOf(store, 'view')).not.toContainEqual(redisRead);
    store.delete(CLUSTER_ROLE_KEY, undefined, 'redis-viewer');
    expect(rulesOf(store, 'admin')).not.toContainEqual(
      expect.objectContaining({ resources: ['redis'] }),
    );
  });

  it('aggregates a ClusterRole of one’s own by matchExpressions, each rule once', () => {
    store.create(
      CLUSTER_ROLE_KEY,
      clusterRole('kratix-all', {}, [], {
        aggregationRule: {
          clusterRoleSelectors: [
            {
              matchExpressions: [
                { key: 'kratix.io/aggregate', operator: 'In', values: ['yes'] },
              ],
            },
          ],
        },
      }),
    );
    for (const name of ['a', 'b'])
      store.create(
        CLUSTER_ROLE_KEY,
        clusterRole(name, { 'kratix.io/aggregate': 'yes' }, [redisRead]),
      );
    store.create(
      CLUSTER_ROLE_KEY,
      clusterRole('c', { 'kratix.io/aggregate': 'no' }, [
        { ...redisRead, verbs: ['delete'] },
      ]),
    );
    expect(rulesOf(store, 'kratix-all')).toEqual([redisRead]);
  });

  it('matches label selectors as metav1.LabelSelectorAsSelector', () => {
    const labels = { tier: 'gold', team: 'search' };
    expect(labelSelectorMatches({}, labels)).toBe(true);
    expect(
      labelSelectorMatches({ matchLabels: { tier: 'gold' } }, labels),
    ).toBe(true);
    expect(
      labelSelectorMatches(
        {
          matchExpressions: [
            { key: 'team', operator: 'NotIn', values: ['checkout'] },
            { key: 'tier', operator: 'Exists' },
            { key: 'paused', operator: 'DoesNotExist' },
          ],
        },
        labels,
      ),
    ).toBe(true);
    expect(
      labelSelectorMatches(
        { matchExpressions: [{ key: 'team', operator: 'In', values: ['x'] }] },
        labels,
      ),
    ).toBe(false);
  });

  it('never overwrites a bootstrap role that is already there', () => {
    store.patch(CLUSTER_ROLE_KEY, undefined, 'system:discovery', 'merge', {
      rules: [{ nonResourceURLs: ['/version'], verbs: ['get'] }],
    });
    ensureBootstrapPolicy(store);
    expect(rulesOf(store, 'system:discovery')).toEqual([
      { nonResourceURLs: ['/version'], verbs: ['get'] },
    ]);
  });
});
