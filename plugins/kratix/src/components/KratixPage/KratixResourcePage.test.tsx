import { screen, within } from '@testing-library/react';
import {
  MockPermissionApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { Route, Routes } from 'react-router-dom';
import {
  kratixEntityTabPath,
  type ResourceDetailsResponse,
} from '@kratix-backstage/plugin-kratix-common';
import { kratixApiRef } from '../../api/KratixApi';
import { redisObject, redisView } from '../../__fixtures__';
import { FakeKratixApi, httpError } from '../../__fixtures__/FakeKratixApi';
import {
  WORK_NAME,
  failingWork,
  redisWithWorks,
} from '../../__fixtures__/works';
import { KratixResourcePage } from './KratixResourcePage';

jest.setTimeout(30_000);

const ENTITY = 'component:default/checkout-service';
const KEY = {
  cluster: 'platform',
  namespace: 'default',
  promise: 'redis',
  name: 'example',
};

async function renderPage(api: FakeKratixApi) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [kratixApiRef, api],
        [permissionApiRef, new MockPermissionApi()],
      ]}
    >
      <Routes>
        <Route
          path="/kratix/resources/:cluster/:namespace/:promise/:name"
          element={<KratixResourcePage />}
        />
      </Routes>
    </TestApiProvider>,
    { routeEntries: ['/kratix/resources/platform/default/redis/example'] },
  );
}

/** A reconciled redis Resource bound to checkout-service. */
const bound = (): ResourceDetailsResponse => ({
  resource: redisView('reconciled', {
    annotations: { 'kratix.backstage.io/entity-ref': ENTITY },
  }),
  object: redisObject(undefined),
  timeline: [
    {
      time: '2026-11-25T09:00:00Z',
      source: 'condition',
      title: 'Reconciled',
      status: 'True',
    },
  ],
  works: [],
});

describe('KratixResourcePage', () => {
  it('shows the tab’s own detail for a Resource an entity shows: conditions, timeline, actions, the way back', async () => {
    const api = new FakeKratixApi(
      () => Promise.reject(new Error('unused')),
      async () => bound(),
    );
    await renderPage(api);
    const page = await screen.findByTestId('kratix-resource-page');
    // The entity tab's ResourcePanel, with its manage actions and YAML.
    const panel = within(page).getByTestId('kratix-resource-panel');
    expect(
      await within(panel).findByRole('button', { name: /YAML/i }),
    ).toBeInTheDocument();
    expect(within(panel).getByText('Conditions')).toBeInTheDocument();
    expect(within(panel).getByText('Timeline')).toBeInTheDocument();
    // Back to the entity's tab, opening this Resource (kratix-common's link).
    expect(within(page).getByRole('link', { name: ENTITY })).toHaveAttribute(
      'href',
      kratixEntityTabPath(ENTITY, KEY),
    );
    // The state once, not in a second header.
    expect(within(page).getAllByText('Ready')).toHaveLength(1);
    // The link was confirmed by reading the Resource through its entity, as the tab does.
    expect(api.detailsCalls).toContainEqual(KEY);
  });

  it('shows a Resource no entity’s tab shows read-only, and where its Works landed', async () => {
    const details = async () => ({
      resource: redisWithWorks('WorksFailing', [WORK_NAME]),
      object: redisObject(undefined),
      timeline: [],
      works: [failingWork()],
    });
    const api = new FakeKratixApi(
      () => Promise.reject(new Error('unused')),
      details,
    );
    await renderPage(api);
    expect(await screen.findByTestId('kratix-works-alert')).toHaveTextContent(
      `Work ${WORK_NAME} is failing on Destination dev-cluster: failed to push to git`,
    );
    const figure = screen.getByRole('figure', { name: 'Where it landed' });
    expect(
      await within(figure).findByRole('group', {
        name: `${WORK_NAME} → dev-cluster: failing`,
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/No catalog entity shows this Resource/),
    ).toBeInTheDocument();
    expect(screen.getByText('Conditions')).toBeInTheDocument();
    expect(api.detailsCalls).toEqual([KEY]);
  });

  it('reads a Resource whose entity does not confirm the link as one no entity shows', async () => {
    const api = new FakeKratixApi(
      () => Promise.reject(new Error('unused')),
      async () => bound(),
    );
    api.getResourceDetails = async () => {
      throw await httpError(404, 'links no Resource');
    };
    await renderPage(api);
    expect(
      await screen.findByText(/No catalog entity shows this Resource/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: ENTITY })).toBeNull();
  });

  it('says so when the Resource cannot be read', async () => {
    const api = new FakeKratixApi(
      () => Promise.reject(new Error('unused')),
      async () => {
        throw await httpError(404, 'No Kratix Resource that you may read');
      },
    );
    await renderPage(api);
    // A 404 also means "you may not read it": said as one, with nothing about the Resource.
    expect(
      await screen.findByTestId('kratix-resource-missing'),
    ).toHaveTextContent(
      'There is no redis Resource default/example on platform that you may read',
    );
    expect(screen.queryByTestId('kratix-resource-page')).toBeNull();
  });
});
