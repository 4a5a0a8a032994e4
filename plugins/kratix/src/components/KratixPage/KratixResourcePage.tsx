import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { Grid } from '@material-ui/core';
import { useParams } from 'react-router-dom';
import { useKratixResource } from '../../hooks/useKratixResource';
import { ExtraStatusTable } from '../ExtraStatusTable';
import { StateChip } from '../StateChip';
import { StatusMessage } from '../StatusMessage';
import { WhereItLanded } from '../WhereItLanded';

/** A Resource on its own page (where search links when no entity's Kratix tab shows it). */
export function KratixResourcePage() {
  const { cluster = '', namespace = '', promise = '', name = '' } = useParams();
  const { details, error } = useKratixResource({
    cluster,
    namespace,
    promise,
    name,
  });

  const resource = details?.resource;
  return (
    <Page themeId="tool">
      <Header
        title={`${name} (${promise})`}
        subtitle={`Kratix Resource · ${cluster} · ${namespace}`}
      />
      <Content>
        {error && <ResponseErrorPanel error={error} />}
        {!error && !resource && <Progress />}
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
                  works={details?.works}
                  worksError={details?.worksError}
                />
              </InfoCard>
            </Grid>
          </Grid>
        )}
      </Content>
    </Page>
  );
}
