import { CodeSnippet, EmptyState, Progress } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { Box, Chip, makeStyles } from '@material-ui/core';
import {
  KRATIX_RESOURCES_ANNOTATION,
  isKratixResourceEntity,
  type KratixRequestView,
  type KratixResourceState,
  type KratixResourceView,
} from '@kratix-backstage/plugin-kratix-common';
import { useEntityKratixResources } from '../../hooks/useEntityKratixResources';
import { useNow } from '../../hooks/useNow';
import { useRecentlyChanged } from '../../hooks/useRecentlyChanged';
import { useSelectedResource } from '../../hooks/useSelectedResource';
import { ClusterErrors } from '../ClusterErrors';
import { LiveStatus } from '../LiveStatus';
import { LoadError } from '../LoadError';
import { ResourceOverview } from '../ResourceOverview';
import { ResourcePanel } from '../ResourcePanel';
import { deliveryOf } from '../ManageActions';
import { requestCounts, visibleRequests } from '../../utils/requests';
import { STATE_LABEL, STATE_ORDER } from '../../utils/state';
import { resourceKey, rowSignature } from '../../utils/summary';

const useStyles = makeStyles(theme => ({
  toolbar: {
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(2),
  },
}));

function StateCounts(props: {
  resources: KratixResourceView[];
  requests: KratixRequestView[];
}) {
  const counts = new Map<KratixResourceState, number>();
  for (const r of props.resources)
    counts.set(r.state, (counts.get(r.state) ?? 0) + 1);
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      style={{ gap: 8 }}
      data-testid="kratix-state-counts"
    >
      {STATE_ORDER.filter(s => counts.has(s)).map(s => (
        <Chip
          key={s}
          size="small"
          label={`${counts.get(s)} ${STATE_LABEL[s].toLowerCase()}`}
        />
      ))}
      {/* Outlined: a request is not a Resource yet. */}
      {requestCounts(props.requests).map(label => (
        <Chip
          key={label}
          size="small"
          variant="outlined"
          label={label}
          data-testid="kratix-request-count"
        />
      ))}
    </Box>
  );
}

function NotLinked() {
  return (
    <EmptyState
      missing="field"
      title="No Kratix Resources for this entity yet"
      description={`Request one from the Create page and it shows up here once the platform has it. To show Resources made another way, add the ${KRATIX_RESOURCES_ANNOTATION} annotation, listing them as [cluster:]promise/namespace/name, or the kratix.io/* annotations Syntasso’s portal generates.`}
      action={
        <CodeSnippet
          language="yaml"
          text={`metadata:\n  annotations:\n    ${KRATIX_RESOURCES_ANNOTATION}: redis/default/example`}
        />
      }
    />
  );
}

/**
 * The tab with nothing to show: how to request or link Resources when the entity claims none;
 * otherwise that the claimed ones do not exist (yet), or could not be read.
 */
function NoResources(props: { claims: boolean; unreadable: boolean }) {
  if (!props.claims) return <NotLinked />;
  return (
    <EmptyState
      missing="data"
      title="No Kratix Resources to show"
      description={
        props.unreadable
          ? 'None of the linked Resources could be read; see the messages above.'
          : 'The Resources this entity links to do not exist yet, or have been deleted.'
      }
    />
  );
}

/**
 * Options of the entity's Kratix tab.
 *
 * @public
 */
export interface EntityKratixContentProps {
  /**
   * With at most this many Resources, every one opens expanded (status keys and conditions shown
   * with no click); with more, only the first failed one does. Default 2.
   */
  expandUpTo?: number;
}

/**
 * The entity's Kratix tab: every Resource it claims and the platform confirms, and every one the
 * platform says is its own (requested for it), live. An entity that claims none still asks: what
 * was requested for it shows up with no annotation.
 */
export function EntityKratixContentView(
  props: { entity: Entity } & EntityKratixContentProps,
) {
  return (
    <LinkedResources entity={props.entity} expandUpTo={props.expandUpTo} />
  );
}

function LinkedResources(props: { entity: Entity } & EntityKratixContentProps) {
  const { entity } = props;
  const classes = useStyles();
  const now = useNow();
  const state = useEntityKratixResources(entity);
  const entityRef = stringifyEntityRef(entity);
  const items = state.data?.items;
  const { open, toggle } = useSelectedResource(items ?? [], props.expandUpTo);
  const highlighted = useRecentlyChanged(items, resourceKey, rowSignature);

  if (state.loading && !state.data) return <Progress />;
  if (!state.data) {
    return state.error ? (
      <LoadError error={state.error} onRetry={state.retry} entity={entity} />
    ) : (
      <Progress />
    );
  }

  const { errors, refErrors, annotationErrors } = state.data;
  const requests = visibleRequests(state.data.requests, state.data.items);
  const sandboxes = new Set(
    (state.data.clusters ?? []).filter(c => c.sandbox).map(c => c.name),
  );
  return (
    <div data-testid="kratix-content">
      <div className={classes.toolbar}>
        <StateCounts resources={state.data.items} requests={requests} />
        <LiveStatus
          live={state.live}
          stale={state.stale}
          streamError={state.streamError}
          receivedAt={state.receivedAt}
          now={now}
          onRetry={state.retry}
        />
      </div>
      <ClusterErrors
        errors={errors}
        refErrors={refErrors}
        annotationErrors={annotationErrors}
      />
      {state.data.items.length === 0 && requests.length === 0 ? (
        <NoResources
          claims={isKratixResourceEntity(entity)}
          unreadable={!!(errors?.length || refErrors?.length)}
        />
      ) : (
        <Box mt={2}>
          <ResourceOverview
            items={state.data.items}
            requests={requests}
            now={now}
            sandboxes={sandboxes}
            open={open}
            onToggle={toggle}
            highlighted={highlighted}
            renderDetail={resource => (
              <ResourcePanel
                entityRef={entityRef}
                resource={resource}
                now={now}
                sandbox={sandboxes.has(resource.cluster)}
                delivery={deliveryOf(state.data?.clusters, resource)}
              />
            )}
          />
        </Box>
      )}
    </div>
  );
}

/** The `Kratix` entity tab (use inside an entity page). */
export function EntityKratixContent(props: EntityKratixContentProps = {}) {
  const { entity } = useEntity();
  return <EntityKratixContentView entity={entity} {...props} />;
}
