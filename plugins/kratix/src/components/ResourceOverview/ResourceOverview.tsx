import { Fragment, type ReactNode } from 'react';
import {
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
  // is never cut (maxWidth 0 keeps a long message from widening the table). The table fits its
  // box: what a narrow window cannot hold gives way (pipelines hide: the detail shows them) before
  // anything scrolls sideways.
  head: { '& th': { whiteSpace: 'nowrap' } },
  nowrap: { whiteSpace: 'nowrap' },
  // Words break only when a single one is longer than the cell (a 63-character name).
  // (The theme's cells say word-break: break-word, which would break any word: undone here.)
  resource: { maxWidth: 220, overflowWrap: 'break-word', wordBreak: 'normal' },
  name: { fontWeight: 600 },
  message: {
    maxWidth: 0,
    width: '50%',
    whiteSpace: 'normal',
    overflowWrap: 'anywhere',
  },
  wide: { [theme.breakpoints.down('md')]: { display: 'none' } },
  // Why a failed, blocked, paused or deleting Resource is so comes first, in the message column.
  reason: { fontWeight: 500, overflowWrap: 'anywhere' },
  failedReason: { color: theme.palette.error.main },
  state: { display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5) },
  detailCell: {
    padding: theme.spacing(2, 2, 3),
    backgroundColor: theme.palette.background.default,
  },
  // The detail fills its row but never widens the table: its own width counts as zero.
  detail: { width: 0, minWidth: '100%' },
  toggle: { width: 32, paddingRight: 0 },
}));

/** "redis · default", and the cluster only when the rows span more than one. */
function whereOf(
  resource: KratixResourceView,
  manyClusters: boolean,
  sandboxes: ReadonlySet<string>,
): string {
  const cluster = sandboxes.has(resource.cluster)
    ? `${resource.cluster} (sandbox platform)`
    : resource.cluster;
  return [resource.promise, resource.namespace, manyClusters ? cluster : '']
    .filter(Boolean)
    .join(' · ');
}

/** How the configure workflow went: per pipeline, else the counters, else the completion condition. */
function workflowSummary(resource: KratixResourceView): string | undefined {
  const summary = pipelineSummary(resource);
  if (summary) return summary;
  // Kratix before the counters (and before October 2024) reports one condition for the last run.
  switch (resource.workflowCompletion?.state) {
    case 'completed':
      return 'Last run succeeded';
    case 'running':
      return 'Running';
    case 'failed':
      return 'Last run failed';
    default:
      return undefined;
  }
}

/**
 * One compact row per Resource (state, health, name with its Promise and where, why it is failed,
 * blocked, paused or deleting and the message, the workflow, last change); an open Resource's detail
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
  const manyClusters = new Set(items.map(r => r.cluster)).size > 1;
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
            <TableCell>Resource</TableCell>
            <TableCell>Status message</TableCell>
            <TableCell className={classes.wide}>Workflow</TableCell>
            <TableCell>Last change</TableCell>
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
                  <TableCell className={classes.resource}>
                    <Typography variant="body2" className={classes.name}>
                      {resource.name}
                    </Typography>
                    <Typography
                      variant="caption"
                      color="textSecondary"
                      data-testid="kratix-row-where"
                    >
                      {whereOf(resource, manyClusters, sandboxes)}
                    </Typography>
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
                  <TableCell className={`${classes.nowrap} ${classes.wide}`}>
                    {workflowSummary(resource) ?? ''}
                  </TableCell>
                  <TableCell className={classes.nowrap}>
                    <Tooltip
                      title={`Last condition change ${formatTimestamp(
                        transition,
                      )}; requested ${formatTimestamp(resource.createdAt)}`}
                    >
                      <span>
                        {formatAgo(transition ?? resource.createdAt, now)}
                      </span>
                    </Tooltip>
                  </TableCell>
                </TableRow>
                {open && (
                  <TableRow data-testid="kratix-resource-detail">
                    <TableCell colSpan={6} className={classes.detailCell}>
                      <div className={classes.detail}>
                        {props.renderDetail(resource)}
                      </div>
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
