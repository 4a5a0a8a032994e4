import type {
  KratixRunContainer,
  KratixWorkflowRun,
} from '@kratix-backstage/plugin-kratix-common';

/** Which logs to open: a run (its Job's name) and, if the opener knows, the container. */
export interface LogsTarget {
  job: string;
  container?: string;
}

/** The newest run, when it failed: what a failed Resource's summary leads with. */
export function latestFailedRun(
  runs: readonly KratixWorkflowRun[] | undefined,
): KratixWorkflowRun | undefined {
  const latest = runs?.[0];
  return latest?.phase === 'Failed' ? latest : undefined;
}

/** The newest run of a pipeline (runs come newest first). */
export function latestRunOf(
  runs: readonly KratixWorkflowRun[] | undefined,
  pipeline: string,
): KratixWorkflowRun | undefined {
  return runs?.find(r => r.pipeline === pipeline);
}

/** A log line as words: colour and cursor escapes are for terminals (LogViewer renders them). */
export function plainLine(line: string): string {
  // eslint-disable-next-line no-control-regex
  return line.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
}

/** "exit code 1 (Error)", "running", "not started": a container's state in a few words. */
export function containerStateText(container: KratixRunContainer): string {
  if (container.state === 'waiting') {
    return container.reason
      ? `not started (${container.reason})`
      : 'not started';
  }
  if (container.state === 'running') return 'running';
  const code =
    container.exitCode === undefined
      ? 'ended'
      : `exit code ${container.exitCode}`;
  return container.reason ? `${code} (${container.reason})` : code;
}
