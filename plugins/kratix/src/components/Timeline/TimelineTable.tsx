import {
  memo,
  useMemo,
  useState,
  type CSSProperties,
  type ReactElement,
  type ReactNode,
} from 'react';
import {
  Button,
  Chip,
  InputAdornment,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TablePagination,
  TableRow,
  TextField,
  Tooltip,
  Typography,
  makeStyles,
} from '@material-ui/core';
import SearchIcon from '@material-ui/icons/Search';
import WorkIcon from '@material-ui/icons/AccountTree';
import RunIcon from '@material-ui/icons/PlayCircleOutline';
import type { KratixTimelineEntry } from '@kratix-backstage/plugin-kratix-common';
import { BreakableText } from '../BreakableText';
import {
  formatWhen,
  historyColumns,
  historyRows,
  shortUserRef,
  type HistoryRow,
} from './history';
import { formatAgo, formatDuration, formatTimestamp } from '../../utils/time';

const SOURCE_LABEL: Record<string, string> = {
  resource: 'request',
  condition: 'condition',
  job: 'workflow run',
  work: 'work',
  event: 'event',
  action: 'action',
};

const SOURCE_ICON: Record<string, ReactElement> = {
  job: <RunIcon />,
  work: <WorkIcon />,
};

/** Rows a page: an open Resource stays within about two screens; more is one click away. */
export const HISTORY_PAGE_SIZE = 10;

/*
 * Backstage's theme lets table cells break words anywhere (`word-break: break-word`), so a squeezed
 * column splits `PipelineCompleted` mid-word. Cells here wrap at word boundaries instead; BreakableText
 * adds the boundaries inside long names and reasons.
 */
const WRAP: CSSProperties = { wordBreak: 'normal', lineHeight: 1.4 };
const NO_WRAP: CSSProperties = { ...WRAP, whiteSpace: 'nowrap' };
/** A short column (a time, a status, a duration) takes the width of its content; text gets the rest. */
const NARROW = '1%';

const useStyles = makeStyles(theme => ({
  kind: { marginTop: theme.spacing(0.5), fontWeight: 'normal' },
  toolbar: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    padding: theme.spacing(1, 0),
  },
}));

const sourceLabel = (row: HistoryRow) =>
  SOURCE_LABEL[row.entry.source] ?? row.entry.source;

/** The table's search over several of a row's values. */
const matches = (term: string, ...values: Array<string | undefined>) =>
  values.some(v => v?.toLocaleLowerCase().includes(term.toLocaleLowerCase()));

/** One column of the history: its heading, how a row's cell is drawn and what the search reads. */
export interface HistoryColumn {
  title: string;
  /** NARROW: the width of its content. */
  width?: string;
  cellStyle: CSSProperties;
  render: (row: HistoryRow) => ReactNode;
  search: (row: HistoryRow) => Array<string | undefined>;
}

/**
 * Every timeline entry, newest first, a page at a time, with a search over them. Words wrap at
 * their boundaries; a column no row has anything for (a status, how long it took) is left out; the
 * user behind an action leads its details ("By jane"), never under "Status".
 *
 * A plain table, not Backstage's (material-table): that one copies and re-sorts every row when its
 * data changes, and draws twice when the timeline arrives; with 500 entries that was most of the
 * detail's drawing time. Here only the page shown is drawn.
 */
