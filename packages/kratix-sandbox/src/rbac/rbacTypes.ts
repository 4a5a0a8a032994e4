/*
 * rbac.authorization.k8s.io/v1 Roles, ClusterRoles, RoleBindings and ClusterRoleBindings as built-in
 * kinds: their schema (pruning and kubectl explain), v1 defaulting (SetDefaults_Subject and the
 * bindings' roleRef.apiGroup) and validation, worded as pkg/apis/rbac/validation words it.
 */
import { validatePathSegmentName } from '../store/names';
import type {
  KubeObject,
  ResourceType,
  StatusCause,
  TypeKey,
} from '../store/types';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

export const ROLE_KEY: TypeKey = { group: RBAC_GROUP, plural: 'roles' };
export const CLUSTER_ROLE_KEY: TypeKey = {
  group: RBAC_GROUP,
  plural: 'clusterroles',
};
export const ROLE_BINDING_KEY: TypeKey = {
  group: RBAC_GROUP,
  plural: 'rolebindings',
};
export const CLUSTER_ROLE_BINDING_KEY: TypeKey = {
  group: RBAC_GROUP,
  plural: 'clusterrolebindings',
};

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Subject {
  kind: string;
  apiGroup?: string;
  name: string;
  namespace?: string;
}

export interface RoleRef {
  apiGroup: string;
  kind: string;
  name: string;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface RoleObject extends KubeObject {
  rules?: PolicyRule[];
  aggregationRule?: { clusterRoleSelectors?: LabelSelector[] };
}

export interface BindingObject extends KubeObject {
  subjects?: Subject[];
  roleRef: RoleRef;
}

const strings = { type: 'array', items: { type: 'string' } };

const POLICY_RULE = {
  type: 'object',
  description:
    'PolicyRule holds information that describes a policy rule, but does not contain information about who the rule applies to or which namespace the rule applies to.',
  properties: {
    verbs: {
      ...strings,
      description:
        "Verbs is a list of Verbs that apply to ALL the ResourceKinds contained in this rule. '*' represents all verbs.",
    },
    apiGroups: {
      ...strings,
      description:
        'APIGroups is the name of the APIGroup that contains the resources. "" represents the core API group and "*" represents all API groups.',
    },
    resources: {
      ...strings,
      description:
        "Resources is a list of resources this rule applies to. '*' represents all resources.",
    },
    resourceNames: {
      ...strings,
      description:
        'ResourceNames is an optional white list of names that the rule applies to. An empty set means that everything is allowed.',
    },
    nonResourceURLs: {
      ...strings,
      description:
        'NonResourceURLs is a set of partial urls that a user should have access to. *s are allowed, but only as the full, final step in the path.',
    },
  },
};

const LABEL_SELECTOR = {
  type: 'object',
  properties: {
    matchLabels: {
      type: 'object',
      additionalProperties: { type: 'string' },
    },
    matchExpressions: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          key: { type: 'string' },
          operator: { type: 'string' },
          values: strings,
        },
      },
    },
  },
};

const SUBJECT = {
  type: 'object',
  description:
    'Subject contains a reference to the object or user identities a role binding applies to.',
  properties: {
    kind: {
      type: 'string',
      description:
        'Kind of object being referenced. Values defined by this API group are "User", "Group", and "ServiceAccount".',
    },
    apiGroup: { type: 'string' },
    name: { type: 'string' },
    namespace: { type: 'string' },
  },
};

const ROLE_REF = {
  type: 'object',
  description:
    'RoleRef contains information that points to the role being used',
  properties: {
    apiGroup: { type: 'string' },
    kind: { type: 'string' },
    name: { type: 'string' },
  },
};

const objectSchema = (
  description: string,
  properties: Record<string, unknown>,
  required: string[] = [],
) => ({
  v1: {
    type: 'object',
    description,
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      ...properties,
    },
    ...(required.length ? { required } : {}),
  },
});

// ---- validation (pkg/apis/rbac/validation)

/** The entries of a list field that are objects: the schema already reports any others. */
function objectsIn<T>(value: unknown): Array<[T, number]> {
  if (!Array.isArray(value)) return [];
  return value
    .map((v, i) => [v, i] as [T, number])
    .filter(([v]) => v !== null && typeof v === 'object' && !Array.isArray(v));
}

const stringList = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter(v => typeof v === 'string') : [];

const required = (field: string, detail = ''): StatusCause => ({
  reason: 'FieldValueRequired',
  field,
  message: detail ? `Required value: ${detail}` : 'Required value',
});

const notSupported = (
  field: string,
  value: unknown,
  supported: string[],
): StatusCause => ({
  reason: 'FieldValueNotSupported',
  field,
  message: `Unsupported value: ${JSON.stringify(
    value ?? '',
  )}: supported values: ${supported.map(s => JSON.stringify(s)).join(', ')}`,
});

