/**
 * Scaffolder actions that request Kratix Resources as the user running the template, and wait for
 * them: `kratix:resource:create` and `kratix:resource:wait`; and `kratix:resource:manifest`, which
 * writes a validated request's manifest into the workspace for a template's own publish step.
 *
 * @packageDocumentation
 */
export { scaffolderModuleKratix as default } from './module';
export {
  createKratixResourceAction,
  CREATE_ACTION_ID,
  type KratixActionDeps,
} from './actions/createResourceAction';
export {
  createKratixWaitAction,
  WAIT_ACTION_ID,
} from './actions/waitResourceAction';
export {
  createKratixManifestAction,
  MANIFEST_ACTION_ID,
} from './actions/manifestAction';
export type { KratixActionCondition } from './actions/schemas';
