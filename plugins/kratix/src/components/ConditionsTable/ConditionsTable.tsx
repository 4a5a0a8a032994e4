import { memo, useMemo } from 'react';
import { Table, type TableColumn } from '@backstage/core-components';
import { Tooltip, Typography } from '@material-ui/core';
import type { KratixCondition } from '@kratix-backstage/plugin-kratix-common';
import { ConditionStatus } from '../ConditionStatus';
import { BreakableText } from '../BreakableText';
import { formatAgo, formatTimestamp } from '../../utils/time';

/**
 * Every condition (Kratix's, older Kratix's, pipelines' own) with status, reason, message and time.
 * Memoized, with its rows and columns: the table redoes its work whenever either is new.
 */
export const ConditionsTable = memo(function ConditionsTableContent(props: {
  conditions: KratixCondition[];
  now: number;
}) {
  const { conditions, now } = props;
  const columns = useMemo(() => conditionColumns(now), [now]);
  // Copies: the table writes its own state into each row.
  const data = useMemo(() => conditions.map(c => ({ ...c })), [conditions]);
  return (
    <Table<KratixCondition>
      title="Conditions"
      columns={columns}
      data={data}
      options={{
        paging: false,
        search: false,
        padding: 'dense',
        toolbar: true,
        sorting: false,
      }}
      emptyContent={
        <Typography variant="body2" style={{ padding: 16 }}>
          No conditions yet: Kratix has not started a workflow for this
          Resource, or its Promise has no configure workflow.
        </Typography>
      }
    />
  );
});

function conditionColumns(now: number): TableColumn<KratixCondition>[] {
  return [
    // Types and reasons are identifiers: they break only where their words join; the message wraps.
    {
      title: 'Type',
      field: 'type',
      highlight: true,
      // The theme lets a cell break any word; identifiers break only where BreakableText says.
      cellStyle: { wordBreak: 'normal' },
      render: condition => <BreakableText text={condition.type} />,
    },
    {
      title: 'Status',
      field: 'status',
      cellStyle: { whiteSpace: 'nowrap' },
      render: condition => <ConditionStatus condition={condition} />,
    },
    {
      title: 'Reason',
      field: 'reason',
      cellStyle: { wordBreak: 'normal' },
      render: condition => <BreakableText text={condition.reason ?? ''} />,
    },
    {
      title: 'Message',
      field: 'message',
      render: condition => (
        <Typography variant="body2" style={{ overflowWrap: 'break-word' }}>
          {condition.message ?? ''}
        </Typography>
      ),
    },
    {
      title: 'Last transition',
      field: 'lastTransitionTime',
      cellStyle: { whiteSpace: 'nowrap' },
      render: condition => (
        <Tooltip title={formatTimestamp(condition.lastTransitionTime)}>
          <span>{formatAgo(condition.lastTransitionTime, now)}</span>
        </Tooltip>
      ),
    },
  ];
}
