import {
  Fragment,
  useCallback,
  useEffect,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import {
  Paper,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TablePagination,
  TableRow,
  Tooltip,
  Typography,
} from '@material-ui/core';
import KeyboardArrowDownIcon from '@material-ui/icons/KeyboardArrowDown';
import KeyboardArrowRightIcon from '@material-ui/icons/KeyboardArrowRight';
import {
  PENDING_MESSAGE,
  stateReasonOf,
  type KratixRequestView,
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
import { RequestRow } from './RequestRow';
import { useOverviewStyles } from './styles';
import { whereOf } from './where';

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
 * Which request rows are open: their own state, not written to the URL (a request is short-lived).
 * A link naming a Resource that is only requested so far (the scaffolder's link after a create
 * through Git) opens that request's row instead.
 */
function useOpenRequests(
  requests: KratixRequestView[],
  named: ReadonlySet<string>,
) {
  const [open, setOpen] = useState<ReadonlySet<string>>(
    () =>
      new Set(
        requests
          .filter(r => r.operation === 'create' && named.has(resourceKey(r)))
          .map(r => r.id),
      ),
  );
  const toggle = useCallback(
    (id: string) =>
      setOpen(previous => {
        const next = new Set(previous);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    [],
  );
  return { open, toggle };
}

/** Resources a page: an entity linked to hundreds opens with one page of rows drawn. */
export const OVERVIEW_PAGE_SIZE = 25;

/**
 * Which page of Resources is shown. It opens on the page of the first open Resource (one a link
 * names, or the first failed one), so what the tab opens is in view; a page past the end (Resources
 * went away) shows the last one.
 */
function useOverviewPage(
  items: KratixResourceView[],
  open: ReadonlySet<string>,
) {
  const [pageSize, setPageSize] = useState(OVERVIEW_PAGE_SIZE);
  const [page, setPage] = useState(() => {
    const first = items.findIndex(r => open.has(resourceKey(r)));
    return first > 0 ? Math.floor(first / OVERVIEW_PAGE_SIZE) : 0;
  });
  const paged = items.length > OVERVIEW_PAGE_SIZE;
  const shownPage = Math.min(
    page,
    Math.max(0, Math.ceil(items.length / pageSize) - 1),
  );
  // A Resource opened from outside the page shown (a link followed while the tab is open): its
  // page. Rows opened by a click are on the page shown already.
  const before = useRef(open);
  useEffect(() => {
    const opened = [...open].filter(key => !before.current.has(key));
    before.current = open;
    if (opened.length === 0) return;
    const index = items.findIndex(r => resourceKey(r) === opened[0]);
    if (index >= 0 && Math.floor(index / pageSize) !== shownPage) {
      setPage(Math.floor(index / pageSize));
    }
    // Only a change of what is open moves the page.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);
  return {
    paged,
    page: shownPage,
    pageSize,
    shown: paged
      ? items.slice(shownPage * pageSize, (shownPage + 1) * pageSize)
      : items,
    setPage,
    setPageSize: (size: number) => {
      setPageSize(size);
      setPage(0);
    },
  };
}

/**
 * One compact row per Resource (state, health, name with its Promise and where, why it is failed,
 * blocked, paused or deleting and the message, the workflow, last change); an open Resource's detail
 * unfolds under its row. Rows changed by a live update are highlighted briefly. Requests delivered
 * through Git that the platform has not applied come first, as rows of their own, on every page.
 * More than OVERVIEW_PAGE_SIZE Resources are shown a page at a time.
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
  /** Requests delivered through Git, not applied yet (newest first). */
  requests?: KratixRequestView[];
}) {
  const { items, now, sandboxes, onToggle, highlighted } = props;
  const requests = props.requests ?? [];
  const classes = useOverviewStyles();
  const openRequests = useOpenRequests(requests, props.open);
  const pages = useOverviewPage(items, props.open);
  const manyClusters =
    new Set([...items, ...requests].map(r => r.cluster)).size > 1;
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
          {requests.map(request => (
            <RequestRow
              key={request.id}
              request={request}
              now={now}
              manyClusters={manyClusters}
              sandboxes={sandboxes}
              open={openRequests.open.has(request.id)}
              onToggle={() => openRequests.toggle(request.id)}
            />
          ))}
          {pages.shown.map(resource => {
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
      {pages.paged && (
        <TablePagination
          component="div"
          count={items.length}
          page={pages.page}
          rowsPerPage={pages.pageSize}
          rowsPerPageOptions={[OVERVIEW_PAGE_SIZE, 50, 100]}
          labelRowsPerPage="Resources per page:"
          onPageChange={(_event, next) => pages.setPage(next)}
          onRowsPerPageChange={event =>
            pages.setPageSize(Number(event.target.value))
          }
          data-testid="kratix-overview-pages"
        />
      )}
      {items.length === 0 && requests.length === 0 && (
        <Typography variant="body2" style={{ padding: 16 }}>
          No Resources.
        </Typography>
      )}
    </Paper>
  );
}
