import { Fragment, type ReactNode } from 'react';
import {
  Box,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { alpha } from '@material-ui/core/styles';
import KeyboardArrowDownIcon from '@material-ui/icons/KeyboardArrowDown';
import KeyboardArrowRightIcon from '@material-ui/icons/KeyboardArrowRight';
import {
  PENDING_MESSAGE,
  stateReasonOf,
  type KratixResourceView,
} from '@kratix-backstage/plugin-kratix-common';
import { HealthBadge } from '../Health';
import { StateChip } from '../StateChip';
import { WorksBadge } from '../WhereItLanded';
import {
  lastTransition,
  pipelineSummary,
  resourceKey,
} from '../../utils/summary';
import { formatAgo, formatTimestamp } from '../../utils/time';

const useStyles = makeStyles(theme => ({
  table: { tableLayout: 'auto' },
  row: {
    cursor: 'pointer',
    transition: 'background-color 600ms ease-out',
    '&:hover': { backgroundColor: theme.palette.action.hover },
  },
  selected: { backgroundColor: theme.palette.action.selected },
  highlighted: {
    backgroundColor: alpha(theme.palette.info?.main ?? '#0288d1', 0.18),
  },
  // Headings and short values never wrap; the message takes the room left and wraps in it, so it
  // is never cut (maxWidth 0 keeps a long message from widening the table).
  head: { '& th': { whiteSpace: 'nowrap' } },
  nowrap: { whiteSpace: 'nowrap' },
  name: { fontWeight: 600, whiteSpace: 'nowrap' },
  message: {
    maxWidth: 0,
    width: '40%',
    whiteSpace: 'normal',
    overflowWrap: 'anywhere',
  },
  // Why a failed, blocked, paused or deleting Resource is so comes first, in the message column.
  reason: { fontWeight: 500, overflowWrap: 'anywhere' },
  failedReason: { color: theme.palette.error.main },
  state: { display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5) },
  detailCell: {
    padding: theme.spacing(2, 2, 3),
    backgroundColor: theme.palette.background.default,
  },
  toggle: { width: 32, paddingRight: 0 },
}));

/**
 * One compact row per Resource (state, health, name, Promise, where, why it is failed, blocked,
 * paused or deleting and the message, pipelines, age, last transition); an open Resource's detail
 * unfolds under its row. Rows changed by a live update are highlighted briefly.
 */
export function ResourceOverview(props: {
  items: KratixResourceView[];
  now: number;
  /** Clusters that are the embedded sandbox platform. */
  sandboxes: ReadonlySet<string>;
  /** Keys of the Resources whose detail is open. */
  open: ReadonlySet<string>;
  onToggle: (key: string) => void;
  highlighted: ReadonlySet<string>;
  renderDetail: (resource: KratixResourceView) => ReactNode;
}) {
  const { items, now, sandboxes, onToggle, highlighted } = props;
  const classes = useStyles();
  return (
    <Paper variant="outlined">
      <Table
        size="small"
        className={classes.table}
        aria-label="Kratix Resources"
        data-testid="kratix-overview"
      >
        <TableHead className={classes.head}>
          <TableRow>
            <TableCell className={classes.toggle} />
            <TableCell>State</TableCell>
            <TableCell>Name</TableCell>
            <TableCell>Promise</TableCell>
            <TableCell>Cluster / namespace</TableCell>
            <TableCell>Status message</TableCell>
            <TableCell>Pipelines</TableCell>
            <TableCell>Age</TableCell>
            <TableCell>Last transition</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {items.map(resource => {
            const key = resourceKey(resource);
            const open = props.open.has(key);
            const transition = lastTransition(resource);
            const reason = stateReasonOf(resource);
            const rowClass = [
              classes.row,
              open ? classes.selected : '',
              highlighted.has(key) ? classes.highlighted : '',
            ].join(' ');
            return (
              <Fragment key={key}>
                <TableRow
                  hover
                  className={rowClass}
                  onClick={() => onToggle(key)}
                  onKeyDown={event => {
                    if (event.key === 'Enter' || event.key === ' ') {
                      event.preventDefault();
                      onToggle(key);
                    }
                  }}
                  tabIndex={0}
                  aria-expanded={open}
                  aria-label={`${resource.name} (${resource.promise})`}
                  data-testid="kratix-resource"
                  data-resource={key}
                  data-highlighted={highlighted.has(key) || undefined}
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
                      <StateChip state={resource.state} />
                      <HealthBadge health={resource.health} />
                      <WorksBadge works={resource.works} />
                    </div>
                  </TableCell>
                  <TableCell className={classes.name}>
                    {resource.name}
                  </TableCell>
                  <TableCell className={classes.nowrap}>
                    {resource.promise}
                  </TableCell>
                  <TableCell className={classes.nowrap}>
                    {resource.cluster}
                    {sandboxes.has(resource.cluster) && ' (sandbox)'} /{' '}
                    {resource.namespace}
                  </TableCell>
                  <TableCell
                    className={classes.message}
                    data-testid="kratix-row-message"
                  >
                    {reason && (
                      <Typography
                        variant="body2"
                        className={`${classes.reason} ${
                          resource.state === 'failed'
                            ? classes.failedReason
                            : ''
                        }`}
                        data-testid="kratix-row-reason"
                      >
                        {reason.text}
                      </Typography>
                    )}
                    {/* Kratix's placeholder says nothing next to a reason. */}
                    {reason && resource.message === PENDING_MESSAGE
                      ? null
                      : resource.message}
                  </TableCell>
                  <TableCell className={classes.nowrap}>
                    {pipelineSummary(resource) ?? '—'}
                  </TableCell>
                  <TableCell className={classes.nowrap}>
                    <Tooltip title={formatTimestamp(resource.createdAt)}>
                      <span>
                        {formatAgo(resource.createdAt, now).replace(
                          / ago$/,
                          '',
                        )}
                      </span>
                    </Tooltip>
                  </TableCell>
                  <TableCell className={classes.nowrap}>
                    <Tooltip title={formatTimestamp(transition)}>
                      <span>{formatAgo(transition, now)}</span>
                    </Tooltip>
                  </TableCell>
                </TableRow>
                {open && (
                  <TableRow data-testid="kratix-resource-detail">
                    <TableCell colSpan={9} className={classes.detailCell}>
                      <Box width="100%">{props.renderDetail(resource)}</Box>
                    </TableCell>
                  </TableRow>
                )}
              </Fragment>
            );
          })}
        </TableBody>
      </Table>
      {items.length === 0 && (
        <Typography variant="body2" style={{ padding: 16 }}>
          No Resources.
        </Typography>
      )}
    </Paper>
  );
}
