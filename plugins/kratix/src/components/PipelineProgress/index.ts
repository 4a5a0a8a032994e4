export { PipelineProgress } from './PipelineProgress';
