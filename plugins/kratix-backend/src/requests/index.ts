/*
 * The request ledger and its tracker (issue 27): what the plugin wires for Git delivery.
 */
export {
  RequestLedger,
  isOpenRequest,
  sameTarget,
  type NewRequest,
  type RecordedRequest,
  type RequestTarget,
} from './RequestLedger';
export {
  RequestTracker,
  type BranchReader,
  type PullRequestStates,
  type RequestCheckResult,
  type RequestTrackerOptions,
} from './RequestTracker';
export {
  readRequestSettings,
  DEFAULT_CHECK_INTERVAL_SECONDS,
  DEFAULT_STALE_AFTER_MINUTES,
  type RequestSettings,
} from './requestsConfig';
export { requestMessage } from './requestMessage';
