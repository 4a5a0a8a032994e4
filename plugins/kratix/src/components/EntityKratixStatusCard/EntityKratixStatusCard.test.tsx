import { act, screen, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { kratixApiRef } from '../../api/KratixApi';
import { compactEntity, redisView, response } from '../../__fixtures__';
import { FakeKratixApi, httpError } from '../../__fixtures__/FakeKratixApi';
import { gitopsRequest, pullRequest } from '../../__fixtures__/requests';
import { EntityKratixStatusCardView } from './EntityKratixStatusCard';

const renderCard = (api: FakeKratixApi) =>
  renderInTestApp(
    <TestApiProvider apis={[[kratixApiRef, api]]}>
      <EntityKratixStatusCardView entity={compactEntity} />
    </TestApiProvider>,
  );

describe('EntityKratixStatusCard', () => {
  it('lists each Resource with its state and message, live', async () => {
    const api = new FakeKratixApi(async () =>
      response(
        [redisView('firstRequest'), redisView('database', { name: 'db' })],
        {
          errors: [
            { cluster: 'platform-eu', type: 'unreachable', message: 'down' },
          ],
        },
      ),
    );
    await renderCard(api);
    expect(
      await screen.findByText('Resource provisioned with database size 10Gb'),
    ).toBeInTheDocument();
    expect(screen.getByText('Pending')).toBeInTheDocument();
    expect(screen.getByText(/1 cluster or link problem/)).toBeInTheDocument();
    act(() => api.push(response([redisView('legacyElastic')])));
    expect(
      screen.getByText(
        'Instance example provisioned with preconfigured system metrics',
      ),
    ).toBeInTheDocument();
    expect(screen.getByTestId('kratix-state')).toHaveAttribute(
      'data-state',
      'ready',
    );
  });

  it('counts and lists the requests delivered through Git, each with its link', async () => {
    await renderCard(
      new FakeKratixApi(async () =>
        response([redisView('reconciled')], {
          requests: [pullRequest(), gitopsRequest()],
        }),
      ),
    );
    expect(
      await screen.findByTestId('kratix-request-count'),
    ).toHaveTextContent('2 pending requests');
    const [pr, commit] = screen.getAllByTestId('kratix-request');
    expect(pr).toHaveTextContent('reviewed-cache');
    expect(pr).toHaveTextContent('Pull request #12 open, waiting for review');
    expect(
      within(pr).getByRole('link', { name: /Pull request #12/ }),
    ).toHaveAttribute('href', 'https://github.com/acme/platform-requests/pull/12');
    expect(commit).toHaveTextContent(
      'Committed abc1234 to main, waiting for the platform to sync',
    );
    expect(
      within(commit).getByRole('link', { name: /Commit abc1234/ }),
    ).toHaveAttribute('href', gitopsRequest().commitUrl);
    // the Resource is still listed
    expect(screen.getByText('example')).toBeInTheDocument();
  });

  it('explains a forbidden answer', async () => {
    const error = await httpError(403, 'denied');
    await renderCard(new FakeKratixApi(() => Promise.reject(error)));
    expect(
      await screen.findByText(
        'You are not allowed to see this entity’s Kratix Resources',
      ),
    ).toBeInTheDocument();
  });
});
