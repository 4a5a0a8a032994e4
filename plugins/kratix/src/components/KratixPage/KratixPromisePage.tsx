import {
  Content,
  ContentHeader,
  InfoCard,
  Link,
  LinkButton,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
} from '@backstage/core-components';
import {
  Box,
  Button,
  Grid,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { useParams } from 'react-router-dom';
import {
  kratixResourcePagePath,
  specSchemaOf,
  type KratixPromiseView,
} from '@kratix-backstage/plugin-kratix-common';
import { useKratixPromise } from '../../hooks/useKratixPromise';
import { usePromiseResources } from '../../hooks/usePromiseResources';
import { usePromiseTemplates } from '../../hooks/usePromiseTemplates';
import { StateChip } from '../StateChip';
import { KratixBreadcrumbs } from './KratixBreadcrumbs';
import { PromiseStatus, unavailableReasons } from './promiseStatus';

const useStyles = makeStyles(theme => ({
  unavailable: {
    padding: theme.spacing(2),
    borderLeft: `4px solid ${theme.palette.error.main}`,
  },
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  // The message takes the room left and wraps in it; the table never widens the page.
  table: { tableLayout: 'fixed', width: '100%' },
  wrap: { overflowWrap: 'anywhere' },
  head: { '& th': { whiteSpace: 'nowrap' } },
}));

/**
 * What the Promise is for: its own description (kratix.io/promise-summary, backstage.io/description
 * or its API's schema description), else its spec's.
 */
export function descriptionOf(promise: KratixPromiseView): string | undefined {
  if (promise.description) return promise.description;
  const spec = specSchemaOf(promise.schema);
  return typeof spec?.description === 'string' ? spec.description : undefined;
}

/** The Promise's Resources the user may read, each linking to its page (opened in full). */
function PromiseResources(props: { cluster: string; name: string }) {
  const classes = useStyles();
  const { value, error, loading } = usePromiseResources(
    props.cluster,
    props.name,
  );
  let body;
  if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else if (loading || !value) {
    body = <Progress />;
  } else if (value.items.length === 0) {
    body = (
      <Typography variant="body2" color="textSecondary">
        None that you may see. Resources of teams you are not in are not shown.
      </Typography>
    );
  } else {
    body = (
      <Table
        size="small"
        className={classes.table}
        aria-label="Resources of this Promise"
      >
        <TableHead className={classes.head}>
          <TableRow>
            <TableCell style={{ width: '25%' }}>Name</TableCell>
            <TableCell style={{ width: 120 }}>State</TableCell>
            <TableCell style={{ width: '25%' }}>Belongs to</TableCell>
            <TableCell>Status message</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {value.items.map(r => (
            <TableRow
              key={`${r.cluster}/${r.namespace}/${r.name}`}
              data-testid="kratix-promise-resource"
            >
              <TableCell className={classes.wrap}>
                <Link to={kratixResourcePagePath(r)}>{r.name}</Link>
                <Typography variant="caption" display="block">
                  {r.namespace}
                </Typography>
              </TableCell>
              <TableCell>
                <StateChip state={r.state} />
              </TableCell>
              <TableCell className={classes.wrap}>
                {r.entityRef ?? '—'}
              </TableCell>
              <TableCell className={classes.wrap}>{r.message}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    );
  }
  const count = value?.items.length;
  return (
    <InfoCard
      title="Resources you may see"
      subheader={
        count === undefined
          ? undefined
          : `${count} Resource${count === 1 ? '' : 's'}`
      }
    >
      {value && value.errors.length > 0 && (
        <Typography variant="body2" color="error" gutterBottom>
          {value.errors.map(e => `${e.cluster}: ${e.message}`).join('; ')}
        </Typography>
      )}
      {body}
    </InfoCard>
  );
}

/** Request buttons, one per template; disabled, with the reason beside them, while Unavailable. */
function RequestActions(props: {
  cluster: string;
  name: string;
  reasons?: string[];
}) {
  const classes = useStyles();
  const templates = usePromiseTemplates(props.cluster, props.name);
  if (templates.length === 0) return null;
  const why = props.reasons
    ? `${props.name} is Unavailable: Kratix would not fulfil a request now.`
    : undefined;
  return (
    <div className={classes.actions}>
      {templates.map(template =>
        why ? (
          <Button
            key={template.path}
            variant="contained"
            color="primary"
            disabled
            aria-describedby="kratix-request-disabled"
          >
            Request: {template.title}
          </Button>
        ) : (
          <LinkButton
            key={template.path}
            to={template.path}
            variant="contained"
            color="primary"
          >
            Request: {template.title}
          </LinkButton>
        ),
      )}
      {why && (
        <Typography
          variant="body2"
          color="textSecondary"
          id="kratix-request-disabled"
        >
          {why}
        </Typography>
      )}
    </div>
  );
}

/**
 * A Promise: what it is for, its status (and why, when Unavailable), how to request it, its spec
 * fields and the Resources of it the user may see.
 */
export function KratixPromisePage() {
  const classes = useStyles();
  const { cluster = '', name = '' } = useParams();
  const { promise, installed, error } = useKratixPromise(cluster, name);
  const properties =
    (specSchemaOf(promise?.schema)?.properties as
      | Record<string, { type?: string; description?: string }>
      | undefined) ?? {};
  const reasons = promise
    ? unavailableReasons(promise, installed ?? new Set())
    : undefined;
  const description = promise ? descriptionOf(promise) : undefined;
  return (
    <Content>
      <KratixBreadcrumbs current={name} />
      <ContentHeader title={name} description="Kratix Promise" />
      {error && <ResponseErrorPanel error={error} />}
      {promise === undefined && !error && <Progress />}
      {promise === null && (
        <Typography>
          No Promise {name} on cluster {cluster}.
        </Typography>
      )}
      {promise && (
        <Grid container spacing={3} data-testid="kratix-promise-page">
          {reasons && (
            <Grid item xs={12}>
              <Paper
                variant="outlined"
                className={classes.unavailable}
                data-testid="kratix-promise-unavailable"
              >
                <Typography variant="h6" component="h2">
                  Unavailable: requests cannot be fulfilled
                </Typography>
                {reasons.map(reason => (
                  <Typography variant="body1" key={reason}>
                    {reason}
                  </Typography>
                ))}
              </Paper>
            </Grid>
          )}
          <Grid item xs={12}>
            <RequestActions cluster={cluster} name={name} reasons={reasons} />
          </Grid>
          <Grid item xs={12} md={6}>
            <InfoCard title="About">
              <StructuredMetadataTable
                metadata={{
                  description: description ?? (
                    <Typography variant="body2" color="textSecondary">
                      None given (the platform team can set the
                      kratix.io/promise-summary annotation)
                    </Typography>
                  ),
                  status: <PromiseStatus promise={promise} />,
                  kind: promise.kind,
                  apiVersion: `${promise.group}/${promise.version}`,
                  ...(promise.promiseVersion
                    ? { version: promise.promiseVersion }
                    : {}),
                  cluster: promise.cluster,
                  ...(promise.requiredPromises?.length
                    ? { requires: promise.requiredPromises.join(', ') }
                    : {}),
                }}
              />
            </InfoCard>
          </Grid>
          <Grid item xs={12} md={6}>
            <InfoCard title="Spec fields">
              {Object.keys(properties).length === 0 ? (
                <Typography variant="body2" color="textSecondary">
                  The Promise declares no spec fields.
                </Typography>
              ) : (
                <StructuredMetadataTable
                  metadata={Object.fromEntries(
                    Object.entries(properties).map(([field, schema]) => [
                      field,
                      [schema.type, schema.description]
                        .filter(Boolean)
                        .join(' — ') || '—',
                    ]),
                  )}
                />
              )}
            </InfoCard>
          </Grid>
          <Grid item xs={12}>
            <Box>
              <PromiseResources cluster={cluster} name={name} />
            </Box>
          </Grid>
        </Grid>
      )}
    </Content>
  );
}
