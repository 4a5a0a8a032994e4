import type { ReactNode } from 'react';
import { Box, Chip, Tooltip, Typography, makeStyles } from '@material-ui/core';
import type { KratixResourceView } from '@kratix-backstage/plugin-kratix-common';
import { formatAgo, formatTimestamp } from '../../utils/time';

const useStyles = makeStyles(theme => ({
  title: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
  },
  name: { fontWeight: 600, overflowWrap: 'anywhere' },
  facts: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(3),
    marginTop: theme.spacing(1),
  },
  label: {
    display: 'block',
    fontSize: theme.typography.caption.fontSize,
    color: theme.palette.text.secondary,
    textTransform: 'uppercase',
    letterSpacing: '0.05em',
  },
  value: { fontWeight: 500, overflowWrap: 'anywhere' },
}));

function Fact(props: { label: string; children: ReactNode; title?: string }) {
  const classes = useStyles();
  const value = (
    <Typography variant="body2" component="span" className={classes.value}>
      {props.children}
    </Typography>
  );
  return (
    <div>
      <span className={classes.label}>{props.label}</span>
      {props.title ? <Tooltip title={props.title}>{value}</Tooltip> : value}
    </div>
  );
}

/** What was asked for: the Promise (kind), the Resource's name, where it lives, its age and requester. */
export function ResourceHeader(props: {
  resource: KratixResourceView;
  now: number;
  /** The cluster is the embedded sandbox platform: say so, so nobody mistakes it for production. */
  sandbox?: boolean;
  actions?: ReactNode;
}) {
  const { resource, now, sandbox, actions } = props;
  const classes = useStyles();
  const drift =
    resource.generation !== undefined &&
    resource.observedGeneration !== undefined &&
    resource.generation > resource.observedGeneration;
  return (
    // The actions move under the title when the row is too narrow for both, never past its edge.
    <Box
      display="flex"
      justifyContent="space-between"
      alignItems="flex-start"
      flexWrap="wrap"
      style={{ gap: 8 }}
    >
      <div>
        <div className={classes.title}>
          <Typography variant="h6" component="h3" className={classes.name}>
            {resource.name}
          </Typography>
          <Chip
            size="small"
            label={`${resource.kind} · ${resource.group}/${resource.version}`}
          />
          {sandbox && (
            <Tooltip title="This Resource lives on the embedded sandbox platform: an emulated Kratix cluster for trying things out, not a real one">
              <Chip size="small" variant="outlined" label="Sandbox platform" />
            </Tooltip>
          )}
          {drift && (
            <Tooltip
              title={`Kratix has processed generation ${resource.observedGeneration}; the spec is at generation ${resource.generation}`}
            >
              <Chip
                size="small"
                color="primary"
                variant="outlined"
                label="Spec change not yet reconciled"
              />
            </Tooltip>
          )}
        </div>
        <div className={classes.facts}>
          <Fact label="Promise">{resource.promise}</Fact>
          <Fact label="Namespace">{resource.namespace}</Fact>
          <Fact label="Cluster">{resource.cluster}</Fact>
          <Fact label="Age" title={formatTimestamp(resource.createdAt)}>
            {formatAgo(resource.createdAt, now).replace(/ ago$/, '')}
          </Fact>
          {/* Nothing to say when the platform recorded no requester. */}
          {resource.requestedBy && (
            <Fact label="Requested by">{resource.requestedBy}</Fact>
          )}
        </div>
      </div>
      {actions && <Box minWidth={0}>{actions}</Box>}
    </Box>
  );
}
