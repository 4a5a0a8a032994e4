export { GitRequestWriter } from './GitRequestWriter';
export { KratixDeliveryError } from './KratixDeliveryError';
export type { GitPullRequestState, GitWrite, GitWriteResult } from './types';
