import { screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import type { KratixPromiseView } from '@kratix-backstage/plugin-kratix-common';
import { Route, Routes } from 'react-router-dom';
import { kratixApiRef } from '../../api/KratixApi';
import { FakeKratixApi } from '../../__fixtures__/FakeKratixApi';
import { KratixPromisePage } from './KratixPromisePage';

jest.setTimeout(30_000);

const redis = {
  cluster: 'sandbox',
  name: 'redis',
  kind: 'redis',
  group: 'marketplace.kratix.io',
  version: 'v1alpha1',
  plural: 'redis',
  description: 'Redis as a service',
  status: 'Available',
  schema: {
    properties: {
      spec: { properties: { size: { type: 'string', description: 'Size' } } },
    },
  },
} as unknown as KratixPromiseView;

const template = (name: string, promise: string, cluster: string) => ({
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: {
    name,
    namespace: 'default',
    title: `Request ${promise}`,
    annotations: {
      'kratix.io/promise-name': promise,
      'kratix.backstage.io/cluster': cluster,
    },
  },
  spec: {},
});

async function renderPage(entities: object[]) {
  const api = new FakeKratixApi(() => Promise.reject(new Error('unused')));
  api.getPromises = async () => ({ items: [redis], clusters: [], errors: [] });
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [kratixApiRef, api],
        [catalogApiRef, catalogApiMock({ entities: entities as any })],
      ]}
    >
      <Routes>
        <Route
          path="/kratix/promises/:cluster/:name"
          element={<KratixPromisePage />}
        />
      </Routes>
    </TestApiProvider>,
    { routeEntries: ['/kratix/promises/sandbox/redis'] },
  );
}

describe('KratixPromisePage', () => {
  it('offers to request the Promise through its template on the same cluster', async () => {
    await renderPage([
      template('redis-promise-template', 'redis', 'sandbox'),
      template('redis-promise-template-eu', 'redis', 'eu'),
      template('jenkins-promise-template', 'jenkins', 'sandbox'),
    ]);
    const label = await screen.findByText(/Request redis/);
    expect(label.closest('a')).toHaveAttribute(
      'href',
      '/create/templates/default/redis-promise-template',
    );
    // Only the template for this Promise on this cluster.
    expect(screen.getAllByText(/^Request:/)).toHaveLength(1);
    expect(screen.getByText('Redis as a service')).toBeInTheDocument();
  });

  it('offers no request button when no template requests the Promise', async () => {
    await renderPage([]);
    expect(await screen.findByText('Redis as a service')).toBeInTheDocument();
    expect(screen.queryByText(/^Request:/)).toBeNull();
  });
});
