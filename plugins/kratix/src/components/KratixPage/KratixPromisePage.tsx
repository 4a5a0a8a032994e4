import {
  Content,
  Header,
  InfoCard,
  LinkButton,
  Page,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { Grid, Typography } from '@material-ui/core';
import { useParams } from 'react-router-dom';
import { specSchemaOf } from '@kratix-backstage/plugin-kratix-common';
import { useKratixPromise } from '../../hooks/useKratixPromise';
import { usePromiseTemplates } from '../../hooks/usePromiseTemplates';

/** A Promise: its description, API kind and spec fields. */
export function KratixPromisePage() {
  const { cluster = '', name = '' } = useParams();
  const templates = usePromiseTemplates(cluster, name);
  const { promise, error } = useKratixPromise(cluster, name);
  const properties =
    (specSchemaOf(promise?.schema)?.properties as
      | Record<string, { type?: string; description?: string }>
      | undefined) ?? {};
  return (
    <Page themeId="tool">
      <Header title={name} subtitle={`Kratix Promise · ${cluster}`} />
      <Content>
        {error && <ResponseErrorPanel error={error} />}
        {promise === undefined && !error && <Progress />}
        {promise === null && (
          <Typography>
            No Promise {name} on cluster {cluster}.
          </Typography>
        )}
        {promise && (
          <Grid container spacing={3} data-testid="kratix-promise-page">
            <Grid item xs={12} md={6}>
              <InfoCard title="About">
                <StructuredMetadataTable
                  metadata={{
                    description: promise.description ?? '—',
                    kind: promise.kind,
                    apiVersion: `${promise.group}/${promise.version}`,
                    status: promise.status ?? '—',
                  }}
                />
              </InfoCard>
            </Grid>
            <Grid item xs={12} md={6}>
              <InfoCard title="Spec fields">
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
              </InfoCard>
            </Grid>
            {templates.length > 0 && (
              <Grid item xs={12}>
                {templates.map(template => (
                  <LinkButton
                    key={template.path}
                    to={template.path}
                    variant="contained"
                    color="primary"
                    style={{ marginRight: 8 }}
                  >
                    Request: {template.title}
                  </LinkButton>
                ))}
              </Grid>
            )}
          </Grid>
        )}
      </Content>
    </Page>
  );
}
