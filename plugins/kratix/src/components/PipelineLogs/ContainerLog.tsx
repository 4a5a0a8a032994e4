import { useEffect, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { LogViewer, Progress, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { Box, Typography, makeStyles } from '@material-ui/core';
import type {
  KratixRunContainer,
  KratixWorkflowRun,
} from '@kratix-backstage/plugin-kratix-common';
import {
  kratixApiRef,
  type KratixEntityRef,
  type KratixResourceKey,
} from '../../api/KratixApi';

const useStyles = makeStyles(theme => ({
  // LogViewer sizes itself to its container: a fixed height that fits a 800 px high window.
  viewer: { height: 'calc(100vh - 340px)', minHeight: 240 },
  note: { marginBottom: theme.spacing(1) },
}));

interface LogProps {
  entityRef: KratixEntityRef;
  resource: KratixResourceKey;
  run: KratixWorkflowRun;
  container: KratixRunContainer;
  /** The run moved on: a followed container ended, or its Pod was collected meanwhile. */
  onRunChanged: () => void;
}

function Viewer(props: { text: string; label: string }) {
  const classes = useStyles();
  return (
    <Box
      className={classes.viewer}
      data-testid="kratix-log-viewer"
      aria-label={props.label}
    >
      <LogViewer text={props.text} textWrap />
    </Box>
  );
}

/** The lines kept with a run after its Pod was collected, or why there are none for this container. */
function KeptLog(props: { run: KratixWorkflowRun; container: string }) {
  const { run, container } = props;
  const classes = useStyles();
  const kept = run.kept?.container === container ? run.kept : undefined;
  return (
    <>
      <Typography
        variant="body2"
        className={classes.note}
        data-testid="kratix-pod-collected"
      >
        {kept
          ? `The run's Pod is gone (collected); these are the last ${kept.lines.length} lines of ${container}, kept with the run.`
          : `The run's Pod is gone (collected); no lines of ${container} were kept.`}
      </Typography>
      {kept && (
        <Viewer
          text={kept.lines.join('\n')}
          label={`Kept lines of ${container}`}
        />
      )}
    </>
  );
}

/** A finished container's whole log (as much as the backend's byte bound allows). */
function FinishedLog(props: LogProps) {
  const { entityRef, resource, run, container, onRunChanged } = props;
  const api = useApi(kratixApiRef);
  const { cluster, namespace, promise, name } = resource;
  const { loading, value, error } = useAsync(
    () =>
      api.getResourceLogs(
        entityRef,
        { cluster, namespace, promise, name },
        { run: run.job, container: container.name },
      ),
    [
      api,
      entityRef,
      cluster,
      namespace,
      promise,
      name,
      run.job,
      container.name,
    ],
  );
  const gone = ResponseError.is(error) && error.statusCode === 410;
  const changed = useRef(onRunChanged);
  changed.current = onRunChanged;
  // Collected since the runs were read: read them again for what was kept.
  useEffect(() => {
    if (gone) changed.current();
  }, [gone]);

  if (loading) return <Progress />;
  if (gone) return <KeptLog run={run} container={container.name} />;
  if (error) {
    return (
      <WarningPanel
        severity="error"
        title={`The log of ${container.name} could not be read`}
        message={error.message}
        defaultExpanded
      />
    );
  }
  return <Viewer text={value ?? ''} label={`Log of ${container.name}`} />;
}

/** Where following stands, in words. */
function followStatus(
  container: string,
  lines: number,
  ended: boolean,
  error?: Error,
): string {
  if (error) return `Following stopped: ${error.message}`;
  if (ended) return `${container} has ended; this is its whole log.`;
  return `Following ${container} live${
    lines === 0 ? ': waiting for its first line' : ''
  }…`;
}

/**
 * A running container's log, followed live: its lines so far, then each new one as it is written,
 * until the container ends. Closing the dialog (unmounting) stops following.
 */
function FollowedLog(props: LogProps) {
  const { entityRef, resource, run, container } = props;
  const api = useApi(kratixApiRef);
  const classes = useStyles();
  const [lines, setLines] = useState<string[]>([]);
  const [ended, setEnded] = useState(false);
  const [error, setError] = useState<Error>();
  const changed = useRef(props.onRunChanged);
  changed.current = props.onRunChanged;
  const { cluster, namespace, promise, name } = resource;

  useEffect(() => {
    const controller = new AbortController();
    api
      .followResourceLogs(
        entityRef,
        { cluster, namespace, promise, name },
        { run: run.job, container: container.name },
        {
          signal: controller.signal,
          onLines: added => setLines(current => [...current, ...added]),
        },
      )
      .then(
        () => {
          if (controller.signal.aborted) return;
          setEnded(true);
          // The next container may have started, or the run ended.
          changed.current();
        },
        (e: Error) => {
          if (!controller.signal.aborted) setError(e);
        },
      );
    return () => controller.abort();
  }, [
    api,
    entityRef,
    cluster,
    namespace,
    promise,
    name,
    run.job,
    container.name,
  ]);

  return (
    <>
      <Typography
        variant="body2"
        color="textSecondary"
        className={classes.note}
        data-testid="kratix-log-follow-status"
      >
        {followStatus(container.name, lines.length, ended, error)}
      </Typography>
      <Viewer text={lines.join('\n')} label={`Log of ${container.name}`} />
    </>
  );
}

/**
 * One container's log in Backstage's LogViewer: followed while it runs, read whole once it ended,
 * the kept lines once its Pod is collected, and never any content without the logs permission.
 */
export function ContainerLog(props: LogProps) {
  const { run, container } = props;
  // Once followed, the followed lines stay when the container ends (no reload, no flicker).
  const followed = useRef(false);
  if (container.state === 'running' && run.pod) followed.current = true;
  if (!run.logsAllowed) {
    return (
      <Typography variant="body2" data-testid="kratix-logs-hidden">
        The log of {container.name} is hidden from you
        {run.logsHiddenReason ? `: ${run.logsHiddenReason}` : '.'}
      </Typography>
    );
  }
  if (!run.pod) return <KeptLog run={run} container={container.name} />;
  if (container.state === 'waiting') {
    return (
      <Typography variant="body2" data-testid="kratix-container-waiting">
        {container.name} has not started
        {container.reason ? ` (${container.reason})` : ''}; it has no log yet.
      </Typography>
    );
  }
  if (followed.current) return <FollowedLog {...props} />;
  return <FinishedLog {...props} />;
}
