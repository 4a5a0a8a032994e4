import {
  Box,
  Button,
  LinearProgress,
  Step,
  StepLabel,
  Stepper,
  Typography,
  makeStyles,
} from '@material-ui/core';
import type {
  KratixPipelineStatus,
  KratixWorkflowRun,
} from '@kratix-backstage/plugin-kratix-common';
import { latestRunOf, type LogsTarget } from '../PipelineLogs';
import { formatAgo, formatTimestamp } from '../../utils/time';

const useStyles = makeStyles(theme => ({
  stepper: { padding: theme.spacing(1, 0), background: 'transparent' },
  detail: { display: 'block', overflowWrap: 'anywhere' },
}));

const PHASE_ORDER = ['Succeeded', 'Running', 'Suspended', 'Failed', 'Pending'];

const num = (value: unknown) => (typeof value === 'number' ? value : undefined);

/**
 * The configure workflow's pipelines as steps (`status.kratix.workflows.pipelines`, Kratix 2026-03+).
 * On older clusters the workflow counters (`workflowsSucceeded` of `workflows`) are shown instead.
 */
export function PipelineProgress(props: {
  pipelines: KratixPipelineStatus[];
  kratixStatus?: Record<string, unknown>;
  now: number;
  /** The Resource's workflow runs: a step with a run offers its logs. */
  runs?: KratixWorkflowRun[];
  onOpenLogs?: (target: LogsTarget) => void;
}) {
  const { pipelines, kratixStatus = {}, now, runs, onOpenLogs } = props;
  const classes = useStyles();

  if (pipelines.length === 0) {
    const total = num(kratixStatus.workflows);
    const succeeded = num(kratixStatus.workflowsSucceeded) ?? 0;
    const failed = num(kratixStatus.workflowsFailed) ?? 0;
    if (!total) return null;
    return (
      <Box data-testid="kratix-workflow-counters">
        <Typography variant="body2">
          {succeeded} of {total} workflow{total === 1 ? '' : 's'} succeeded
          {failed ? `, ${failed} failed` : ''}
        </Typography>
        <LinearProgress
          variant="determinate"
          value={Math.min(100, (succeeded / total) * 100)}
          color={failed ? 'secondary' : 'primary'}
        />
      </Box>
    );
  }

  const active = pipelines.findIndex(p => p.phase !== 'Succeeded');
  const done = pipelines.filter(p => p.phase === 'Succeeded').length;
  return (
    <Box data-testid="kratix-pipelines">
      <Typography variant="body2" color="textSecondary">
        Pipelines: {done} of {pipelines.length} succeeded
      </Typography>
      <Stepper
        className={classes.stepper}
        activeStep={active === -1 ? pipelines.length : active}
        alternativeLabel
      >
        {pipelines.map(pipeline => {
          const failed = pipeline.phase === 'Failed';
          const suspended = pipeline.phase === 'Suspended';
          const run = onOpenLogs && latestRunOf(runs, pipeline.name);
          return (
            <Step
              key={pipeline.name}
              completed={pipeline.phase === 'Succeeded'}
              active={pipeline.phase === 'Running' || suspended}
            >
              <StepLabel
                error={failed}
                optional={
                  <Typography variant="caption" color="textSecondary">
                    <span
                      className={classes.detail}
                      title={formatTimestamp(pipeline.lastTransitionTime)}
                    >
                      {PHASE_ORDER.includes(pipeline.phase)
                        ? pipeline.phase
                        : `Phase ${pipeline.phase}`}
                      {pipeline.lastTransitionTime
                        ? ` · ${formatAgo(pipeline.lastTransitionTime, now)}`
                        : ''}
                    </span>
                    {pipeline.message && (
                      <span className={classes.detail}>{pipeline.message}</span>
                    )}
                    {pipeline.attempts !== undefined && (
                      <span className={classes.detail}>
                        Attempt {pipeline.attempts}
                      </span>
                    )}
                    {pipeline.nextRetryAt && (
                      <span className={classes.detail}>
                        Next retry {formatAgo(pipeline.nextRetryAt, now)}
                      </span>
                    )}
                    {run && (
                      <Button
                        size="small"
                        color="primary"
                        onClick={() => onOpenLogs?.({ job: run.job })}
                        aria-label={`Logs of pipeline ${pipeline.name}`}
                      >
                        Logs
                      </Button>
                    )}
                  </Typography>
                }
              >
                {pipeline.name}
              </StepLabel>
            </Step>
          );
        })}
      </Stepper>
    </Box>
  );
}
