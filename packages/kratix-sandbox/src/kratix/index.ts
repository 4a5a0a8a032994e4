export { startKratixEmulator } from './KratixEmulator';
export type { KratixEmulator, KratixEmulatorOptions } from './KratixEmulator';
export { loadYamlFolder, loadYamlDocuments } from './seed';
export { registerPromiseType, PROMISE_TYPE } from './promiseType';
export { resolveImage, imageBaseName } from './imageResolver';
export {
  ANNOTATION_EMULATE,
  EMULATE_LEGACY_PIPELINE_COMPLETED,
} from './constants';
export type { Logger } from './workflowRun';
