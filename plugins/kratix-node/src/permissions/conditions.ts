/*
 * Condition factories for policy authors:
 *   kratixResourceConditions.isResourceOwner({ claims })
 *   createKratixResourceConditionalDecision(kratixResourceReadPermission, { anyOf: [...] })
 */
import { createConditionExports } from '@backstage/plugin-permission-node';
import { kratixResourcePermissionResourceRef } from './resourceRef';
import { kratixResourcePermissionRules } from './rules';

const exports = createConditionExports({
  resourceRef: kratixResourcePermissionResourceRef,
  rules: kratixResourcePermissionRules,
});

/** @public */
export const kratixResourceConditions = exports.conditions;
/** @public */
export const createKratixResourceConditionalDecision =
  exports.createConditionalDecision;
