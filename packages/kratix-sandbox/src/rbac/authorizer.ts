/*
 * Authorizers as kube-apiserver chains them: `system:masters` is always allowed (the privileged-group
 * authorizer), then RBAC over the stored Roles, ClusterRoles and bindings (plugin/pkg/auth/authorizer
 * /rbac and pkg/registry/rbac/validation's rule resolver). With RBAC off the sandbox is AlwaysAllow.
 * Both also list a user's rules for SelfSubjectRulesReview.
 */
import { MASTERS_GROUP, type UserInfo } from '../auth/identity';
import type { Store } from '../store/types';
import type { Attributes } from './attributes';
import {
  type BindingObject,
  CLUSTER_ROLE_BINDING_KEY,
  CLUSTER_ROLE_KEY,
  type PolicyRule,
  ROLE_BINDING_KEY,
  ROLE_KEY,
  type RoleObject,
  type RoleRef,
  type Subject,
} from './rbacTypes';
import { ruleAllows } from './rules';

export interface AuthorizationResult {
  allowed: boolean;
  /** Why: `RBAC: allowed by ...` when allowed; role lookup errors when denied, else empty. */
  reason: string;
}

export interface UserRules {
  /** Rules on resources (those with `resources`). */
  resourceRules: PolicyRule[];
  /** Rules on non-resource URLs. */
  nonResourceRules: PolicyRule[];
  incomplete: boolean;
  evaluationError?: string;
}

export interface Authorizer {
  authorize(attributes: Attributes): AuthorizationResult;
  rulesFor(user: UserInfo, namespace: string): UserRules;
}

/** RBAC off: everyone may do everything (kube-apiserver's AlwaysAllow mode). */
export const alwaysAllow: Authorizer = {
  authorize: () => ({ allowed: true, reason: '' }),
  rulesFor: () => ({
    resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
    nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
    incomplete: false,
  }),
};

/** A rule and where it came from (`ClusterRoleBinding "x" of ClusterRole "y" to Group "z"`). */
type Visitor = (
  source: (() => string) | undefined,
  rule: PolicyRule | undefined,
  error: string | undefined,
) => boolean;

function describeSubject(subject: Subject, bindingNamespace: string): string {
  if (subject.kind === 'ServiceAccount') {
    return `${subject.kind} ${JSON.stringify(
      `${subject.name}/${subject.namespace || bindingNamespace}`,
    )}`;
  }
  return `${subject.kind} ${JSON.stringify(subject.name)}`;
}

const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

function appliesToUser(
  user: UserInfo,
  subject: Subject,
  namespace: string,
): boolean {
  switch (subject.kind) {
    case 'User':
      return user.username === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      // A RoleBinding's ServiceAccount subject defaults to the binding's namespace.
      const saNamespace = subject.namespace || namespace;
      if (!saNamespace) return false;
      return (
        user.username ===
        `${SERVICE_ACCOUNT_PREFIX}${saNamespace}:${subject.name}`
      );
    }
    default:
      return false;
  }
}

/** The rules RBAC grants, read from the store on every call (the store is the only cache). */
export class RbacRuleResolver {
  constructor(private readonly store: Store) {}

  role(namespace: string, name: string): RoleObject | undefined {
    return this.store.get(ROLE_KEY, namespace, name) as RoleObject | undefined;
  }

  clusterRole(name: string): RoleObject | undefined {
    return this.store.get(CLUSTER_ROLE_KEY, undefined, name) as
      | RoleObject
      | undefined;
  }

  /** GetRoleReferenceRules; throws the listers' NotFound message for a missing role. */
  private roleRules(ref: RoleRef, bindingNamespace: string): PolicyRule[] {
    const notFound = (resource: string) =>
      new Error(
        `${resource}.rbac.authorization.k8s.io ${JSON.stringify(
          ref.name,
        )} not found`,
      );
    if (ref.kind === 'Role') {
      const role = this.role(bindingNamespace, ref.name);
      if (!role) throw notFound('role');
      return role.rules ?? [];
    }
    if (ref.kind === 'ClusterRole') {
      const role = this.clusterRole(ref.name);
      if (!role) throw notFound('clusterrole');
      return role.rules ?? [];
    }
    throw new Error(
      `unsupported role reference kind: ${JSON.stringify(ref.kind)}`,
    );
  }

  /** Visits every rule that applies to the user in the namespace; the visitor returns false to stop. */
  visitRulesFor(user: UserInfo, namespace: string, visit: Visitor): void {
    const bindings: Array<[BindingObject, string]> = [
      ...this.store
        .list(CLUSTER_ROLE_BINDING_KEY)
        .items.map(b => [b as BindingObject, ''] as [BindingObject, string]),
      ...(namespace
        ? this.store
            .list(ROLE_BINDING_KEY, { namespace })
            .items.map(
              b => [b as BindingObject, namespace] as [BindingObject, string],
            )
        : []),
    ];
    for (const [binding, bindingNamespace] of bindings) {
      const subject = (binding.subjects ?? []).find(s =>
        appliesToUser(user, s, bindingNamespace),
      );
      if (!subject) continue;
      let rules: PolicyRule[];
      try {
        rules = this.roleRules(binding.roleRef, bindingNamespace);
      } catch (error) {
        if (!visit(undefined, undefined, (error as Error).message)) return;
        continue;
      }
      const source = () =>
        `${
          bindingNamespace ? 'RoleBinding' : 'ClusterRoleBinding'
        } ${JSON.stringify(
          bindingNamespace
            ? `${binding.metadata.name}/${bindingNamespace}`
            : binding.metadata.name,
        )} of ${binding.roleRef.kind} ${JSON.stringify(
          binding.roleRef.name,
        )} to ${describeSubject(subject, bindingNamespace)}`;
      for (const rule of rules) if (!visit(source, rule, undefined)) return;
    }
  }

  rulesFor(
    user: UserInfo,
    namespace: string,
  ): { rules: PolicyRule[]; errors: string[] } {
    const rules: PolicyRule[] = [];
    const errors: string[] = [];
    this.visitRulesFor(user, namespace, (_, rule, error) => {
      if (rule) rules.push(rule);
      if (error) errors.push(error);
      return true;
    });
    return { rules, errors };
  }
}

/** utilerrors.NewAggregate's message: one error as itself, several in brackets. */
export function aggregateMessage(errors: string[]): string {
  return errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
}

export function isPrivileged(user: UserInfo): boolean {
  return user.groups.includes(MASTERS_GROUP);
}

/** system:masters, then RBAC. */
export function rbacAuthorizer(store: Store): Authorizer {
  const resolver = new RbacRuleResolver(store);
  return {
    authorize(attributes) {
      if (isPrivileged(attributes.user)) return { allowed: true, reason: '' };
      let reason = '';
      const errors: string[] = [];
      resolver.visitRulesFor(
        attributes.user,
        attributes.namespace,
        (source, rule, error) => {
          if (rule && source && ruleAllows(attributes, rule)) {
            reason = `RBAC: allowed by ${source()}`;
            return false;
          }
          if (error) errors.push(error);
          return true;
        },
      );
      if (reason) return { allowed: true, reason };
      return {
        allowed: false,
        reason: errors.length ? `RBAC: ${aggregateMessage(errors)}` : '',
      };
    },
    rulesFor(user, namespace) {
      const { rules, errors } = resolver.rulesFor(user, namespace);
      return {
        resourceRules: rules.filter(r => r.resources?.length),
        nonResourceRules: rules.filter(r => r.nonResourceURLs?.length),
        incomplete: false,
        ...(errors.length ? { evaluationError: aggregateMessage(errors) } : {}),
      };
    },
  };
}
