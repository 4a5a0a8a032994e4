import { Box, Typography, makeStyles } from '@material-ui/core';
import type { KratixResourceView } from '@kratix-backstage/plugin-kratix-common';
import { StateChip } from '../StateChip';
import { BLOCKED_EXPLANATION, decidingCondition } from '../../utils/state';
import { formatTimestamp } from '../../utils/time';

const useStyles = makeStyles(theme => ({
  root: {
    borderLeft: `4px solid ${theme.palette.divider}`,
    paddingLeft: theme.spacing(2),
  },
  ready: { borderLeftColor: theme.palette.success?.main ?? '#2e7d32' },
  'in-progress': { borderLeftColor: theme.palette.info?.main ?? '#0288d1' },
  failed: { borderLeftColor: theme.palette.error.main },
  paused: { borderLeftColor: theme.palette.warning?.main ?? '#ed6c02' },
  blocked: { borderLeftColor: theme.palette.warning?.main ?? '#ed6c02' },
  deleting: { borderLeftColor: theme.palette.grey[700] },
  unknown: { borderLeftColor: theme.palette.grey[500] },
  // The state label and the condition summary are two items: a gap keeps them from running together.
  summary: { gap: theme.spacing(1.5) },
  message: {
    fontWeight: 500,
    overflowWrap: 'anywhere',
    whiteSpace: 'pre-wrap',
  },
}));

/**
 * What the platform says: `status.message` exactly as `kubectl get` shows it, big, with the state read
 * from the conditions and the condition it was read from.
 */
export function StatusMessage(props: { resource: KratixResourceView }) {
  const { resource } = props;
  const classes = useStyles();
  const condition =
    resource.state === 'blocked'
      ? resource.conditions.find(c => c.type === 'PromiseAvailable')
      : decidingCondition(resource);
  const legacy =
    resource.workflowCompletion?.conditionType === 'PipelineCompleted';
  return (
    <Box className={`${classes.root} ${classes[resource.state] ?? ''}`}>
      <Typography variant="overline" color="textSecondary">
        Status message
      </Typography>
      <Typography
        variant="h5"
        component="p"
        className={classes.message}
        data-testid="kratix-status-message"
      >
        {resource.message}
      </Typography>
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        mt={1}
        className={classes.summary}
      >
        <StateChip state={resource.state} />
        <Typography
          variant="body2"
          color="textSecondary"
          component="span"
          data-testid="kratix-condition-summary"
        >
          {condition
            ? `${condition.type}: ${condition.status}${
                condition.reason ? ` (${condition.reason})` : ''
              }${condition.message ? ` — ${condition.message}` : ''}`
            : 'No workflow condition reported: the Promise may have no configure workflow'}
          {legacy ? ' · Kratix before October 2024 (PipelineCompleted)' : ''}
          {resource.paused ? ' · label kratix.io/paused=true' : ''}
        </Typography>
        {resource.state === 'blocked' && (
          <Typography variant="body2" component="span">
            {BLOCKED_EXPLANATION}
          </Typography>
        )}
        {resource.deletionTimestamp && (
          <Typography variant="body2" component="span">
            Deletion requested {formatTimestamp(resource.deletionTimestamp)}:
            Kratix is running the delete workflow.
          </Typography>
        )}
      </Box>
    </Box>
  );
}
