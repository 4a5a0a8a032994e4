import { WarningPanel } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import type {
  KratixClusterError,
  KratixResourceRefError,
} from '@kratix-backstage/plugin-kratix-common';

const CLUSTER_TITLE: Record<KratixClusterError['type'], string> = {
  unreachable: 'is unreachable',
  timeout: 'did not answer in time',
  unauthorized: 'rejected Backstage’s credentials',
  forbidden: 'does not allow Backstage to read these Resources',
  unknown: 'returned an error',
};

const CLUSTER_HINT: Record<KratixClusterError['type'], string> = {
  unreachable:
    'The cluster may be down or its API server address wrong. Resources on it are not shown; the page updates when it comes back.',
  timeout:
    'The cluster is slow or overloaded. Resources on it are not shown; the page updates when it answers.',
  unauthorized:
    'The credentials configured for this cluster are missing or expired. Ask your platform team.',
  forbidden:
    'The service account Backstage uses cannot list these Resources (Kubernetes RBAC). Ask your platform team.',
  unknown: 'Resources on this cluster are not shown.',
};

const ref = (e: KratixResourceRefError) =>
  `${e.ref.cluster ? `${e.ref.cluster}:` : ''}${
    e.ref.promise ?? e.ref.kind ?? '?'
  }/${e.ref.namespace}/${e.ref.name}`;

const REF_TITLE: Record<KratixResourceRefError['reason'], string> = {
  'not-found': 'not found',
  'unknown-promise': 'unknown Promise',
  'unknown-cluster': 'unknown cluster',
  'cluster-error': 'cluster error',
  'not-confirmed': 'link not confirmed by the platform',
  stale: 'stale link: made for an earlier entity of this name',
  forbidden: 'not visible to you',
};

/** What a reader can do about an unresolved link, beyond what the backend's message says. */
const REF_HINT: Partial<Record<KratixResourceRefError['reason'], string>> = {
  forbidden:
    'The permission policy does not let you read this Resource. Ask its owners or your platform team.',
  stale:
    'Only the platform team can re-bind a Resource to a new entity: the command below does it once you have checked this entity is its rightful owner.',
};

/** One banner per cluster that could not answer and per link that could not be followed. */
export function ClusterErrors(props: {
  errors?: KratixClusterError[];
  refErrors?: KratixResourceRefError[];
  annotationErrors?: string[];
}) {
  const { errors = [], refErrors = [], annotationErrors = [] } = props;
  if (!errors.length && !refErrors.length && !annotationErrors.length) {
    return null;
  }
  return (
    <Box
      display="flex"
      flexDirection="column"
      style={{ gap: 8 }}
      data-testid="kratix-cluster-errors"
    >
      {errors.map(error => (
        <WarningPanel
          key={`${error.cluster}-${error.type}`}
          severity={error.type === 'unknown' ? 'warning' : 'error'}
          defaultExpanded
          title={`Cluster ${error.cluster} ${
            CLUSTER_TITLE[error.type] ?? CLUSTER_TITLE.unknown
          }`}
          message={CLUSTER_HINT[error.type] ?? CLUSTER_HINT.unknown}
        >
          <Typography variant="caption" color="textSecondary">
            {error.message}
          </Typography>
        </WarningPanel>
      ))}
      {refErrors.map(error => (
        <WarningPanel
          key={`${ref(error)}-${error.reason}`}
          severity="warning"
          title={`Resource ${ref(error)}: ${
            REF_TITLE[error.reason] ?? error.reason
          }`}
          message={
            REF_HINT[error.reason]
              ? `${error.message} ${REF_HINT[error.reason]}`
              : error.message
          }
        />
      ))}
      {annotationErrors.length > 0 && (
        <WarningPanel
          severity="warning"
          title="Some Kratix links in this entity’s annotations could not be read"
          defaultExpanded
        >
          <ul style={{ margin: 0 }}>
            {annotationErrors.map(e => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </WarningPanel>
      )}
    </Box>
  );
}
