import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Grid } from '@material-ui/core';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import type { ResourceDetailsResponse } from '@kratix-backstage/plugin-kratix-common';
import { kratixApiRef } from '../../api/KratixApi';
import { ExtraStatusTable } from '../ExtraStatusTable';
import { StateChip } from '../StateChip';
import { StatusMessage } from '../StatusMessage';
import { WhereItLanded } from '../WhereItLanded';

/** A Resource on its own page (where search links when no entity's Kratix tab shows it). */
export function KratixResourcePage() {
  const { cluster = '', namespace = '', promise = '', name = '' } = useParams();
  const api = useApi(kratixApiRef);
  const [state, setState] = useState<{
    details?: ResourceDetailsResponse;
    error?: Error;
  }>({});
  useEffect(() => {
    let live = true;
    api
      .getResource({ cluster, namespace, promise, name })
      .then(details => live && setState({ details }))
      .catch(error => live && setState({ error }));
    return () => {
      live = false;
    };
  }, [api, cluster, namespace, promise, name]);

  const resource = state.details?.resource;
  return (
    <Page themeId="tool">
      <Header
        title={`${name} (${promise})`}
        subtitle={`Kratix Resource · ${cluster} · ${namespace}`}
      />
      <Content>
        {state.error && <ResponseErrorPanel error={state.error} />}
        {!state.error && !resource && <Progress />}
        {resource && (
          <Grid container spacing={3} data-testid="kratix-resource-page">
            <Grid item xs={12}>
              <InfoCard title="Status">
                <StateChip state={resource.state} />
                <StatusMessage resource={resource} />
              </InfoCard>
            </Grid>
            <Grid item xs={12}>
              <ExtraStatusTable status={resource.extraStatus} />
            </Grid>
            <Grid item xs={12}>
              <InfoCard title="Where it landed">
                <WhereItLanded
                  resource={resource}
                  works={state.details?.works}
                  worksError={state.details?.worksError}
                />
              </InfoCard>
            </Grid>
          </Grid>
        )}
      </Content>
    </Page>
  );
}
