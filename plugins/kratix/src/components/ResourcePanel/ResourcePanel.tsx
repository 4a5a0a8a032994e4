import { memo, useCallback, useMemo, useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import { Box, Button, Grid, Typography } from '@material-ui/core';
import type {
  KratixDeliveryView,
  KratixRequestView,
  KratixResourceView,
} from '@kratix-backstage/plugin-kratix-common';
import { useResourceDetails } from '../../hooks/useResourceDetails';
import { useTimelinePages } from '../../hooks/useTimelinePages';
import { useWorkflowRuns } from '../../hooks/useWorkflowRuns';
import { ConditionsTable } from '../ConditionsTable';
import { ExtraStatusTable } from '../ExtraStatusTable';
import { HealthSection } from '../Health';
import { ResourceManage } from '../ManageActions';
import { PipelineProgress } from '../PipelineProgress';
import { FailedRunSummary, LogsDialog, type LogsTarget } from '../PipelineLogs';
import { RawYaml } from '../RawYaml';
import { RequestNotice } from '../Requests';
import { ResourceHeader } from '../ResourceHeader';
import { StatusMessage } from '../StatusMessage';
import { Timeline, deriveTimeline } from '../Timeline';
import { WhereItLanded } from '../WhereItLanded';

/**
 * Everything about one Resource: header with the manage actions and YAML, status, health, workflow
 * progress, extra status, conditions, where its Works landed, timeline. Memoized: the tab around
 * it re-renders for other Resources' changes and the live status, which change nothing here.
 */
export const ResourcePanel = memo(function ResourcePanelContent(props: {
  entityRef: string;
  resource: KratixResourceView;
  now: number;
  sandbox?: boolean;
  /** How the Resource's changes reach its cluster (the manage dialogs say it); read when not given. */
  delivery?: KratixDeliveryView;
}) {
  const { entityRef, resource, now, sandbox } = props;
  const details = useResourceDetails(entityRef, resource, true);
  const derived = useMemo(() => deriveTimeline(resource), [resource]);
  const pages = useTimelinePages(entityRef, resource, details.details);
  const timeline = pages.entries;
  const runs = useWorkflowRuns(entityRef, resource);
  // The run whose logs are open (from the failed run, a pipeline step or the timeline).
  const [logs, setLogs] = useState<LogsTarget>();
  // The last change delivered through Git from this panel: its commit or pull request, until dismissed.
  const [request, setRequest] = useState<KratixRequestView>();
  const openJobLogs = useCallback((job: string) => setLogs({ job }), []);

  return (
    <Grid container spacing={3} data-testid="kratix-resource-panel">
      <Grid item xs={12}>
        <ResourceHeader
          resource={resource}
          now={now}
          sandbox={sandbox}
          actions={
            <Box
              display="flex"
              alignItems="flex-start"
              flexWrap="wrap"
              style={{ gap: 8 }}
            >
              <ResourceManage
                entityRef={entityRef}
                resource={resource}
                object={details.details?.object}
                onReloadObject={details.reload}
                onRequest={setRequest}
                delivery={props.delivery}
              />
              <RawYaml
                title={`${resource.kind} ${resource.namespace}/${resource.name} on ${resource.cluster}`}
                object={details.details?.object}
                loading={details.loading}
                error={details.error}
              />
            </Box>
          }
        />
      </Grid>
      {request && (
        <Grid item xs={12}>
          <RequestNotice
            request={request}
            onDismiss={() => setRequest(undefined)}
          />
        </Grid>
      )}
      <Grid item xs={12}>
        <StatusMessage resource={resource} timeline={timeline} />
        <FailedRunSummary
          runs={runs}
          resourceFailed={resource.state === 'failed'}
          onOpenLogs={setLogs}
        />
      </Grid>
      {(resource.pipelines.length > 0 ||
        typeof resource.kratixStatus.workflows === 'number') && (
        <Grid item xs={12}>
          <PipelineProgress
            pipelines={resource.pipelines}
            kratixStatus={resource.kratixStatus}
            now={now}
            runs={runs.runs}
            onOpenLogs={setLogs}
          />
        </Grid>
      )}
      {/* Side by side only with the health beside it: conditions need the full width to read. */}
      <Grid item xs={12} md={resource.health ? 6 : 12}>
        <InfoCard title="Status from the workflow" noPadding={false}>
          <ExtraStatusTable status={resource.extraStatus} />
        </InfoCard>
      </Grid>
      {resource.health && (
        <Grid item xs={12} md={6}>
          <HealthSection health={resource.health} now={now} />
        </Grid>
      )}
      <Grid item xs={12}>
        <ConditionsTable conditions={resource.conditions} now={now} />
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Where it landed">
          <WhereItLanded
            resource={resource}
            works={details.details?.works}
            worksError={details.details?.worksError}
            loading={details.loading}
            error={details.error}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Timeline">
          {details.error && !timeline && (
            <Typography variant="caption" color="error" component="p">
              The history could not be loaded ({details.error.message}).
            </Typography>
          )}
          <Timeline
            resource={resource}
            entries={timeline ?? derived}
            partial={!timeline}
            now={now}
            onOpenLogs={openJobLogs}
          />
          {timeline && pages.hasOlder && (
            <Box mt={1} display="flex" alignItems="center" style={{ gap: 8 }}>
              <Button
                size="small"
                variant="outlined"
                disabled={pages.loadingOlder}
                onClick={pages.loadOlder}
              >
                Load older entries
              </Button>
              <Typography variant="caption" color="textSecondary">
                Showing the newest {timeline.length}
                {pages.total !== undefined ? ` of ${pages.total}` : ''}
              </Typography>
              {pages.olderError && (
                <Typography variant="caption" color="error">
                  Older entries could not be loaded ({pages.olderError.message}
                  ).
                </Typography>
              )}
            </Box>
          )}
        </InfoCard>
      </Grid>
      <LogsDialog
        entityRef={entityRef}
        resource={resource}
        target={logs}
        runs={runs}
        onClose={() => setLogs(undefined)}
      />
    </Grid>
  );
});
