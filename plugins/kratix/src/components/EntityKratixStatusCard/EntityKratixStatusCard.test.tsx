import { act, screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { kratixApiRef } from '../../api/KratixApi';
import { compactEntity, redisView, response } from '../../__fixtures__';
import { FakeKratixApi, httpError } from '../../__fixtures__/FakeKratixApi';
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
