import {
  Box,
  Button,
  Tooltip,
  Typography,
  makeStyles,
} from '@material-ui/core';
import FiberManualRecordIcon from '@material-ui/icons/FiberManualRecord';
import type { KratixWatchError } from '../../api/KratixApi';
import { formatAgo, formatTimestamp } from '../../utils/time';

const useStyles = makeStyles(theme => ({
  live: { color: theme.palette.success?.main ?? '#2e7d32' },
  stale: { color: theme.palette.warning?.main ?? '#ed6c02' },
  off: { color: theme.palette.grey[500] },
  icon: { fontSize: 12, marginRight: theme.spacing(0.5) },
}));

/** Whether the page is following changes live, or showing data that may be out of date. */
export function LiveStatus(props: {
  live: boolean;
  stale: boolean;
  streamError?: KratixWatchError;
  receivedAt?: Date;
  now: number;
  onRetry?: () => void;
}) {
  const { live, stale, streamError, receivedAt, now, onRetry } = props;
  const classes = useStyles();
  const received = receivedAt?.toISOString();
  let tone = classes.off;
  let text = 'Connecting for live updates…';
  if (live) {
    tone = classes.live;
    text = 'Live';
  } else if (streamError) {
    tone = classes.stale;
    const since = received
      ? ` Showing data received ${formatAgo(received, now)}.`
      : '';
    text = streamError.retrying
      ? `Live updates interrupted, reconnecting${
          streamError.nextAttemptAt
            ? ` ${formatAgo(streamError.nextAttemptAt.toISOString(), now)}`
            : ''
        }.${stale ? `${since} It may be stale.` : ''}`
      : `Live updates stopped.${
          // The server's reason when it is one the user can act on (too many Resources to follow).
          streamError.error.name === 'KratixStreamLimitError'
            ? ` ${streamError.error.message}`
            : ''
        }${stale ? `${since} It may be stale.` : ''}`;
  }
  let tooltip = '';
  if (streamError) tooltip = streamError.error.message;
  else if (received) tooltip = `Last update ${formatTimestamp(received)}`;
  return (
    <Box
      display="flex"
      alignItems="center"
      role="status"
      data-testid="kratix-live-status"
    >
      <FiberManualRecordIcon className={`${classes.icon} ${tone}`} />
      <Tooltip title={tooltip}>
        <Typography variant="body2" color="textSecondary" component="span">
          {text}
        </Typography>
      </Tooltip>
      {streamError && !streamError.retrying && onRetry && (
        <Button size="small" onClick={onRetry} style={{ marginLeft: 8 }}>
          Reconnect
        </Button>
      )}
    </Box>
  );
}
