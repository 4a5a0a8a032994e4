import { Box, Typography, makeStyles } from '@material-ui/core';
import type { KratixResourceView } from '@kratix-backstage/plugin-kratix-common';
import { StateChip } from '../StateChip';
import { decidingCondition } from '../../utils/state';

const useStyles = makeStyles(theme => ({
  root: {
    borderLeft: `4px solid ${theme.palette.divider}`,
    paddingLeft: theme.spacing(2),
  },
  ready: { borderLeftColor: theme.palette.success?.main ?? '#2e7d32' },
  'in-progress': { borderLeftColor: theme.palette.info?.main ?? '#0288d1' },
  failed: { borderLeftColor: theme.palette.error.main },
  paused: { borderLeftColor: theme.palette.warning?.main ?? '#ed6c02' },
  unknown: { borderLeftColor: theme.palette.grey[500] },
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
  const condition = decidingCondition(resource);
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
      <Box display="flex" alignItems="center" flexWrap="wrap" mt={1}>
        <StateChip state={resource.state} />
        <Typography variant="body2" color="textSecondary" component="span">
          {condition
            ? `${condition.type}: ${condition.status}${
                condition.reason ? ` (${condition.reason})` : ''
              }${condition.message ? ` — ${condition.message}` : ''}`
            : 'No workflow condition reported: the Promise may have no configure workflow'}
          {legacy ? ' · Kratix before October 2024 (PipelineCompleted)' : ''}
          {resource.paused ? ' · label kratix.io/paused=true' : ''}
        </Typography>
      </Box>
    </Box>
  );
}
