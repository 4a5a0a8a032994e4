/**
 * Search backend module that indexes Kratix Resources and Promises, and a search engine wrapper
 * whose pages say nothing about Resources the caller may not read.
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
export {
  createKratixReadableSearchEngine,
  type CreateKratixReadableSearchEngineOptions,
} from './engine/createKratixReadableSearchEngine';
