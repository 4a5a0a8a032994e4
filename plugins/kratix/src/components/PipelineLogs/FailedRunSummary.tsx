import { Box, Button, Typography, makeStyles } from '@material-ui/core';
import LogsIcon from '@material-ui/icons/Subject';
import type { WorkflowRunsState } from '../../hooks/useWorkflowRuns';
import { latestFailedRun, plainLine, type LogsTarget } from './runs';

const useStyles = makeStyles(theme => ({
  root: {
    borderLeft: `4px solid ${theme.palette.error.main}`,
    paddingLeft: theme.spacing(2),
    marginTop: theme.spacing(2),
  },
  name: { fontFamily: theme.typography.fontFamily, fontWeight: 500 },
  // Log text as it was written, wrapped: a long line must not widen the tab.
  log: {
    margin: theme.spacing(0.5, 0, 1),
    padding: theme.spacing(1),
    fontFamily: 'monospace',
    fontSize: theme.typography.body2.fontSize,
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    background: theme.palette.background.default,
    borderRadius: theme.shape.borderRadius,
    maxHeight: '14em',
    overflowY: 'auto',
  },
}));

/**
 * Why the last workflow run failed, under the status message: the pipeline, the container that
 * failed, its exit code and last line, and one click to the full log. Without the logs permission
 * it says that logs exist and why they are hidden; once the Pod is collected it shows the lines kept
 * with the run.
 */
export function FailedRunSummary(props: {
  runs: WorkflowRunsState;
  /** The Resource is failed: a lookup error is worth saying then, and only then. */
  resourceFailed: boolean;
  onOpenLogs: (target: LogsTarget) => void;
}) {
  const { runs, resourceFailed, onOpenLogs } = props;
  const classes = useStyles();
  const run = latestFailedRun(runs.runs);
  if (!run) {
    return resourceFailed && runs.error && !runs.runs ? (
      <Typography
        variant="caption"
        color="error"
        component="p"
        data-testid="kratix-runs-error"
      >
        The failed run could not be looked up ({runs.error.message}).
      </Typography>
    ) : null;
  }

  const failed = run.containers.find(c => c.name === run.failedContainer);
  const collected = !run.pod;
  const kept =
    run.kept &&
    (!run.failedContainer || run.kept.container === run.failedContainer)
      ? run.kept
      : undefined;
  const exitCode = failed?.exitCode ?? kept?.exitCode;
  const lastLine = failed?.lastLine ?? kept?.lines[kept.lines.length - 1];
  const canOpen = run.logsAllowed && (!collected || !!kept);

  return (
    <Box className={classes.root} data-testid="kratix-failed-run">
      <Typography variant="overline" color="textSecondary">
        Failed workflow run
      </Typography>
      <Typography variant="body1" data-testid="kratix-failed-run-what">
        Pipeline <span className={classes.name}>{run.pipeline}</span> failed
        {run.failedContainer ? (
          <>
            {' '}
            in container{' '}
            <span
              className={classes.name}
              data-testid="kratix-failed-run-container"
            >
              {run.failedContainer}
            </span>
          </>
        ) : null}
        {exitCode !== undefined ? (
          <>
            , exit code{' '}
            <span data-testid="kratix-failed-run-exit-code">{exitCode}</span>
          </>
        ) : null}
        {failed?.reason && failed.reason !== 'Error'
          ? ` (${failed.reason})`
          : ''}
        .
      </Typography>
      {!run.logsAllowed && (
        <Typography
          variant="body2"
          color="textSecondary"
          data-testid="kratix-logs-hidden"
        >
          Its logs exist but are hidden from you
          {run.logsHiddenReason ? `: ${run.logsHiddenReason}` : '.'}
        </Typography>
      )}
      {run.logsError && (
        <Typography
          variant="body2"
          color="error"
          data-testid="kratix-logs-error"
        >
          Its logs could not be read from the cluster: {run.logsError}
        </Typography>
      )}
      {run.logsAllowed && collected && (
        <Typography variant="body2" data-testid="kratix-pod-collected">
          {kept
            ? `The run's Pod is gone (collected); the last ${
                kept.lines.length
              } line${kept.lines.length === 1 ? '' : 's'} of ${
                kept.container
              } were kept:`
            : "The run's Pod is gone (collected) and no lines were kept with the run."}
        </Typography>
      )}
      {run.logsAllowed && collected && kept && (
        <pre className={classes.log} data-testid="kratix-kept-lines">
          {kept.lines.map(plainLine).join('\n')}
        </pre>
      )}
      {run.logsAllowed && !collected && lastLine !== undefined && (
        <>
          <Typography variant="body2" color="textSecondary">
            Last line:
          </Typography>
          <pre
            className={classes.log}
            data-testid="kratix-failed-run-last-line"
          >
            {plainLine(lastLine)}
          </pre>
        </>
      )}
      {canOpen && (
        <Button
          size="small"
          variant="outlined"
          color="primary"
          startIcon={<LogsIcon />}
          onClick={() =>
            onOpenLogs({ job: run.job, container: run.failedContainer })
          }
        >
          {collected ? 'Open the kept lines' : 'Open the full log'}
        </Button>
      )}
    </Box>
  );
}
