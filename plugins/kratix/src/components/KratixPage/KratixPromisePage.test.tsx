import { screen, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  kratixResourcePagePath,
  type KratixPromiseView,
} from '@kratix-backstage/plugin-kratix-common';
import { Route, Routes } from 'react-router-dom';
import { kratixApiRef } from '../../api/KratixApi';
import { redisView } from '../../__fixtures__';
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

/** The sandbox's team-database: it needs a Promise that is not installed, so it is Unavailable. */
const teamDatabase = {
  ...redis,
  name: 'team-database',
  kind: 'TeamDatabase',
  description: undefined,
  status: 'Unavailable',
  requiredPromises: ['postgresql'],
  conditions: [
    {
      type: 'Available',
      status: 'False',
      reason: 'PromiseUnavailable',
      message: 'Cannot fulfil resource requests',
    },
    {
      type: 'RequirementsFulfilled',
      status: 'False',
      reason: 'RequirementsNotInstalled',
      message: 'Requirements not fulfilled',
    },
  ],
} as unknown as KratixPromiseView;

async function renderPage(
  entities: object[],
  configure: (api: FakeKratixApi) => void = () => {},
  path = '/kratix/promises/sandbox/redis',
) {
  const api = new FakeKratixApi(() => Promise.reject(new Error('unused')));
  api.getPromises = async () => ({
    items: [redis, teamDatabase],
    clusters: [],
    errors: [],
  });
  configure(api);
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
    { routeEntries: [path] },
  );
  return api;
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

  it('lists the Resources the reader may see, each linking to its own page', async () => {
    const api = await renderPage([], fake => {
      fake.promiseResources = async () => ({
        items: [
          redisView('reconciled', {
            annotations: {
              'kratix.backstage.io/entity-ref':
                'component:default/checkout-service',
            },
          }),
          redisView('firstRequest', { name: 'slow-cache' }),
        ],
        errors: [],
      });
    });
    const table = await screen.findByRole('table', {
      name: 'Resources of this Promise',
    });
    const rows = within(table).getAllByTestId('kratix-promise-resource');
    expect(rows).toHaveLength(2);
    expect(
      within(table).getByRole('link', { name: 'slow-cache' }),
    ).toHaveAttribute(
      'href',
      kratixResourcePagePath({
        cluster: 'platform',
        namespace: 'default',
        promise: 'redis',
        name: 'slow-cache',
      }),
    );
    expect(
      within(rows[0]).getByText('component:default/checkout-service'),
    ).toBeInTheDocument();
    expect(screen.getByText('2 Resources')).toBeInTheDocument();
    expect(api).toBeDefined();
  });

  it('says when the reader may see none of its Resources', async () => {
    await renderPage([]);
    expect(
      await screen.findByText(/None that you may see/),
    ).toBeInTheDocument();
  });

  it('shows why an Unavailable Promise is so, and disables its Request button with the reason', async () => {
    await renderPage(
      [template('teamdatabase-promise-template', 'team-database', 'sandbox')],
      undefined,
      '/kratix/promises/sandbox/team-database',
    );
    const why = await screen.findByTestId('kratix-promise-unavailable');
    expect(why).toHaveTextContent(
      'It needs the postgresql Promise, not installed on sandbox.',
    );
    expect(why).toHaveTextContent(
      'RequirementsFulfilled: Requirements not fulfilled (RequirementsNotInstalled)',
    );
    const button = await screen.findByRole('button', {
      name: /Request: Request team-database/,
    });
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription(
      'team-database is Unavailable: Kratix would not fulfil a request now.',
    );
    expect(screen.getByTestId('kratix-promise-status')).toHaveTextContent(
      'Unavailable',
    );
  });

  it('says when the Promise gives no description, instead of a dash', async () => {
    await renderPage([], undefined, '/kratix/promises/sandbox/team-database');
    expect(
      await screen.findByText(/None given \(the platform team can set/),
    ).toBeInTheDocument();
    expect(screen.queryByText('—')).toBeNull();
  });

  it('offers a curated template whose step creates the Promise’s Resources', async () => {
    await renderPage([
      {
        apiVersion: 'scaffolder.backstage.io/v1beta3',
        kind: 'Template',
        metadata: {
          name: 'kratix-redis',
          namespace: 'default',
          title: 'Request a Redis instance',
        },
        spec: {
          steps: [
            {
              id: 'request',
              action: 'kratix:resource:create',
              input: { promise: 'redis', name: '${{ parameters.name }}' },
            },
          ],
        },
      },
    ]);
    expect(
      (await screen.findByText(/Request a Redis instance/)).closest('a'),
    ).toHaveAttribute('href', '/create/templates/default/kratix-redis');
  });
});
