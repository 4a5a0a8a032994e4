import { memo, useMemo } from 'react';
import { Box, Chip, Typography, makeStyles } from '@material-ui/core';
import type {
  KratixResourceView,
  KratixTimelineEntry,
} from '@kratix-backstage/plugin-kratix-common';
import { layoutTimelineChart, lastRunDuration } from './model';
import { TimelineChart } from './TimelineChart';
import { TimelineTable } from './TimelineTable';
import { STATE_LABEL, decidingCondition } from '../../utils/state';
import { formatDuration, formatTimestamp, toMillis } from '../../utils/time';

const useStyles = makeStyles(theme => ({
  facts: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(2),
  },
}));

/**
 * What happened when: the workflow-completion condition first, then workflow runs and the other
 * conditions, on one time axis; how long the last run took and how long the Resource has been in its
 * state; and the full history below, paginated. Memoized: hundreds of entries are redrawn only when
 * they, the Resource or the clock (whole seconds) change.
 */
export const Timeline = memo(function TimelineContent(props: {
  resource: KratixResourceView;
  entries: KratixTimelineEntry[];
  now: number;
  /** The entries were derived from the Resource alone (its conditions' last transitions). */
  partial?: boolean;
  /** Opens a workflow run's logs (by its Job's name) from its row and its bar. */
  onOpenLogs?: (job: string) => void;
}) {
  const { resource, entries, now, partial, onOpenLogs } = props;
  const classes = useStyles();
  const model = useMemo(
    () =>
      layoutTimelineChart(entries, {
        now,
        completionType: resource.workflowCompletion?.conditionType,
      }),
    [entries, now, resource.workflowCompletion?.conditionType],
  );
  const lastRun = lastRunDuration(model);
  const deciding = decidingCondition(resource);
  const since = toMillis(deciding?.lastTransitionTime);
  const runs = model.lanes
    .filter(l => l.kind === 'job')
    .reduce((n, l) => n + l.items.length, 0);

  return (
    <div data-testid="kratix-timeline">
      <div className={classes.facts}>
        {since !== undefined && (
          <Chip
            color="primary"
            variant="outlined"
            label={`${STATE_LABEL[resource.state]} for ${formatDuration(
              now - since,
            )}`}
            title={`${deciding?.type} changed at ${formatTimestamp(since)}`}
          />
        )}
        {lastRun !== undefined && (
          <Chip
            variant="outlined"
            label={`Last workflow run took ${formatDuration(lastRun)}`}
          />
        )}
        {resource.lastSuccessfulConfigureWorkflowTime && (
          <Chip
            variant="outlined"
            label={`Last successful configure: ${formatTimestamp(
              resource.lastSuccessfulConfigureWorkflowTime,
            )}`}
          />
        )}
        <Chip
          variant="outlined"
          label={`${entries.length} entr${
            entries.length === 1 ? 'y' : 'ies'
          } · ${runs} workflow run${runs === 1 ? '' : 's'}`}
        />
      </div>
      {partial && (
        <Typography variant="caption" color="textSecondary" component="p">
          Showing the last transition of each condition; the full history is not
          available.
        </Typography>
      )}
      <TimelineChart model={model} now={now} onOpenLogs={onOpenLogs} />
      <Box mt={2}>
        {/* Mounted afresh when the full history replaces the derived one: the table takes new
            data in a second render after an update, but in its first render on mount. */}
        <TimelineTable
          key={partial ? 'derived' : 'loaded'}
          entries={entries}
          now={now}
          onOpenLogs={onOpenLogs}
        />
      </Box>
    </div>
  );
});
