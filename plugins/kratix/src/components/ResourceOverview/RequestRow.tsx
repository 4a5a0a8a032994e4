import { Fragment } from 'react';
import { TableCell, TableRow, Tooltip, Typography } from '@material-ui/core';
import KeyboardArrowDownIcon from '@material-ui/icons/KeyboardArrowDown';
import KeyboardArrowRightIcon from '@material-ui/icons/KeyboardArrowRight';
import type { KratixRequestView } from '@kratix-backstage/plugin-kratix-common';
import { RequestDetail, RequestLink, RequestStateChip } from '../Requests';
import {
  REQUEST_OPERATION_LABEL,
  REQUEST_STATE_LABEL,
  requesterName,
} from '../../utils/requests';
import { formatAgo, formatTimestamp } from '../../utils/time';
import { useOverviewStyles } from './styles';
import { whereOf } from './where';

/**
 * A request delivered through Git that the platform has not applied yet, as a row among the
 * Resources: its state, the Resource it is for, what it asks and where it stands (with the commit
 * or pull request), who asked, when. It unfolds like a Resource's row, into the Git details.
 */
export function RequestRow(props: {
  request: KratixRequestView;
  now: number;
  manyClusters: boolean;
  sandboxes: ReadonlySet<string>;
  open: boolean;
  onToggle: () => void;
}) {
  const { request, now, manyClusters, sandboxes, open, onToggle } = props;
  const classes = useOverviewStyles();
  const stateWord = REQUEST_STATE_LABEL[request.state] ?? request.state;
  return (
    <Fragment>
      <TableRow
        hover
        className={`${classes.row} ${open ? classes.selected : ''}`}
        onClick={onToggle}
        onKeyDown={event => {
          if (event.key === 'Enter' || event.key === ' ') {
            event.preventDefault();
            onToggle();
          }
        }}
        tabIndex={0}
        aria-expanded={open}
        aria-label={`${request.name} (${
          request.promise
        }), ${stateWord.toLowerCase()} request`}
        data-testid="kratix-request"
        data-request={request.id}
        data-state={request.state}
      >
        <TableCell className={classes.toggle}>
          {open ? (
            <KeyboardArrowDownIcon fontSize="small" />
          ) : (
            <KeyboardArrowRightIcon fontSize="small" />
          )}
        </TableCell>
        <TableCell className={classes.nowrap}>
          <div className={classes.state}>
            <RequestStateChip state={request.state} />
          </div>
        </TableCell>
        <TableCell className={classes.resource}>
          <Typography variant="body2" className={classes.name}>
            {request.name}
          </Typography>
          <Typography
            variant="caption"
            color="textSecondary"
            data-testid="kratix-row-where"
          >
            {whereOf(request, manyClusters, sandboxes)}
          </Typography>
        </TableCell>
        <TableCell
          className={classes.message}
          data-testid="kratix-request-message"
        >
          <Typography variant="body2" className={classes.reason}>
            {REQUEST_OPERATION_LABEL[request.operation] ?? request.operation}
          </Typography>
          <Typography variant="body2">{request.message}</Typography>
          <Typography
            variant="caption"
            color="textSecondary"
            component="div"
            data-testid="kratix-request-by"
          >
            <RequestLink request={request} /> · by{' '}
            <Tooltip title={request.requestedBy}>
              <span>{requesterName(request.requestedBy)}</span>
            </Tooltip>
          </Typography>
        </TableCell>
        <TableCell className={`${classes.nowrap} ${classes.wide}`} />
        <TableCell className={classes.nowrap}>
          <Tooltip
            title={`Requested ${formatTimestamp(
              request.createdAt,
            )}; updated ${formatTimestamp(request.updatedAt)}`}
          >
            <span data-testid="kratix-request-age">
              {formatAgo(request.createdAt, now)}
            </span>
          </Tooltip>
        </TableCell>
      </TableRow>
      {open && (
        <TableRow data-testid="kratix-request-row-detail">
          <TableCell colSpan={6} className={classes.detailCell}>
            <div className={classes.detail}>
              <RequestDetail request={request} />
            </div>
          </TableCell>
        </TableRow>
      )}
    </Fragment>
  );
}
