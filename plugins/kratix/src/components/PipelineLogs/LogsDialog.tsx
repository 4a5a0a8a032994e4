import { useEffect, useState } from 'react';
import { Progress } from '@backstage/core-components';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Tab,
  Tabs,
  Typography,
  makeStyles,
} from '@material-ui/core';
import {
  defaultLogContainer,
  type KratixRunContainer,
} from '@kratix-backstage/plugin-kratix-common';
import type { KratixEntityRef, KratixResourceKey } from '../../api/KratixApi';
import type { WorkflowRunsState } from '../../hooks/useWorkflowRuns';
import { formatTimestamp } from '../../utils/time';
import { ContainerLog } from './ContainerLog';
import { containerStateText, type LogsTarget } from './runs';

const useStyles = makeStyles(theme => ({
  title: { overflowWrap: 'anywhere' },
  tabs: { marginBottom: theme.spacing(1) },
  tab: { textTransform: 'none', minWidth: 0 },
  failed: { color: theme.palette.error.main },
}));

function TabLabel(props: { container: KratixRunContainer; failed: boolean }) {
  const { container, failed } = props;
  const classes = useStyles();
  return (
    <span>
      {container.name}
      <Typography
        variant="caption"
        component="span"
        display="block"
        className={failed ? classes.failed : undefined}
      >
        {containerStateText(container)}
      </Typography>
    </span>
  );
}

/**
 * One workflow run's logs: a tab per container of its Pod (reader, the pipeline's containers,
 * work-writer, status-writer), each in Backstage's LogViewer; a running container is followed live.
 * Opens on the container asked for, else the failing one, else the one running or the last that ran.
 */
export function LogsDialog(props: {
  entityRef: KratixEntityRef;
  resource: KratixResourceKey;
  /** The run to show; no dialog without one. */
  target?: LogsTarget;
  runs: WorkflowRunsState;
  onClose: () => void;
}) {
  const { entityRef, resource, target, runs, onClose } = props;
  const classes = useStyles();
  const [tab, setTab] = useState<string>();
  const { reload } = runs;

  // A run seen a while ago may have moved on: ask again when the dialog opens on it.
  useEffect(() => {
    setTab(undefined);
    if (target) reload();
  }, [target, reload]);

  const run = target && runs.runs?.find(r => r.job === target.job);
  const names = run?.containers.map(c => c.name) ?? [];
  const wanted = tab ?? target?.container ?? (run && defaultLogContainer(run));
  const selected = wanted && names.includes(wanted) ? wanted : names[0];
  const container = run?.containers.find(c => c.name === selected);

  return (
    <Dialog
      open={!!target}
      onClose={onClose}
      maxWidth="lg"
      fullWidth
      aria-labelledby="kratix-logs-title"
      data-testid="kratix-logs-dialog"
    >
      <DialogTitle id="kratix-logs-title" className={classes.title}>
        Logs of {run ? `pipeline ${run.pipeline}` : 'the workflow run'}
        {target && (
          <Typography
            variant="body2"
            color="textSecondary"
            component="span"
            display="block"
          >
            Run {target.job}
            {run
              ? ` · ${run.action ? `${run.action} · ` : ''}${run.phase}`
              : ''}
            {run?.startedAt
              ? ` · started ${formatTimestamp(run.startedAt)}`
              : ''}
          </Typography>
        )}
      </DialogTitle>
      <DialogContent dividers>
        {target && !run && runs.loading && <Progress />}
        {target && !run && !runs.loading && (
          <Typography variant="body2" data-testid="kratix-run-unknown">
            {runs.error
              ? `The runs could not be read (${runs.error.message}).`
              : `Run ${target.job} is no longer known: Kratix keeps only its most recent runs, and their logs go with their Pods.`}
          </Typography>
        )}
        {run?.logsError && (
          <Typography
            variant="body2"
            color="error"
            data-testid="kratix-logs-error"
          >
            The logs could not be read from the cluster: {run.logsError}
          </Typography>
        )}
        {run && run.containers.length === 0 && (
          <Typography variant="body2">
            This run's Pod has no containers yet.
          </Typography>
        )}
        {run && selected && container && (
          <>
            <Tabs
              className={classes.tabs}
              value={selected}
              onChange={(_e, value: string) => setTab(value)}
              variant="scrollable"
              scrollButtons="auto"
              indicatorColor="primary"
              aria-label="Containers"
            >
              {run.containers.map(c => (
                <Tab
                  key={c.name}
                  value={c.name}
                  className={classes.tab}
                  label={
                    <TabLabel
                      container={c}
                      failed={c.name === run.failedContainer}
                    />
                  }
                  id={`kratix-log-tab-${c.name}`}
                  aria-controls={`kratix-log-panel-${c.name}`}
                  data-testid="kratix-log-tab"
                />
              ))}
            </Tabs>
            <Box
              role="tabpanel"
              id={`kratix-log-panel-${selected}`}
              aria-labelledby={`kratix-log-tab-${selected}`}
            >
              <ContainerLog
                key={`${run.job}/${selected}`}
                entityRef={entityRef}
                resource={resource}
                run={run}
                container={container}
                onRunChanged={reload}
              />
            </Box>
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
