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
import { useApi } from '@backstage/core-plugin-api';
import { Grid, Typography } from '@material-ui/core';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import {
  specSchemaOf,
  type KratixPromiseView,
} from '@kratix-backstage/plugin-kratix-common';
import { kratixApiRef } from '../../api/KratixApi';
import { usePromiseTemplates } from '../../hooks/usePromiseTemplates';

/** A Promise: its description, API kind and spec fields. */
export function KratixPromisePage() {
  const { cluster = '', name = '' } = useParams();
  const api = useApi(kratixApiRef);
  const templates = usePromiseTemplates(cluster, name);
  const [state, setState] = useState<{
    promise?: KratixPromiseView | null;
    error?: Error;
  }>({});
  useEffect(() => {
    let live = true;
    api
      .getPromises()
      .then(
        r =>
          live &&
          setState({
            promise:
              r.items.find(p => p.cluster === cluster && p.name === name) ??
              null,
          }),
      )
      .catch(error => live && setState({ error }));
    return () => {
      live = false;
    };
  }, [api, cluster, name]);

  const { promise } = state;
  const properties =
    (specSchemaOf(promise?.schema)?.properties as
      | Record<string, { type?: string; description?: string }>
      | undefined) ?? {};
  return (
    <Page themeId="tool">
      <Header title={name} subtitle={`Kratix Promise · ${cluster}`} />
      <Content>
        {state.error && <ResponseErrorPanel error={state.error} />}
        {promise === undefined && !state.error && <Progress />}
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
