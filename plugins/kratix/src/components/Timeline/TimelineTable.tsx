import type { ReactElement } from 'react';
import { Table, type TableColumn } from '@backstage/core-components';
import { Chip, Tooltip, Typography } from '@material-ui/core';
import WorkIcon from '@material-ui/icons/AccountTree';
import RunIcon from '@material-ui/icons/PlayCircleOutline';
import type { KratixTimelineEntry } from '@kratix-backstage/plugin-kratix-common';
import {
  formatAgo,
  formatDuration,
  formatTimestamp,
  toMillis,
} from '../../utils/time';

type Row = KratixTimelineEntry & { id: number };

const SOURCE_LABEL: Record<string, string> = {
  resource: 'resource',
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

/** Every timeline entry, newest first, a page at a time (hundreds of entries stay fast). */
export function TimelineTable(props: {
  entries: KratixTimelineEntry[];
  now: number;
}) {
  const { entries, now } = props;
  const rows: Row[] = entries
    .map((entry, id) => ({ ...entry, id }))
    // Newest first; entries within the same second keep the backend's order, reversed.
    .sort(
      (a, b) =>
        (toMillis(b.time) ?? 0) - (toMillis(a.time) ?? 0) || b.id - a.id,
    );
  const columns: TableColumn<Row>[] = [
    {
      title: 'When',
      field: 'time',
      cellStyle: { whiteSpace: 'nowrap' },
      render: row => (
        <Tooltip title={formatAgo(row.time, now)}>
          <span>{formatTimestamp(row.time)}</span>
        </Tooltip>
      ),
    },
    {
      title: 'Kind',
      field: 'source',
      cellStyle: { whiteSpace: 'nowrap' },
      render: row => (
        <Chip
          size="small"
          variant="outlined"
          icon={SOURCE_ICON[row.source]}
          label={SOURCE_LABEL[row.source] ?? row.source}
          data-testid={`kratix-timeline-source-${row.source}`}
        />
      ),
    },
    {
      title: 'What',
      field: 'title',
      highlight: true,
      cellStyle: { whiteSpace: 'nowrap' },
      // Work and WorkPlacement names run to 60 characters and more: they wrap (at any character,
      // they have no spaces) instead of squeezing the details.
      render: row =>
        row.source === 'work' ? (
          <span
            style={{
              display: 'block',
              whiteSpace: 'normal',
              overflowWrap: 'anywhere',
              minWidth: 160,
              maxWidth: 320,
            }}
          >
            {row.title}
          </span>
        ) : (
          row.title
        ),
    },
    { title: 'Status', field: 'status', cellStyle: { whiteSpace: 'nowrap' } },
    {
      title: 'Details',
      field: 'message',
      // The one column that wraps: give it the room, so words are not broken.
      width: '40%',
      render: row => (
        <Typography variant="body2" style={{ overflowWrap: 'break-word' }}>
          {[row.reason, row.message].filter(Boolean).join(' — ')}
        </Typography>
      ),
    },
    {
      title: 'Duration',
      field: 'durationMs',
      cellStyle: { whiteSpace: 'nowrap' },
      render: row => {
        const start = toMillis(row.time);
        const end = toMillis(row.endTime);
        const ms =
          row.durationMs ??
          (start !== undefined && end !== undefined ? end - start : undefined);
        return ms === undefined ? '' : formatDuration(ms);
      },
    },
  ];
  return (
    <Table<Row>
      title="History"
      columns={columns}
      data={rows}
      options={{
        // Five at a time keeps an open Resource within about two screens; more is one click away.
        paging: rows.length > 5,
        pageSize: 5,
        pageSizeOptions: [5, 10, 25, 50, 100],
        search: true,
        padding: 'dense',
        sorting: false,
      }}
    />
  );
}
