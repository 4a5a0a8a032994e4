/*
 * The overview of an entity linked to many Resources (issue 28): a page of rows at a time, the
 * page of a Resource a link names opened, pending requests on every page; an entity with a few
 * Resources keeps every row and its open detail with no click.
 */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  MockPermissionApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { kratixApiRef } from '../../api/KratixApi';
import { compactEntity, redisView, response } from '../../__fixtures__';
import { FakeKratixApi } from '../../__fixtures__/FakeKratixApi';
import { gitopsRequest } from '../../__fixtures__/requests';
import { resourceKey } from '../../utils/summary';
import { EntityKratixContentView } from '../EntityKratixContent';
import { OVERVIEW_PAGE_SIZE } from './ResourceOverview';

// Backstage's whole app renders per test; a loaded two-core machine needs more than 5 s.
jest.setTimeout(30_000);

const named = (i: number) =>
  redisView('reconciled', { name: `cache-${String(i).padStart(3, '0')}` });
const many = Array.from({ length: 60 }, (_, i) => named(i));

async function renderTab(api: FakeKratixApi, routeEntries?: string[]) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [kratixApiRef, api],
        [permissionApiRef, new MockPermissionApi()],
      ]}
    >
      <EntityKratixContentView entity={compactEntity} />
    </TestApiProvider>,
    { routeEntries },
  );
}

const resourceRows = () => screen.getAllByTestId('kratix-resource');
const rowNames = () =>
  resourceRows().map(r => r.getAttribute('aria-label')?.split(' ')[0]);

describe('ResourceOverview pages', () => {
  it('shows many Resources a page at a time, with the pending requests on every page', async () => {
    const request = gitopsRequest({ name: 'orders-cache' });
    await renderTab(
      new FakeKratixApi(async () => response(many, { requests: [request] })),
    );
    await screen.findByTestId('kratix-overview-pages');
    expect(resourceRows()).toHaveLength(OVERVIEW_PAGE_SIZE);
    expect(rowNames()[0]).toBe('cache-000');
    expect(screen.getByText('1-25 of 60')).toBeInTheDocument();
    expect(screen.getAllByTestId('kratix-request')).toHaveLength(1);
    // Counted in full above the table, whatever the page.
    expect(screen.getByTestId('kratix-state-counts')).toHaveTextContent('60');

    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(rowNames()[0]).toBe('cache-025');
    expect(screen.getByText('26-50 of 60')).toBeInTheDocument();
    expect(screen.getAllByTestId('kratix-request')).toHaveLength(1);
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(resourceRows()).toHaveLength(10);
    expect(screen.getByText('51-60 of 60')).toBeInTheDocument();
  });

  it('opens on the page of the Resource a link names, with its detail', async () => {
    const target = many[40];
    await renderTab(new FakeKratixApi(async () => response(many)), [
      `/?resource=${encodeURIComponent(resourceKey(target))}`,
    ]);
    await screen.findByTestId('kratix-overview-pages');
    expect(screen.getByText('26-50 of 60')).toBeInTheDocument();
    const row = screen.getByRole('row', { name: 'cache-040 (redis)' });
    expect(row).toHaveAttribute('aria-expanded', 'true');
    expect(
      await screen.findByTestId('kratix-resource-panel'),
    ).toBeInTheDocument();
  });

  it('keeps an entity with one Resource complete: no pages, its detail open with no click', async () => {
    await renderTab(new FakeKratixApi(async () => response([named(0)])));
    const panel = await screen.findByTestId('kratix-resource-panel');
    expect(within(panel).getByTestId('kratix-timeline')).toBeInTheDocument();
    expect(screen.queryByTestId('kratix-overview-pages')).toBeNull();
    expect(resourceRows()).toHaveLength(1);
  });
});
