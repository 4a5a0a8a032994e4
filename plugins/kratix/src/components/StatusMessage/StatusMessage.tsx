import { Box, Typography, makeStyles } from '@material-ui/core';
import {
  stateReasonOf,
  type KratixResourceView,
  type KratixTimelineEntry,
} from '@kratix-backstage/plugin-kratix-common';
import { StateChip } from '../StateChip';
import { STATE_LABEL, decidingCondition } from '../../utils/state';
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

/** "by user:default/bob · since 6 Mar 2026, 12:00" from what the reason knows. */
export function reasonByline(reason: { by?: string; since?: string }) {
  return [
    reason.by ? `by ${reason.by}` : '',
    reason.since ? `since ${formatTimestamp(reason.since)}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

/**
 * What the platform says: `status.message` exactly as `kubectl get` shows it, big, with the state read
 * from the conditions and the condition it was read from. A failed, blocked, paused or deleting
 * Resource leads with why instead (kratix-common's stateReasonOf), its message below: Kratix leaves
 * `Pending` there when no workflow finished. `timeline` names who paused it and when.
 */
export function StatusMessage(props: {
  resource: KratixResourceView;
  timeline?: readonly KratixTimelineEntry[];
}) {
  const { resource } = props;
  const classes = useStyles();
  const reason = stateReasonOf(resource, props.timeline);
  const byline = reason && reasonByline(reason);
  const condition =
    resource.state === 'blocked'
      ? resource.conditions.find(c => c.type === 'PromiseAvailable')
      : decidingCondition(resource);
  return (
    <Box className={`${classes.root} ${classes[resource.state] ?? ''}`}>
      {reason && (
        <Box mb={1} data-testid="kratix-state-reason">
          <Typography variant="overline" color="textSecondary">
            Why it is {STATE_LABEL[resource.state].toLowerCase()}
          </Typography>
          <Typography variant="h5" component="p" className={classes.message}>
            {reason.text}
          </Typography>
          {byline && (
            <Typography variant="body2" color="textSecondary">
              {byline}
            </Typography>
          )}
        </Box>
      )}
      <Typography variant="overline" color="textSecondary">
        Status message
      </Typography>
      <Typography
        variant={reason ? 'body1' : 'h5'}
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
          {resource.paused ? ' · label kratix.io/paused=true' : ''}
        </Typography>
      </Box>
    </Box>
  );
}