export const TimelineTable = memo(function TimelineTableContent(props: {
  entries: KratixTimelineEntry[];
  now: number;
  /** A workflow run's row offers its logs. */
  onOpenLogs?: (job: string) => void;
}) {
  const { entries, now, onOpenLogs } = props;
  const classes = useStyles();
  const rows = useMemo(() => historyRows(entries), [entries]);
  const columns = useMemo(
    () => historyTableColumns(rows, now, classes.kind, onOpenLogs),
    [rows, now, classes.kind, onOpenLogs],
  );
  const [term, setTerm] = useState('');
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(HISTORY_PAGE_SIZE);
  const found = useMemo(() => {
    const wanted = term.trim();
    return wanted
      ? rows.filter(row => columns.some(c => matches(wanted, ...c.search(row))))
      : rows;
  }, [rows, columns, term]);
  const paging = rows.length > HISTORY_PAGE_SIZE;
  // A page past the end (the history shrank, or a search found fewer) shows the last one.
  const shownPage = Math.min(
    page,
    Math.max(0, Math.ceil(found.length / pageSize) - 1),
  );
  const shown = paging
    ? found.slice(shownPage * pageSize, (shownPage + 1) * pageSize)
    : found;

  return (
    <div data-testid="kratix-timeline-history">
      <div className={classes.toolbar}>
        <Typography variant="h6" component="h3">
          History
        </Typography>
        <TextField
          size="small"
          placeholder="Search"
          value={term}
          onChange={event => {
            setTerm(event.target.value);
            setPage(0);
          }}
          inputProps={{ 'aria-label': 'Search the history' }}
          InputProps={{
            startAdornment: (
              <InputAdornment position="start">
                <SearchIcon fontSize="small" />
              </InputAdornment>
            ),
          }}
        />
      </div>
      <Table size="small" aria-label="History">
        <TableHead>
          <TableRow>
            {columns.map(column => (
              <TableCell
                key={column.title}
                style={{ ...NO_WRAP, width: column.width }}
              >
                {column.title}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {shown.map(row => (
            <TableRow key={row.id}>
              {columns.map(column => (
                <TableCell key={column.title} style={column.cellStyle}>
                  {column.render(row)}
                </TableCell>
              ))}
            </TableRow>
          ))}
          {shown.length === 0 && (
            <TableRow>
              <TableCell colSpan={columns.length}>
                {term ? 'No entry matches the search.' : 'No entries.'}
              </TableCell>
            </TableRow>
          )}
        </TableBody>
      </Table>
      {paging && (
        <TablePagination
          component="div"
          count={found.length}
          page={shownPage}
          rowsPerPage={pageSize}
          rowsPerPageOptions={[HISTORY_PAGE_SIZE, 25, 50, 100]}
          onPageChange={(_event, next) => setPage(next)}
          onRowsPerPageChange={event => {
            setPageSize(Number(event.target.value));
            setPage(0);
          }}
        />
      )}
    </div>
  );
});

/** The table's columns; those no row has anything for are left out. */
function historyTableColumns(
  rows: HistoryRow[],
  now: number,
  kindClass: string,
  onOpenLogs: ((job: string) => void) | undefined,
): HistoryColumn[] {
  const show = historyColumns(rows);
  const columns: HistoryColumn[] = [
    {
      title: 'When',
      width: NARROW,
      cellStyle: NO_WRAP,
      search: row => [formatWhen(row.entry.time, now)],
      render: row => (
        <Tooltip
          title={`${formatTimestamp(row.entry.time)} (${formatAgo(
            row.entry.time,
            now,
          )})`}
        >
          <span>{formatWhen(row.entry.time, now)}</span>
        </Tooltip>
      ),
    },
    {
      title: 'What',
      // The kind rides with what it is about rather than taking a column: the table fits a
      // 700 px panel. Work and WorkPlacement names (60 characters and more) wrap at their hyphens
      // and dots.
      cellStyle: { ...WRAP, minWidth: 120 },
      search: row => [row.entry.title, sourceLabel(row)],
      render: row => (
        <>
          <span data-testid="kratix-timeline-what">
            <BreakableText text={row.entry.title} />
          </span>
          <div className={kindClass}>
            <Chip
              size="small"
              variant="outlined"
              icon={SOURCE_ICON[row.entry.source]}
              label={sourceLabel(row)}
              data-testid={`kratix-timeline-source-${row.entry.source}`}
            />
            {onOpenLogs && row.entry.source === 'job' && row.entry.job && (
              <Button
                size="small"
                color="primary"
                onClick={() => onOpenLogs(row.entry.job!)}
                aria-label={`Logs of run ${row.entry.job}`}
              >
                Logs
              </Button>
            )}
          </div>
        </>
      ),
    },
  ];
  if (show.status) {
    columns.push({
      title: 'Status',
      width: NARROW,
      cellStyle: NO_WRAP,
      search: row => [row.status],
      render: row => row.status ?? '',
    });
  }
  columns.push({
    title: 'Details',
    // The column that takes the room left; it wraps at word boundaries. Who acted leads an
    // action's details (a column of its own would push the table past a narrow panel).
    cellStyle: { ...WRAP, minWidth: 120 },
    search: row => [row.by, row.entry.reason, row.entry.message],
    render: row => (
      <>
        {row.by && (
          <span title={row.by} data-testid="kratix-timeline-by">
            By {shortUserRef(row.by)}
            {row.entry.reason || row.entry.message ? ' — ' : ''}
          </span>
        )}
        <BreakableText
          text={[row.entry.reason, row.entry.message]
            .filter(Boolean)
            .join(' — ')}
        />
      </>
    ),
  });
  if (show.duration) {
    columns.push({
      title: 'Duration',
      width: NARROW,
      cellStyle: NO_WRAP,
      search: () => [],
      render: row =>
        row.durationMs === undefined ? '' : formatDuration(row.durationMs),
    });
  }
  return columns;
}
