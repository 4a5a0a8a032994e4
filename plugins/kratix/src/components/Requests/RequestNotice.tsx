import {
  Box,
  IconButton,
  Paper,
  Typography,
  makeStyles,
} from '@material-ui/core';
import CloseIcon from '@material-ui/icons/Close';
import InfoOutlinedIcon from '@material-ui/icons/InfoOutlined';
import type { KratixRequestView } from '@kratix-backstage/plugin-kratix-common';
import { RequestLink } from './RequestLink';

const useStyles = makeStyles(theme => ({
  notice: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(1.5),
    padding: theme.spacing(1, 1, 1, 2),
    borderLeft: `4px solid ${theme.palette.info?.main ?? '#0288d1'}`,
  },
  icon: { color: theme.palette.info?.main ?? '#0288d1', marginTop: 2 },
  text: { flex: 1, minWidth: 0, overflowWrap: 'anywhere' },
}));

/**
 * What a change made through Git did, in place of the usual "saved": the request's message and
 * its commit or pull request. It stays until dismissed, since the change is not on the cluster yet.
 */
export function RequestNotice(props: {
  request: KratixRequestView;
  onDismiss?: () => void;
}) {
  const { request, onDismiss } = props;
  const classes = useStyles();
  return (
    <Paper
      variant="outlined"
      className={classes.notice}
      role="status"
      data-testid="kratix-request-notice"
      data-request={request.id}
    >
      <InfoOutlinedIcon className={classes.icon} fontSize="small" />
      <Box className={classes.text}>
        <Typography variant="body2">{request.message}</Typography>
        <Typography variant="body2" component="div">
          <RequestLink request={request} />
        </Typography>
      </Box>
      {onDismiss && (
        <IconButton size="small" aria-label="Dismiss" onClick={onDismiss}>
          <CloseIcon fontSize="small" />
        </IconButton>
      )}
    </Paper>
  );
}
