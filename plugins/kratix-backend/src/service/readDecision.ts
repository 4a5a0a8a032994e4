/*
 * Decides `kratix.resource.read` for an entity the caller already loaded from the catalog.
 * A conditional decision on catalog rules is evaluated here, on that entity, with the catalog's own
 * rule implementations — saving the permission backend's round trip to the catalog on every read.
 * Conditions that use a rule this plugin does not know (a rule an adopter added to the catalog) go
 * the standard way: the permission backend asks the catalog about the entity.
 */
import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { permissionRules as catalogRules } from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  type PermissionCriteria,
  type PermissionCondition,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import { kratixResourceReadPermission } from '@kratix-backstage/plugin-kratix-common';

const rules = Object.values(catalogRules);
const knownRules = new Set(rules.map(rule => rule.name));
const authorizeOnEntity = createConditionAuthorizer<Entity, unknown>(rules);

function rulesIn(criteria: PermissionCriteria<PermissionCondition>): string[] {
  if ('allOf' in criteria) return criteria.allOf.flatMap(rulesIn);
  if ('anyOf' in criteria) return criteria.anyOf.flatMap(rulesIn);
  if ('not' in criteria) return rulesIn(criteria.not);
  return [criteria.rule];
}

export async function mayReadKratixResources(
  permissions: PermissionsService,
  entity: Entity,
  credentials: BackstageCredentials,
): Promise<boolean> {
  const [decision] = await permissions.authorizeConditional(
    [{ permission: kratixResourceReadPermission }],
    { credentials },
  );
  if (decision.result === AuthorizeResult.ALLOW) return true;
  if (decision.result !== AuthorizeResult.CONDITIONAL) return false;
  const local =
    decision.pluginId === 'catalog' &&
    decision.resourceType === 'catalog-entity' &&
    rulesIn(decision.conditions).every(rule => knownRules.has(rule));
  if (local) return authorizeOnEntity(decision, entity);
  const [remote] = await permissions.authorize(
    [
      {
        permission: kratixResourceReadPermission,
        resourceRef: stringifyEntityRef(entity),
      },
    ],
    { credentials },
  );
  return remote.result === AuthorizeResult.ALLOW;
}
