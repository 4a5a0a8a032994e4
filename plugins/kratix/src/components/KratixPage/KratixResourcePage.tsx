import useAsync from 'react-use/esm/useAsync';
import {
  Content,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Box, Grid, Typography } from '@material-ui/core';
import { useParams } from 'react-router-dom';
import {
  kratixEntityTabPath,
  kratixPromisePagePath,
  type KratixResourceView,
  type ResourceDetailsResponse,
} from '@kratix-backstage/plugin-kratix-common';
import { kratixApiRef } from '../../api/KratixApi';
import { useKratixResource } from '../../hooks/useKratixResource';
import { useNow } from '../../hooks/useNow';
import { ConditionsTable } from '../ConditionsTable';
import { ExtraStatusTable } from '../ExtraStatusTable';
import { ResourceHeader } from '../ResourceHeader';
import { ResourcePanel } from '../ResourcePanel';
import { StatusMessage } from '../StatusMessage';
import { Timeline } from '../Timeline';
import { WhereItLanded } from '../WhereItLanded';
import { KratixBreadcrumbs } from './KratixBreadcrumbs';

/** The HTTP status of a failed read (ResponseError's statusCode). */
const statusOf = (error: Error) =>
  (error as { statusCode?: number }).statusCode;

/**
 * The entity the Resource belongs to, when that entity's tab shows it: its
 * `kratix.backstage.io/entity-ref`, confirmed by reading the Resource through that entity (the
 * same read the tab makes, so link trust and permissions decide as there). Undefined while asked.
 */
function useConfirmedEntity(resource?: KratixResourceView) {
  const api = useApi(kratixApiRef);
  const entityRef = resource?.entityRef;
  const { cluster, namespace, promise, name } = resource ?? {};
  return useAsync(async () => {
    if (!entityRef || !cluster || !namespace || !promise || !name) return null;
    try {
      await api.getResourceDetails(entityRef, {
        cluster,
        namespace,
        promise,
        name,
      });
      return entityRef;
    } catch {
      return null;
    }
  }, [api, entityRef, cluster, namespace, promise, name]);
}

/**
 * A Resource no entity's tab shows, read on its own: the same parts as the tab's detail, without
 * the manage actions (they act through an entity).
 */
function UnboundDetail(props: {
  details: ResourceDetailsResponse;
  now: number;
}) {
  const { details, now } = props;
  const resource = details.resource;
  return (
    <Grid container spacing={3} data-testid="kratix-resource-panel">
      <Grid item xs={12}>
        <ResourceHeader resource={resource} now={now} />
      </Grid>
      <Grid item xs={12}>
        <StatusMessage resource={resource} timeline={details.timeline} />
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Status from the workflow">
          <ExtraStatusTable status={resource.extraStatus} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <ConditionsTable conditions={resource.conditions} now={now} />
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Where it landed">
          <WhereItLanded
            resource={resource}
            works={details.works}
            worksError={details.worksError}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Timeline">
          <Timeline resource={resource} entries={details.timeline} now={now} />
        </InfoCard>
      </Grid>
    </Grid>
  );
}

/**
 * A Resource on its own page (where search and the Promise page link): the entity tab's detail
 * (status, conditions, timeline, actions) when an entity's tab shows it, with the way back to that
 * tab; a read-only detail otherwise.
 */
export function KratixResourcePage() {
  const { cluster = '', namespace = '', promise = '', name = '' } = useParams();
  const now = useNow();
  const { details, error } = useKratixResource({
    cluster,
    namespace,
    promise,
    name,
  });
  const resource = details?.resource;
  const entity = useConfirmedEntity(resource);

  return (
    <Content>
      <KratixBreadcrumbs
        trail={[
          {
            label: promise,
            to: kratixPromisePagePath({ cluster, name: promise }),
          },
        ]}
        current={name}
      />
      {/* No page title: the detail's own header names the Resource, once. */}
      {error && statusOf(error) === 404 && (
        <Typography variant="body1" data-testid="kratix-resource-missing">
          There is no {promise} Resource {namespace}/{name} on {cluster} that
          you may read. It may have been deleted, or belong to a team you are
          not in.
        </Typography>
      )}
      {error && statusOf(error) !== 404 && <ResponseErrorPanel error={error} />}
      {!error && (!resource || entity.loading) && <Progress />}
      {resource && details && !entity.loading && (
        <div data-testid="kratix-resource-page">
          {entity.value ? (
            <>
              <Box mb={2}>
                <Typography variant="body1">
                  Belongs to{' '}
                  <Link to={kratixEntityTabPath(entity.value, resource)}>
                    {entity.value}
                  </Link>
                  ; its Kratix tab shows it live, beside the entity’s other
                  Resources.
                </Typography>
              </Box>
              <ResourcePanel
                entityRef={entity.value}
                resource={resource}
                now={now}
              />
            </>
          ) : (
            <>
              <Box mb={2}>
                <Typography variant="body1" color="textSecondary">
                  No catalog entity shows this Resource, so it is managed by the
                  platform team, not from Backstage.
                </Typography>
              </Box>
              <UnboundDetail details={details} now={now} />
            </>
          )}
        </div>
      )}
    </Content>
  );
}
