/*
 * Decides `kratix.resource.read` for Resources the caller reaches through an entity. The policy is
 * asked once per call (authorizeConditional); a conditional decision on Kratix Resource rules is
 * then evaluated here, on each Resource, with the rules this plugin registers — no round trip per
 * Resource. Conditions from elsewhere (a policy mixing in another plugin's resource type cannot
 * happen for this permission, but a newer policy could add rules) go the standard way: the
 * permission backend asks this plugin's permission integration about each Resource.
 *
 * On a cluster that acts as each user (auth.type impersonate or oidc), a Resource the policy allows
 * a user is also reviewed with the cluster (clusterReadAccess.ts): shown only when the cluster
 * would let them `get` it. The denial is the policy's own, so both read the same everywhere.
 */
import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { permissionRules as catalogRules } from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  type PermissionCriteria,
  type PermissionCondition,
  type PolicyDecision,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  kratixResourceReadPermission,
  RESOURCE_TYPE_KRATIX_RESOURCE,
  stringifyKratixPermissionRef,
} from '@kratix-backstage/plugin-kratix-common';
import {
  kratixResourcePermissionRules,
  type KratixPermissionResource,
  type ResolvedResource,
} from '@kratix-backstage/plugin-kratix-node';
import type { ClusterReadAccess } from './clusterReadAccess';

const rules = Object.values(kratixResourcePermissionRules);
const knownRules = new Set<string>(rules.map(rule => rule.name));
const authorizeLocally = createConditionAuthorizer<
  KratixPermissionResource,
  unknown
>(rules);

function rulesIn(criteria: PermissionCriteria<PermissionCondition>): string[] {
  if ('allOf' in criteria) return criteria.allOf.flatMap(rulesIn);
  if ('anyOf' in criteria) return criteria.anyOf.flatMap(rulesIn);
  if ('not' in criteria) return rulesIn(criteria.not);
  return [criteria.rule];
}

/** How {@link mayReadResources} decides, beyond the permission framework's default. */
export interface ReadDecisionOptions {
  /** The caller's decision when it was already asked (see CallerDecisions). */
  known?: PolicyDecision;
  /** Another permission decided on the Resource the same way (`kratix.resource.logs.read`). */
  permission?: ResourcePermission<typeof RESOURCE_TYPE_KRATIX_RESOURCE>;
  /**
   * The cluster's review, with the Resources in the same order as the permission resources: on a
   * cluster that acts as each user, what the policy allows a user must also be theirs to `get`.
   */
  cluster?: { access: ClusterReadAccess; resolved: ResolvedResource[] };
}

/**
 * Whether the caller may read each Resource, in order. The policy is asked here unless `known` is
 * given; then, for those it allows, the cluster's review (`cluster`).
 */
export async function mayReadResources(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  resources: KratixPermissionResource[],
  options: ReadDecisionOptions = {},
): Promise<boolean[]> {
  const allowed = await policyAllows(
    permissions,
    credentials,
    resources,
    options.known,
    options.permission ?? kratixResourceReadPermission,
  );
  const { cluster } = options;
  if (!cluster) return allowed;
  // Reviewed only where the policy allows: a denial costs the cluster nothing.
  const candidates = cluster.resolved.filter((_, i) => allowed[i]);
  const gets = await cluster.access.mayGet(credentials, candidates);
  let next = 0;
  return allowed.map(ok => ok && gets[next++]);
}

async function policyAllows(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  resources: KratixPermissionResource[],
  known: PolicyDecision | undefined,
  permission: ResourcePermission<typeof RESOURCE_TYPE_KRATIX_RESOURCE>,
): Promise<boolean[]> {
  if (resources.length === 0) return [];
  const decision =
    known ??
    (
      await permissions.authorizeConditional([{ permission }], {
        credentials,
      })
    )[0];
  if (decision.result === AuthorizeResult.ALLOW)
    return resources.map(() => true);
  if (decision.result !== AuthorizeResult.CONDITIONAL) {
    return resources.map(() => false);
  }
  const local =
    decision.pluginId === 'kratix' &&
    decision.resourceType === RESOURCE_TYPE_KRATIX_RESOURCE &&
    rulesIn(decision.conditions).every(rule => knownRules.has(rule));
  if (local)
    return resources.map(resource => authorizeLocally(decision, resource));
  const remote = await permissions.authorize(
    resources.map(resource => ({
      permission,
      resourceRef: stringifyKratixPermissionRef(resource),
    })),
    { credentials },
  );
  return remote.map(r => r.result === AuthorizeResult.ALLOW);
}

const catalogRuleList = Object.values(catalogRules);
const knownCatalogRules = new Set<string>(
  catalogRuleList.map(rule => rule.name),
);
const authorizeOnEntity = createConditionAuthorizer<Entity, unknown>(
  catalogRuleList,
);

/** Answers of mayReadEntityLocally, by decision and entity object; gone with either. */
const judged = new WeakMap<
  PolicyDecision,
  WeakMap<Entity, boolean | undefined>
>();

/**
 * The caller's `catalog.entity.read` decision applied to an entity, with the catalog's own rule
 * implementations — what the catalog itself would filter. Undefined when it cannot be decided here
 * (conditions with rules an adopter added): the caller must then read the catalog themselves.
 */
export function mayReadEntityLocally(
  decision: PolicyDecision,
  entity: Entity,
): boolean | undefined {
  if (decision.result === AuthorizeResult.ALLOW) return true;
  if (decision.result !== AuthorizeResult.CONDITIONAL) return false;
  // A warm read judges the same kept entity with the same kept decision: both are reused as
  // objects for their bounds, so the answer (a pure function of the two) is kept with them.
  let byEntity = judged.get(decision);
  if (!byEntity) {
    byEntity = new WeakMap();
    judged.set(decision, byEntity);
  }
  if (byEntity.has(entity)) return byEntity.get(entity);
  const local =
    decision.pluginId === 'catalog' &&
    decision.resourceType === 'catalog-entity' &&
    rulesIn(decision.conditions).every(rule => knownCatalogRules.has(rule));
  const answer = local ? authorizeOnEntity(decision, entity) : undefined;
  byEntity.set(entity, answer);
  return answer;
}
