/**
 * Search backend module that indexes Kratix Resources and Promises.
 *
 * @packageDocumentation
 */
export { searchModuleKratixCollator as default } from './module';
export {
  KratixResourceCollatorFactory,
  type KratixResourceCollatorFactoryOptions,
} from './collators/KratixResourceCollatorFactory';
export {
  KratixPromiseCollatorFactory,
  type KratixPromiseCollatorFactoryOptions,
} from './collators/KratixPromiseCollatorFactory';
export type { KratixCollatorScope } from './config';
