import { screen, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  kratixPromisePagePath,
  type KratixPromiseView,
} from '@kratix-backstage/plugin-kratix-common';
import { kratixApiRef } from '../../api/KratixApi';
import { FakeKratixApi } from '../../__fixtures__/FakeKratixApi';
import { KratixPage } from './KratixPage';

jest.setTimeout(30_000);

const promise = (
  name: string,
  status: string,
  extra: Partial<KratixPromiseView> = {},
) =>
  ({
    cluster: 'sandbox',
    name,
    kind: name,
    group: 'marketplace.kratix.io',
    version: 'v1alpha1',
    plural: name,
    status,
    conditions: [],
    ...extra,
  } as KratixPromiseView);

async function renderIndex(configure: (api: FakeKratixApi) => void) {
  const api = new FakeKratixApi(() => Promise.reject(new Error('unused')));
  api.getPromises = async () => ({
    items: [
      promise('redis', 'Available', { description: 'Redis as a service' }),
      promise('team-database', 'Unavailable'),
      promise('jenkins', 'Available'),
    ],
    clusters: [],
    errors: [],
  });
  configure(api);
  // The plugin's page as mounted at /kratix: its index route.
  await renderInTestApp(
    <TestApiProvider apis={[[kratixApiRef, api]]}>
      <KratixPage />
    </TestApiProvider>,
  );
}

describe('the /kratix index', () => {
  it('lists the Promises with their status and how many Resources the reader may see', async () => {
    await renderIndex(api => {
      api.promiseResourceCounts = async () => ({
        items: [
          { cluster: 'sandbox', promise: 'redis', count: 3 },
          { cluster: 'sandbox', promise: 'team-database', count: 1 },
        ],
        errors: [],
      });
    });
    const table = await screen.findByRole('table', { name: 'Kratix Promises' });
    const row = (name: string) =>
      within(table)
        .getAllByTestId('kratix-promise-row')
        .find(r => r.getAttribute('data-promise') === name)!;
    expect(
      within(row('redis')).getByRole('link', { name: 'redis' }),
    ).toHaveAttribute(
      'href',
      kratixPromisePagePath({ cluster: 'sandbox', name: 'redis' }),
    );
    expect(
      within(row('redis')).getByTestId('kratix-promise-count'),
    ).toHaveTextContent('3');
    expect(
      within(row('redis')).getByText('Redis as a service'),
    ).toBeInTheDocument();
    expect(
      within(row('team-database')).getByTestId('kratix-promise-status'),
    ).toHaveTextContent('Unavailable');
    // None the reader may see: 0, not a count of the cluster's.
    expect(
      within(row('jenkins')).getByTestId('kratix-promise-count'),
    ).toHaveTextContent('0');
  });

  it('still lists the Promises when the counts cannot be read', async () => {
    await renderIndex(api => {
      api.promiseResourceCounts = () => Promise.reject(new Error('down'));
    });
    const rows = await screen.findAllByTestId('kratix-promise-row');
    expect(rows).toHaveLength(3);
    expect(
      within(rows[0]).getByTestId('kratix-promise-count'),
    ).toHaveTextContent('—');
  });
});
