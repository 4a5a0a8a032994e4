export { startKratixEmulator } from './KratixEmulator';
export type { KratixEmulator, KratixEmulatorOptions } from './KratixEmulator';
export { loadYamlFolder, loadYamlDocuments } from './seed';
export { registerPromiseType, PROMISE_TYPE } from './promises/promiseType';
export { resolveImage, imageBaseName } from './runner/imageResolver';
export {
  ANNOTATION_EMULATE,
  EMULATE_LEGACY_PIPELINE_COMPLETED,
} from './common/constants';
export type { Logger } from './workflows/workflowRun';