/** Go's %v of a []string, as field.Invalid prints it. */
const goStrings = (values: string[]) =>
  `[]string{${values.map(v => JSON.stringify(v)).join(', ')}}`;

function validateRule(
  given: PolicyRule,
  namespaced: boolean,
  path: string,
): StatusCause[] {
  const causes: StatusCause[] = [];
  const rule: Required<PolicyRule> = {
    verbs: stringList(given.verbs),
    apiGroups: stringList(given.apiGroups),
    resources: stringList(given.resources),
    resourceNames: stringList(given.resourceNames),
    nonResourceURLs: stringList(given.nonResourceURLs),
  };
  if (!rule.verbs.length)
    causes.push(
      required(`${path}.verbs`, 'verbs must contain at least one value'),
    );
  if (rule.nonResourceURLs.length) {
    const invalidUrls = (detail: string): StatusCause => ({
      reason: 'FieldValueInvalid',
      field: `${path}.nonResourceURLs`,
      message: `Invalid value: ${goStrings(rule.nonResourceURLs)}: ${detail}`,
    });
    if (namespaced)
      causes.push(
        invalidUrls('namespaced rules cannot apply to non-resource URLs'),
      );
    if (
      rule.apiGroups.length ||
      rule.resources.length ||
      rule.resourceNames.length
    ) {
      causes.push(
        invalidUrls(
          'rules cannot apply to both regular resources and non-resource URLs',
        ),
      );
    }
    return causes;
  }
  if (!rule.apiGroups.length)
    causes.push(
      required(
        `${path}.apiGroups`,
        'resource rules must supply at least one api group',
      ),
    );
  if (!rule.resources.length)
    causes.push(
      required(
        `${path}.resources`,
        'resource rules must supply at least one resource',
      ),
    );
  return causes;
}

function validateRules(role: RoleObject, namespaced: boolean): StatusCause[] {
  return objectsIn<PolicyRule>(role.rules).flatMap(([rule, i]) =>
    validateRule(rule, namespaced, `rules[${i}]`),
  );
}

function validateAggregation(role: RoleObject): StatusCause[] {
  if (!role.aggregationRule || typeof role.aggregationRule !== 'object')
    return [];
  const selectors = objectsIn<LabelSelector>(
    role.aggregationRule.clusterRoleSelectors,
  );
  if (!selectors.length) {
    return [
      required(
        'aggregationRule.clusterRoleSelectors',
        'at least one clusterRoleSelector required if aggregationRule is non-nil',
      ),
    ];
  }
  const operators = ['In', 'NotIn', 'Exists', 'DoesNotExist'];
  return selectors.flatMap(([selector, i]) =>
    objectsIn<LabelSelectorRequirement>(selector.matchExpressions).flatMap(
      ([expression, j]) =>
        operators.includes(expression.operator)
          ? []
          : [
              notSupported(
                `aggregationRule.clusterRoleSelectors[${i}].matchExpressions[${j}].operator`,
                expression.operator,
                operators,
              ),
            ],
    ),
  );
}

function validateSubject(
  subject: Subject,
  namespaced: boolean,
  path: string,
): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!subject.name) causes.push(required(`${path}.name`));
  switch (subject.kind) {
    case 'ServiceAccount':
      if (subject.apiGroup)
        causes.push(notSupported(`${path}.apiGroup`, subject.apiGroup, ['']));
      if (!namespaced && !subject.namespace)
        causes.push(required(`${path}.namespace`));
      break;
    case 'User':
    case 'Group':
      if (subject.apiGroup !== RBAC_GROUP)
        causes.push(
          notSupported(`${path}.apiGroup`, subject.apiGroup, [RBAC_GROUP]),
        );
      break;
    default:
      causes.push(
        notSupported(`${path}.kind`, subject.kind, [
          'ServiceAccount',
          'User',
          'Group',
        ]),
      );
  }
  return causes;
}

function validateBinding(
  binding: BindingObject,
  previous: BindingObject | undefined,
  namespaced: boolean,
): StatusCause[] {
  const causes: StatusCause[] = [];
  const ref: Partial<RoleRef> =
    binding.roleRef && typeof binding.roleRef === 'object'
      ? binding.roleRef
      : {};
  if (ref.apiGroup !== RBAC_GROUP)
    causes.push(notSupported('roleRef.apiGroup', ref.apiGroup, [RBAC_GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(ref.kind ?? ''))
    causes.push(notSupported('roleRef.kind', ref.kind, kinds));
  if (!ref.name) causes.push(required('roleRef.name'));
  else causes.push(...validatePathSegmentName(ref.name, 'roleRef.name'));
  for (const [subject, i] of objectsIn<Subject>(binding.subjects))
    causes.push(...validateSubject(subject, namespaced, `subjects[${i}]`));
  const before = previous?.roleRef;
  if (
    before &&
    (before.apiGroup !== ref.apiGroup ||
      before.kind !== ref.kind ||
      before.name !== ref.name)
  ) {
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'roleRef',
      message: `Invalid value: rbac.RoleRef{APIGroup:${JSON.stringify(
        ref.apiGroup ?? '',
      )}, Kind:${JSON.stringify(ref.kind ?? '')}, Name:${JSON.stringify(
        ref.name ?? '',
      )}}: cannot change roleRef`,
    });
  }
  return causes;
}

