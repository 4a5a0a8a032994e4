export { GitRequestWriter } from './GitRequestWriter';
export { KratixDeliveryError } from './KratixDeliveryError';
export type {
  GitBranchFiles,
  GitPullRequestState,
  GitWrite,
  GitWriteResult,
} from './types';
