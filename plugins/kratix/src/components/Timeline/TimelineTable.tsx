import type { CSSProperties, ReactElement, ReactNode } from 'react';
import { Table, type TableColumn } from '@backstage/core-components';
import { Button, Chip, Tooltip, makeStyles } from '@material-ui/core';
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

/**
 * The table without a card of its own: it sits in the timeline's card. (material-table passes the
 * container its style and children.)
 */
const useStyles = makeStyles(theme => ({
  kind: { marginTop: theme.spacing(0.5), fontWeight: 'normal' },
}));

const sourceLabel = (row: HistoryRow) =>
  SOURCE_LABEL[row.entry.source] ?? row.entry.source;

/** The table's search over several of a row's values. */
const matches = (term: string, ...values: Array<string | undefined>) =>
  values.some(v => v?.toLocaleLowerCase().includes(term.toLocaleLowerCase()));

function FlatContainer(props: { style?: CSSProperties; children?: ReactNode }) {
  return (
    <div style={props.style} data-testid="kratix-timeline-history">
      {props.children}
    </div>
  );
}

/**
 * Every timeline entry, newest first, a page at a time (hundreds of entries stay fast). Words wrap
 * at their boundaries; a column no row has anything for (a status, how long it took) is left out;
 * the user behind an action leads its details ("By jane"), never under "Status".
 */
export function TimelineTable(props: {
  entries: KratixTimelineEntry[];
  now: number;
  /** A workflow run's row offers its logs. */
  onOpenLogs?: (job: string) => void;
}) {
  const { entries, now, onOpenLogs } = props;
  const classes = useStyles();
  const rows = historyRows(entries);
  const show = historyColumns(rows);
  const columns: TableColumn<HistoryRow>[] = [
    {
      title: 'When',
      field: 'entry.time',
      width: NARROW,
      cellStyle: NO_WRAP,
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
      field: 'entry.title',
      highlight: true,
      // The kind rides with what it is about rather than taking a column: the table fits a
      // 700 px panel. Work and WorkPlacement names (60 characters and more) wrap at their hyphens
      // and dots.
      cellStyle: { ...WRAP, minWidth: 120 },
      customFilterAndSearch: (term: string, row: HistoryRow) =>
        matches(term, row.entry.title, sourceLabel(row)),
      render: row => (
        <>
          <span data-testid="kratix-timeline-what">
            <BreakableText text={row.entry.title} />
          </span>
          <div className={classes.kind}>
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
      field: 'status',
      width: NARROW,
      cellStyle: NO_WRAP,
      render: row => row.status ?? '',
    });
  }
  columns.push({
    title: 'Details',
    field: 'entry.message',
    // The column that takes the room left; it wraps at word boundaries. Who acted leads an
    // action's details (a column of its own would push the table past a narrow panel).
    cellStyle: { ...WRAP, minWidth: 120 },
    customFilterAndSearch: (term: string, row: HistoryRow) =>
      matches(term, row.by, row.entry.reason, row.entry.message),
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
      field: 'durationMs',
      width: NARROW,
      cellStyle: NO_WRAP,
      render: row =>
        row.durationMs === undefined ? '' : formatDuration(row.durationMs),
    });
  }
  // A copy each: Backstage colours a highlighted header by writing to its style.
  for (const column of columns) column.headerStyle = { ...NO_WRAP };
  return (
    <Table<HistoryRow>
      title="History"
      columns={columns}
      data={rows}
      components={{ Container: FlatContainer }}
      options={{
        paging: rows.length > HISTORY_PAGE_SIZE,
        pageSize: HISTORY_PAGE_SIZE,
        pageSizeOptions: [HISTORY_PAGE_SIZE, 25, 50, 100],
        search: true,
        padding: 'dense',
        sorting: false,
      }}
    />
  );
}
