/*
 * A Resource's workflow runs and their pipeline logs, as the backend's `.../runs` and `.../logs`
 * routes answer them. A run is one pipeline Job; its Pod's containers are Kratix's: `reader`, the
 * pipeline's own containers in order, `work-writer` (configure only), then `status-writer`.
 * Log content is only ever sent to a caller with `kratix.resource.logs.read`.
 */

/**
 * One container of a run's Pod.
 *
 * @public
 */
export interface KratixRunContainer {
  name: string;
  /** Init containers run in order before the main (`status-writer`) container. */
  init: boolean;
  state: 'waiting' | 'running' | 'terminated';
  exitCode?: number;
  /** Kubernetes' reason: `Completed`, `Error`, `OOMKilled`, `PodInitializing`, … */
  reason?: string;
  startedAt?: string;
  finishedAt?: string;
  /** The container's last log line: only for a caller who may read logs. */
  lastLine?: string;
}

/**
 * One workflow run of a Resource: a pipeline Job and what its Pod did.
 *
 * @public
 */
export interface KratixWorkflowRun {
  /** The Job's name: the `run` of the logs route. */
  job: string;
  /** The pipeline's name (`kratix.io/pipeline-name`). */
  pipeline: string;
  /** `configure` or `delete` (`kratix.io/workflow-action`). */
  action?: string;
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  startedAt?: string;
  finishedAt?: string;
  /** The Pod the logs come from; absent once it is collected (see `kept`). */
  pod?: string;
  containers: KratixRunContainer[];
  /** The container that failed, when the run failed: what the tab leads with. */
  failedContainer?: string;
  /**
   * False when the caller may not read logs: the containers are listed (logs exist), their
   * content is not, and `logsHiddenReason` says why.
   */
  logsAllowed: boolean;
  logsHiddenReason?: string;
  /** Why logs could not be read from the cluster (e.g. missing RBAC on pods/log). */
  logsError?: string;
  /**
   * The last lines of the failed container, kept with the run in the history store so the reason
   * for a failure outlives the Pod. Only for a caller who may read logs.
   */
  kept?: { container: string; exitCode?: number; lines: string[] };
}

/**
 * What `GET .../runs` answers: the Resource's runs, newest first.
 *
 * @public
 */
export interface KratixWorkflowRunsResponse {
  runs: KratixWorkflowRun[];
}

/**
 * One line of `GET .../logs` asked with `Accept: application/json` (one JSON object per line).
 *
 * @public
 */
export interface KratixLogLine {
  container: string;
  /** RFC 3339 time Kubernetes stamped the line with, when it has one. */
  time?: string;
  line: string;
}

/**
 * How the logs of one run's container are asked for.
 *
 * @public
 */
export interface KratixLogsQuery {
  /** The Job's name; default the latest run. */
  run?: string;
  /** Default: the failing container, else the last that ran. */
  container?: string;
  tailLines?: number;
}

/**
 * The container a run's log is read from when none is named: the failing one, else the last that
 * ran (the running one, while the run runs: containers run in order).
 *
 * @public
 */
export function defaultLogContainer(
  run: Pick<KratixWorkflowRun, 'containers' | 'failedContainer'>,
): string | undefined {
  if (run.failedContainer) return run.failedContainer;
  const ran = run.containers.filter(c => c.state !== 'waiting');
  return (ran[ran.length - 1] ?? run.containers[0])?.name;
}
