/*
 * RBAC's escalation prevention (pkg/registry/rbac/{role,clusterrole,rolebinding,clusterrolebinding}
 * /policybased): a user may write a Role or ClusterRole only with rules they already hold (or the
 * `escalate` verb on it), and a binding only to a role whose rules they hold (or the `bind` verb on
 * it). `system:masters` is exempt. The store seen by one request is wrapped so that RBAC writes are
 * first computed as a dry run and checked, then made.
 */
import { MASTERS_GROUP, type UserInfo } from '../auth/identity';
import { KubeApiError, notFound, qualifiedResource } from '../store/errors';
import type {
  KubeObject,
  PatchType,
  Store,
  TypeKey,
  WriteOptions,
} from '../store/types';
import type { Attributes } from './attributes';
import type { Authorizer, RbacRuleResolver } from './authorizer';
import {
  type BindingObject,
  RBAC_GROUP,
  type RoleObject,
  type PolicyRule,
} from './rbacTypes';
import { compactRuleString, uncoveredRules } from './rules';

const ROLE_KINDS = new Set(['roles', 'clusterroles']);
const BINDING_KINDS = new Set(['rolebindings', 'clusterrolebindings']);

function forbiddenWrite(key: TypeKey, name: string, message: string) {
  return new KubeApiError(
    403,
    'Forbidden',
    `${qualifiedResource(key)} ${JSON.stringify(
      name,
    )} is forbidden: ${message}`,
    { name, group: key.group, kind: key.plural },
  );
}

/** Go's %q of a []string: `["a" "b"]`. */
const goQuoted = (values: string[]) =>
  `[${values.map(v => JSON.stringify(v)).join(' ')}]`;

export class EscalationCheck {
  constructor(
    private readonly authorizer: Authorizer,
    private readonly resolver: RbacRuleResolver,
  ) {}

  private allowed(user: UserInfo, attributes: Partial<Attributes>): boolean {
    return this.authorizer.authorize({
      user,
      resourceRequest: true,
      path: '',
      apiGroup: RBAC_GROUP,
      apiVersion: '*',
      resource: '',
      subresource: '',
      namespace: '',
      name: '',
      verb: '',
      ...attributes,
    }).allowed;
  }

  /** ConfirmNoEscalation: the user's own rules in the namespace must cover `rules`. */
  private confirmNoEscalation(
    user: UserInfo,
    namespace: string,
    rules: PolicyRule[],
    key: TypeKey,
    name: string,
  ): void {
    const owner = this.resolver.rulesFor(user, namespace);
    const missing = uncoveredRules(owner.rules, rules);
    if (!missing.length) return;
    const lines = [...new Set(missing.map(compactRuleString))].sort();
    let message = `user ${JSON.stringify(user.username)} (groups=${goQuoted(
      user.groups,
    )}) is attempting to grant RBAC permissions not currently held:\n${lines.join(
      '\n',
    )}`;
    if (owner.errors.length)
      message += `; resolution errors: [${owner.errors.join(' ')}]`;
    throw forbiddenWrite(key, name, message);
  }

  /** Throws 403 when `user` may not store `object` (the result of the write) as `key`. */
  check(user: UserInfo, key: TypeKey, object: KubeObject): void {
    if (key.group !== RBAC_GROUP || user.groups.includes(MASTERS_GROUP)) return;
    const name = object.metadata.name;
    const namespace = object.metadata.namespace ?? '';
    if (ROLE_KINDS.has(key.plural)) {
      const escalate = this.allowed(user, {
        verb: 'escalate',
        resource: key.plural,
        namespace,
        name,
      });
      if (escalate) return;
      const role = object as RoleObject;
      if (role.aggregationRule) {
        throw forbiddenWrite(
          key,
          name,
          'must have cluster-admin privileges to use the aggregationRule',
        );
      }
      this.confirmNoEscalation(user, namespace, role.rules ?? [], key, name);
    } else if (BINDING_KINDS.has(key.plural)) {
      const { roleRef } = object as BindingObject;
      const roleResource = roleRef.kind === 'Role' ? 'roles' : 'clusterroles';
      const bind = this.allowed(user, {
        verb: 'bind',
        resource: roleResource,
        namespace,
        name: roleRef.name,
      });
      if (bind) return;
      const { rules, missingRole } = this.roleRules(roleRef, namespace);
      if (missingRole) throw missingRole;
      this.confirmNoEscalation(user, namespace, rules, key, name);
    }
  }

  private roleRules(
    roleRef: BindingObject['roleRef'],
    namespace: string,
  ): { rules: PolicyRule[]; missingRole?: KubeApiError } {
    const role =
      roleRef.kind === 'Role'
        ? this.resolver.role(namespace, roleRef.name)
        : this.resolver.clusterRole(roleRef.name);
    if (!role) {
      return {
        rules: [],
        missingRole: notFound(
          {
            group: RBAC_GROUP,
            plural: roleRef.kind === 'Role' ? 'roles' : 'clusterroles',
          },
          roleRef.name,
        ),
      };
    }
    return { rules: role.rules ?? [] };
  }

  /** The store one request of `user` writes through: RBAC writes are checked before they happen. */
  storeFor(user: UserInfo, store: Store): Store {
    if (user.groups.includes(MASTERS_GROUP)) return store;
    const isRbac = (key: TypeKey) => key.group === RBAC_GROUP;
    return {
      defineType: type => store.defineType(type),
      removeType: key => store.removeType(key),
      getType: key => store.getType(key),
      resolveType: (group, version, name) =>
        store.resolveType(group, version, name),
      listTypes: () => store.listTypes(),
      get: (key, namespace, name) => store.get(key, namespace, name),
      list: (key, options) => store.list(key, options),
      create: (key: TypeKey, object: KubeObject, options?: WriteOptions) => {
        if (isRbac(key))
          this.check(
            user,
            key,
            store.create(key, object, { ...options, dryRun: true }),
          );
        return store.create(key, object, options);
      },
      update: (key: TypeKey, object: KubeObject, options?: WriteOptions) => {
        if (isRbac(key))
          this.check(
            user,
            key,
            store.update(key, object, { ...options, dryRun: true }),
          );
        return store.update(key, object, options);
      },
      patch: (
        key: TypeKey,
        namespace: string | undefined,
        name: string,
        patchType: PatchType,
        patch: unknown,
        options?: WriteOptions,
      ) => {
        if (isRbac(key))
          this.check(
            user,
            key,
            store.patch(key, namespace, name, patchType, patch, {
              ...options,
              dryRun: true,
            }),
          );
        return store.patch(key, namespace, name, patchType, patch, options);
      },
      delete: (key, namespace, name, options) =>
        store.delete(key, namespace, name, options),
      watch: (key, options, onEvent, onEnd) =>
        store.watch(key, options, onEvent, onEnd),
      subscribe: listener => store.subscribe(listener),
      currentResourceVersion: () => store.currentResourceVersion(),
    };
  }
}
