/*
 * The answers to the create-only review kinds (reviewTypes.ts), as their REST storage computes them:
 *   SubjectAccessReview       may spec.user/groups do spec.resourceAttributes | nonResourceAttributes?
 *   LocalSubjectAccessReview  the same, within the namespace it is created in
 *   SelfSubjectAccessReview   may I (the caller, after impersonation) do it?  (`kubectl auth can-i`)
 *   SelfSubjectRulesReview    what may I do in spec.namespace?               (`kubectl auth can-i --list`)
 *   SelfSubjectReview         who am I?                                       (`kubectl auth whoami`)
 * Answered with 201 and the posted object plus its status; nothing is stored.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readObjectBody, sendJson } from '../apiserver/http';
import type { Route } from '../apiserver/routes';
import {
  badRequest,
  invalid,
  methodNotAllowed,
  resourceNotFound,
} from '../store/errors';
import type { KubeObject, ResourceType, StatusCause } from '../store/types';
import type { Attributes } from '../rbac/attributes';
import type { Authorizer } from '../rbac/authorizer';
import type { PolicyRule } from '../rbac/rbacTypes';
import type { UserInfo } from './identity';

type ResourceRoute = Extract<Route, { kind: 'resource' }>;

interface ResourceAttributesSpec {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

interface NonResourceAttributesSpec {
  path?: string;
  verb?: string;
}

interface AccessReviewSpec {
  resourceAttributes?: ResourceAttributesSpec;
  nonResourceAttributes?: NonResourceAttributesSpec;
  user?: string;
  groups?: string[];
  uid?: string;
  extra?: Record<string, string[]>;
  namespace?: string;
}

export interface ReviewRequest {
  req: IncomingMessage;
  res: ServerResponse;
  route: ResourceRoute;
  type: ResourceType;
  /** The caller, after impersonation. */
  user: UserInfo;
  authorizer: Authorizer;
}

const str = (value: unknown) => (typeof value === 'string' ? value : '');

/** authorizationutil.ResourceAttributesFrom / NonResourceAttributesFrom. */
function attributesFrom(user: UserInfo, spec: AccessReviewSpec): Attributes {
  const base = {
    user,
    apiGroup: '',
    apiVersion: '',
    resource: '',
    subresource: '',
    namespace: '',
    name: '',
    path: '',
  };
  const r = spec.resourceAttributes;
  if (r) {
    return {
      ...base,
      resourceRequest: true,
      verb: str(r.verb),
      namespace: str(r.namespace),
      apiGroup: str(r.group),
      apiVersion: str(r.version) || '*',
      resource: str(r.resource),
      subresource: str(r.subresource),
      name: str(r.name),
    };
  }
  const n = spec.nonResourceAttributes ?? {};
  return {
    ...base,
    resourceRequest: false,
    verb: str(n.verb),
    path: str(n.path),
  };
}

function validateAttributes(spec: AccessReviewSpec): StatusCause[] {
  if (spec.resourceAttributes && spec.nonResourceAttributes) {
    return [
      {
        reason: 'FieldValueInvalid',
        field: 'spec.nonResourceAttributes',
        message: `Invalid value: ${JSON.stringify(
          JSON.stringify(spec.nonResourceAttributes),
        )}: cannot be specified in combination with resourceAttributes`,
      },
    ];
  }
  if (!spec.resourceAttributes && !spec.nonResourceAttributes) {
    return [
      {
        reason: 'FieldValueInvalid',
        field: 'spec.resourceAttributes',
        message:
          'Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
      },
    ];
  }
  return [];
}

const ruleOut = (rule: PolicyRule) => ({
  verbs: rule.verbs ?? [],
  ...(rule.apiGroups?.length ? { apiGroups: rule.apiGroups } : {}),
  ...(rule.resources?.length ? { resources: rule.resources } : {}),
  ...(rule.resourceNames?.length ? { resourceNames: rule.resourceNames } : {}),
});

const nonResourceRuleOut = (rule: PolicyRule) => ({
  verbs: rule.verbs ?? [],
  nonResourceURLs: rule.nonResourceURLs ?? [],
});

function userInfoOut(user: UserInfo) {
  return {
    username: user.username,
    ...(user.uid ? { uid: user.uid } : {}),
    groups: user.groups,
    ...(user.extra ? { extra: user.extra } : {}),
  };
}

