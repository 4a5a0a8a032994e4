export {
  kratixResourcePermissionResourceRef,
  type KratixPermissionResource,
  type KratixPermissionQuery,
} from './resourceRef';
export { kratixResourcePermissionRules } from './rules';
export {
  kratixResourceConditions,
  createKratixResourceConditionalDecision,
} from './conditions';
