/*
 * The RBAC kinds' admission: path-segment names (`system:` names are fine), rbac/v1 defaulting of
 * subjects and roleRef, and validation worded as pkg/apis/rbac/validation words it.
 */
import { createSandboxStore } from '../store';
import type { KubeApiError } from '../store/errors';
import type { KubeObject, Store } from '../store/types';
import {
  CLUSTER_ROLE_BINDING_KEY,
  CLUSTER_ROLE_KEY,
  RBAC_GROUP,
  ROLE_BINDING_KEY,
  ROLE_KEY,
} from './rbacTypes';

const object = (kind: string, body: Record<string, unknown>): KubeObject =>
  ({ apiVersion: `${RBAC_GROUP}/v1`, kind, ...body } as KubeObject);

function refusal(run: () => unknown): { message: string; causes: unknown } {
  try {
    run();
  } catch (error) {
    const e = error as KubeApiError;
    return { message: e.message, causes: e.details?.causes };
  }
  throw new Error('expected a refusal');
}

describe('RBAC kinds', () => {
  let store: Store;
  beforeEach(() => {
    store = createSandboxStore();
  });

  it('accepts path-segment names and defaults subjects’ and roleRef’s apiGroup', () => {
    store.create(
      CLUSTER_ROLE_KEY,
      object('ClusterRole', {
        metadata: { name: 'system:kratix:reader' },
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
      }),
    );
    const binding = store.create(
      CLUSTER_ROLE_BINDING_KEY,
      object('ClusterRoleBinding', {
        metadata: { name: 'system:kratix:readers' },
        roleRef: { kind: 'ClusterRole', name: 'system:kratix:reader' },
        subjects: [
          { kind: 'Group', name: 'backstage:team-search' },
          { kind: 'ServiceAccount', name: 'robot', namespace: 'ci' },
        ],
        unknownField: 'pruned',
      }),
    );
    expect(binding).toMatchObject({
      roleRef: {
        apiGroup: RBAC_GROUP,
        kind: 'ClusterRole',
        name: 'system:kratix:reader',
      },
      subjects: [
        { kind: 'Group', apiGroup: RBAC_GROUP, name: 'backstage:team-search' },
        { kind: 'ServiceAccount', name: 'robot', namespace: 'ci' },
      ],
    });
    expect(binding.subjects).not.toContainEqual(
      expect.objectContaining({ kind: 'ServiceAccount', apiGroup: RBAC_GROUP }),
    );
    expect(binding).not.toHaveProperty('unknownField');
    expect(
      refusal(() =>
        store.create(
          CLUSTER_ROLE_KEY,
          object('ClusterRole', { metadata: { name: 'a/b' } }),
        ),
      ).message,
    ).toBe(
      `ClusterRole.rbac.authorization.k8s.io "a/b" is invalid: metadata.name: Invalid value: "a/b": may not contain '/'`,
    );
  });

  it('refuses rules without verbs, groups or resources, and non-resource URLs in a Role', () => {
    const { message } = refusal(() =>
      store.create(
        ROLE_KEY,
        object('Role', {
          metadata: { name: 'bad', namespace: 'default' },
          rules: [
            { resources: ['pods'] },
            { nonResourceURLs: ['/healthz'], verbs: ['get'] },
          ],
        }),
      ),
    );
    expect(message).toBe(
      'Role.rbac.authorization.k8s.io "bad" is invalid: [rules[0].verbs: Required value: verbs must contain at least one value, rules[0].apiGroups: Required value: resource rules must supply at least one api group, rules[1].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs]',
    );
  });

  it('refuses bindings with an unsupported roleRef or subject, and a changed roleRef', () => {
    expect(
      refusal(() =>
        store.create(
          CLUSTER_ROLE_BINDING_KEY,
          object('ClusterRoleBinding', {
            metadata: { name: 'bad' },
            roleRef: { kind: 'Role', name: 'r' },
            subjects: [
              { kind: 'Robot', name: 'x' },
              { kind: 'ServiceAccount', name: 'sa' },
            ],
          }),
        ),
      ).message,
    ).toBe(
      'ClusterRoleBinding.rbac.authorization.k8s.io "bad" is invalid: [roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole", subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group", subjects[1].namespace: Required value]',
    );
    store.create(
      ROLE_BINDING_KEY,
      object('RoleBinding', {
        metadata: { name: 'b', namespace: 'default' },
        roleRef: { kind: 'ClusterRole', name: 'view' },
        subjects: [{ kind: 'User', name: 'u' }],
      }),
    );
    expect(
      refusal(() =>
        store.patch(ROLE_BINDING_KEY, 'default', 'b', 'merge', {
          roleRef: { name: 'edit' },
        }),
      ).message,
    ).toBe(
      'RoleBinding.rbac.authorization.k8s.io "b" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"edit"}: cannot change roleRef',
    );
    // Subjects may change.
    const changed = store.patch(ROLE_BINDING_KEY, 'default', 'b', 'merge', {
      subjects: [{ kind: 'Group', name: 'g' }],
    });
    expect(changed.subjects).toEqual([
      { kind: 'Group', apiGroup: RBAC_GROUP, name: 'g' },
    ]);
  });
});