async function readReview(
  r: ReviewRequest,
): Promise<KubeObject & { spec: AccessReviewSpec }> {
  const body = await readObjectBody(r.req);
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw badRequest('the body of the request must be a JSON object');
  const object = body as KubeObject & { spec?: AccessReviewSpec };
  const expected = `${r.type.group}/${r.route.version}`;
  if (object.apiVersion && object.apiVersion !== expected) {
    throw badRequest(
      `the API version in the data (${object.apiVersion}) does not match the expected API version (${expected})`,
    );
  }
  if (object.kind && object.kind !== r.type.kind) {
    throw badRequest(
      `the kind in the data (${object.kind}) does not match the expected kind (${r.type.kind})`,
    );
  }
  const spec =
    object.spec && typeof object.spec === 'object' ? object.spec : {};
  return {
    ...object,
    apiVersion: expected,
    kind: r.type.kind,
    metadata:
      object.metadata && typeof object.metadata === 'object'
        ? object.metadata
        : ({} as KubeObject['metadata']),
    spec,
  };
}

function status(
  r: ReviewRequest,
  review: KubeObject & { spec: AccessReviewSpec },
) {
  const { kind, group } = r.type;
  const name = str(review.metadata.name);
  const fail = (causes: StatusCause[]) => {
    if (causes.length) throw invalid(group, kind, name, causes);
  };
  switch (kind) {
    case 'SelfSubjectReview':
      return { userInfo: userInfoOut(r.user) };
    case 'SelfSubjectRulesReview': {
      const namespace = str(review.spec.namespace);
      if (!namespace) throw badRequest('no namespace on request');
      const rules = r.authorizer.rulesFor(r.user, namespace);
      return {
        resourceRules: rules.resourceRules.map(ruleOut),
        nonResourceRules: rules.nonResourceRules.map(nonResourceRuleOut),
        incomplete: rules.incomplete,
        ...(rules.evaluationError
          ? { evaluationError: rules.evaluationError }
          : {}),
      };
    }
    default: {
      fail(validateAttributes(review.spec));
      let subject = r.user;
      if (kind !== 'SelfSubjectAccessReview') {
        const { user = '', groups = [], uid, extra } = review.spec;
        if (!user && !groups.length) {
          fail([
            {
              reason: 'FieldValueInvalid',
              field: 'spec.user',
              message: `Invalid value: "": at least one of user or group must be specified`,
            },
          ]);
        }
        subject = {
          username: str(user),
          groups: Array.isArray(groups)
            ? groups.filter(g => typeof g === 'string')
            : [],
          ...(uid ? { uid: str(uid) } : {}),
          ...(extra && typeof extra === 'object' ? { extra } : {}),
        };
      }
      if (kind === 'LocalSubjectAccessReview') {
        const namespace = r.route.namespace ?? '';
        if (review.spec.nonResourceAttributes) {
          fail([
            {
              reason: 'FieldValueInvalid',
              field: 'spec.nonResourceAttributes',
              message: `Invalid value: ${JSON.stringify(
                JSON.stringify(review.spec.nonResourceAttributes),
              )}: disallowed on this kind of request`,
            },
          ]);
        }
        if (str(review.spec.resourceAttributes?.namespace) !== namespace) {
          throw badRequest(
            `spec.resourceAttributes.namespace must match namespace: ${namespace}`,
          );
        }
      }
      const decision = r.authorizer.authorize(
        attributesFrom(subject, review.spec),
      );
      return {
        allowed: decision.allowed,
        ...(decision.reason ? { reason: decision.reason } : {}),
      };
    }
  }
}

/** POST to a review kind's collection; any other request on it is 405 (404 for a wrong scope). */
export async function serveReview(r: ReviewRequest): Promise<void> {
  const { route, type } = r;
  if (!type.versions.includes(route.version)) throw resourceNotFound();
  if (type.namespaced !== (route.namespace !== undefined))
    throw resourceNotFound();
  if (route.name !== undefined || route.subresource !== undefined)
    throw resourceNotFound();
  if (r.req.method !== 'POST') throw methodNotAllowed();
  const review = await readReview(r);
  if (route.namespace !== undefined)
    review.metadata = { ...review.metadata, namespace: route.namespace };
  const answer = { ...review, status: status(r, review) };
  // SelfSubjectReview has no spec.
  if (type.kind === 'SelfSubjectReview')
    delete (answer as { spec?: unknown }).spec;
  sendJson(r.res, 201, answer);
}
