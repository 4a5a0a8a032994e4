export { FailedRunSummary } from './FailedRunSummary';
export { LogsDialog } from './LogsDialog';
export { latestRunOf, type LogsTarget } from './runs';