/** SetDefaults_RoleBinding / _ClusterRoleBinding and SetDefaults_Subject of rbac/v1. */
function defaultBinding(object: KubeObject): void {
  const binding = object as BindingObject;
  if (binding.roleRef && typeof binding.roleRef === 'object') {
    if (!binding.roleRef.apiGroup) binding.roleRef.apiGroup = RBAC_GROUP;
  }
  for (const [subject] of objectsIn<Subject>(binding.subjects)) {
    if (!subject.apiGroup && ['User', 'Group'].includes(subject.kind))
      subject.apiGroup = RBAC_GROUP;
  }
}

const common = {
  group: RBAC_GROUP,
  versions: ['v1'],
  storageVersion: 'v1',
  statusSubresource: false,
};

const RULES = {
  rules: {
    type: 'array',
    description: 'Rules holds all the PolicyRules for this Role',
    items: POLICY_RULE,
  },
};

export const ROLE_TYPE: ResourceType = {
  ...common,
  kind: 'Role',
  listKind: 'RoleList',
  plural: 'roles',
  singular: 'role',
  namespaced: true,
  schemas: objectSchema(
    'Role is a namespaced, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding.',
    RULES,
  ),
  hooks: {
    validateName: name => validatePathSegmentName(name),
    validate: object => validateRules(object as RoleObject, true),
  },
};

export const CLUSTER_ROLE_TYPE: ResourceType = {
  ...common,
  kind: 'ClusterRole',
  listKind: 'ClusterRoleList',
  plural: 'clusterroles',
  singular: 'clusterrole',
  namespaced: false,
  schemas: objectSchema(
    'ClusterRole is a cluster level, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding or ClusterRoleBinding.',
    {
      ...RULES,
      aggregationRule: {
        type: 'object',
        description:
          'AggregationRule is an optional field that describes how to build the Rules for this ClusterRole. If AggregationRule is set, then the Rules are controller managed and direct changes to Rules will be stomped by the controller.',
        properties: {
          clusterRoleSelectors: { type: 'array', items: LABEL_SELECTOR },
        },
      },
    },
  ),
  hooks: {
    validateName: name => validatePathSegmentName(name),
    validate: object => [
      ...validateRules(object as RoleObject, false),
      ...validateAggregation(object as RoleObject),
    ],
  },
};

const BINDING_PROPERTIES = {
  subjects: {
    type: 'array',
    description:
      'Subjects holds references to the objects the role applies to.',
    items: SUBJECT,
  },
  roleRef: ROLE_REF,
};

export const ROLE_BINDING_TYPE: ResourceType = {
  ...common,
  kind: 'RoleBinding',
  listKind: 'RoleBindingList',
  plural: 'rolebindings',
  singular: 'rolebinding',
  namespaced: true,
  schemas: objectSchema(
    'RoleBinding references a role, but does not contain it. It can reference a Role in the same namespace or a ClusterRole in the global namespace.',
    BINDING_PROPERTIES,
    ['roleRef'],
  ),
  hooks: {
    validateName: name => validatePathSegmentName(name),
    applyDefaults: defaultBinding,
    validate: (object, previous) =>
      validateBinding(
        object as BindingObject,
        previous as BindingObject | undefined,
        true,
      ),
  },
};

export const CLUSTER_ROLE_BINDING_TYPE: ResourceType = {
  ...common,
  kind: 'ClusterRoleBinding',
  listKind: 'ClusterRoleBindingList',
  plural: 'clusterrolebindings',
  singular: 'clusterrolebinding',
  namespaced: false,
  schemas: objectSchema(
    'ClusterRoleBinding references a ClusterRole, but not contain it. It can reference a ClusterRole in the global namespace, and adds who information via Subject.',
    BINDING_PROPERTIES,
    ['roleRef'],
  ),
  hooks: {
    validateName: name => validatePathSegmentName(name),
    applyDefaults: defaultBinding,
    validate: (object, previous) =>
      validateBinding(
        object as BindingObject,
        previous as BindingObject | undefined,
        false,
      ),
  },
};

export const RBAC_TYPES: ResourceType[] = [
  ROLE_TYPE,
  CLUSTER_ROLE_TYPE,
  ROLE_BINDING_TYPE,
  CLUSTER_ROLE_BINDING_TYPE,
];
