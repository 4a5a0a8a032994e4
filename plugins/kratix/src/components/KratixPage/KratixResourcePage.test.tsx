import { screen, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { Route, Routes } from 'react-router-dom';
import { kratixApiRef } from '../../api/KratixApi';
import { redisObject } from '../../__fixtures__';
import { FakeKratixApi } from '../../__fixtures__/FakeKratixApi';
import {
  WORK_NAME,
  failingWork,
  redisWithWorks,
} from '../../__fixtures__/works';
import { KratixResourcePage } from './KratixResourcePage';

jest.setTimeout(30_000);

describe('KratixResourcePage', () => {
  it('shows where the Resource’s Works landed, and why one is failing', async () => {
    const api = new FakeKratixApi(
      () => Promise.reject(new Error('unused')),
      async () => ({
        resource: redisWithWorks('WorksFailing', [WORK_NAME]),
        object: redisObject(undefined),
        timeline: [],
        works: [failingWork()],
      }),
    );
    await renderInTestApp(
      <TestApiProvider apis={[[kratixApiRef, api]]}>
        <Routes>
          <Route
            path="/kratix/resources/:cluster/:namespace/:promise/:name"
            element={<KratixResourcePage />}
          />
        </Routes>
      </TestApiProvider>,
      { routeEntries: ['/kratix/resources/platform/default/redis/example'] },
    );
    expect(await screen.findByTestId('kratix-works-alert')).toHaveTextContent(
      `Work ${WORK_NAME} is failing on Destination dev-cluster: failed to push to git`,
    );
    const figure = screen.getByRole('figure', { name: 'Where it landed' });
    expect(
      await within(figure).findByRole('group', {
        name: `${WORK_NAME} → dev-cluster: failing`,
      }),
    ).toBeInTheDocument();
    expect(api.detailsCalls).toEqual([
      {
        cluster: 'platform',
        namespace: 'default',
        promise: 'redis',
        name: 'example',
      },
    ]);
  });
});
