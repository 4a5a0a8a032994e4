import { useState } from 'react';
import { CodeSnippet, EmptyState, Progress } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import {
  Accordion,
  AccordionDetails,
  AccordionSummary,
  Box,
  Chip,
  Typography,
  makeStyles,
} from '@material-ui/core';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import {
  KRATIX_RESOURCES_ANNOTATION,
  isKratixResourceEntity,
  type KratixResourceState,
  type KratixResourceView,
} from '@kratix-backstage/plugin-kratix-common';
import { useEntityKratixResources } from '../../hooks/useEntityKratixResources';
import { useNow } from '../../hooks/useNow';
import { ClusterErrors } from '../ClusterErrors';
import { LiveStatus } from '../LiveStatus';
import { LoadError } from '../LoadError';
import { ResourcePanel } from '../ResourcePanel';
import { StateChip } from '../StateChip';
import { STATE_LABEL } from '../../utils/state';

/** With more Resources than this, panels start collapsed so the page stays quick to read and render. */
const EXPAND_ALL_UP_TO = 3;

const STATE_ORDER: KratixResourceState[] = [
  'failed',
  'in-progress',
  'paused',
  'unknown',
  'ready',
];

const useStyles = makeStyles(theme => ({
  summary: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    width: '100%',
  },
  name: { fontWeight: 600 },
  message: {
    color: theme.palette.text.secondary,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    flex: '1 1 200px',
    minWidth: 0,
  },
  toolbar: {
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(2),
  },
}));

export const resourceKey = (r: KratixResourceView) =>
  `${r.cluster}/${r.namespace}/${r.promise}/${r.name}`;

function StateCounts(props: { resources: KratixResourceView[] }) {
  const counts = new Map<KratixResourceState, number>();
  for (const r of props.resources)
    counts.set(r.state, (counts.get(r.state) ?? 0) + 1);
  return (
    <Box display="flex" style={{ gap: 8 }} data-testid="kratix-state-counts">
      {STATE_ORDER.filter(s => counts.has(s)).map(s => (
        <Chip
          key={s}
          size="small"
          label={`${counts.get(s)} ${STATE_LABEL[s].toLowerCase()}`}
        />
      ))}
    </Box>
  );
}

function ResourceAccordion(props: {
  entityRef: string;
  resource: KratixResourceView;
  now: number;
  /** The Resource lives on the embedded sandbox platform, not a real cluster. */
  sandbox: boolean;
  defaultExpanded: boolean;
}) {
  const { entityRef, resource, now, sandbox, defaultExpanded } = props;
  const classes = useStyles();
  const [expanded, setExpanded] = useState(defaultExpanded);
  return (
    <Accordion
      expanded={expanded}
      onChange={(_, value) => setExpanded(value)}
      TransitionProps={{ unmountOnExit: true }}
      data-testid="kratix-resource"
    >
      <AccordionSummary expandIcon={<ExpandMoreIcon />}>
        <div className={classes.summary}>
          <StateChip state={resource.state} />
          <Typography className={classes.name}>{resource.name}</Typography>
          <Typography variant="body2" color="textSecondary">
            {resource.kind} · {resource.namespace} · {resource.cluster}
            {sandbox && ' (sandbox)'}
          </Typography>
          <Typography variant="body2" className={classes.message}>
            {resource.message}
          </Typography>
        </div>
      </AccordionSummary>
      <AccordionDetails>
        {expanded && (
          <Box width="100%">
            <ResourcePanel
              entityRef={entityRef}
              resource={resource}
              now={now}
              sandbox={sandbox}
            />
          </Box>
        )}
      </AccordionDetails>
    </Accordion>
  );
}

function NotLinked() {
  return (
    <EmptyState
      missing="field"
      title="This entity links no Kratix Resources"
      description={`Add the ${KRATIX_RESOURCES_ANNOTATION} annotation, listing Resources as [cluster:]promise/namespace/name, or the kratix.io/* annotations Syntasso’s portal generates.`}
      action={
        <CodeSnippet
          language="yaml"
          text={`metadata:\n  annotations:\n    ${KRATIX_RESOURCES_ANNOTATION}: redis/default/example`}
        />
      }
    />
  );
}

/** The entity's Kratix tab: every linked Resource, live. */
export function EntityKratixContentView(props: { entity: Entity }) {
  if (!isKratixResourceEntity(props.entity)) return <NotLinked />;
  return <LinkedResources entity={props.entity} />;
}

function LinkedResources(props: { entity: Entity }) {
  const { entity } = props;
  const classes = useStyles();
  const now = useNow();
  const state = useEntityKratixResources(entity);
  const entityRef = stringifyEntityRef(entity);

  if (state.loading && !state.data) return <Progress />;
  if (!state.data) {
    return state.error ? (
      <LoadError error={state.error} onRetry={state.retry} />
    ) : (
      <Progress />
    );
  }

  const { items, errors, refErrors, annotationErrors } = state.data;
  const sandboxes = new Set(
    (state.data.clusters ?? []).filter(c => c.sandbox).map(c => c.name),
  );
  const expandAll = items.length <= EXPAND_ALL_UP_TO;
  return (
    <div data-testid="kratix-content">
      <div className={classes.toolbar}>
        <StateCounts resources={items} />
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
      {items.length === 0 ? (
        <EmptyState
          missing="data"
          title="No Kratix Resources to show"
          description={
            errors?.length || refErrors?.length
              ? 'None of the linked Resources could be read; see the messages above.'
              : 'The Resources this entity links to do not exist yet, or have been deleted.'
          }
        />
      ) : (
        <Box mt={2}>
          {items.map((resource, index) => (
            <ResourceAccordion
              key={resourceKey(resource)}
              entityRef={entityRef}
              resource={resource}
              now={now}
              sandbox={sandboxes.has(resource.cluster)}
              defaultExpanded={
                expandAll || (index === 0 && resource.state !== 'ready')
              }
            />
          ))}
        </Box>
      )}
    </div>
  );
}

/** The `Kratix` entity tab (use inside an entity page). */
export function EntityKratixContent() {
  const { entity } = useEntity();
  return <EntityKratixContentView entity={entity} />;
}
