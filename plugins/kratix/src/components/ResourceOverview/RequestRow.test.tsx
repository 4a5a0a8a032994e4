/*
 * The tab's rows for requests delivered through Git (issue 27): one row per request the platform
 * has not applied, among the Resources, with its state, message, commit or pull-request link,
 * requester and age; counted above the table; giving way to the Resource once it is live.
 */
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  MockPermissionApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { kratixEntityTabPath } from '@kratix-backstage/plugin-kratix-common';
import { kratixApiRef } from '../../api/KratixApi';
import {
  compactEntity,
  plainEntity,
  redisView,
  response,
} from '../../__fixtures__';
import { FakeKratixApi } from '../../__fixtures__/FakeKratixApi';
import { gitopsRequest, pullRequest } from '../../__fixtures__/requests';
import { EntityKratixContentView } from '../EntityKratixContent';

// Backstage's whole app renders per test; a loaded two-core machine needs more than 5 s.
jest.setTimeout(30_000);

const minutesAgo = (minutes: number) =>
  new Date(Date.now() - minutes * 60_000).toISOString();

async function renderTab(
  api: FakeKratixApi,
  entity = compactEntity,
  routeEntries?: string[],
) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [kratixApiRef, api],
        [permissionApiRef, new MockPermissionApi()],
      ]}
    >
      <EntityKratixContentView entity={entity} />
    </TestApiProvider>,
    { routeEntries },
  );
}

describe('Requests delivered through Git on the entity tab', () => {
  it('shows a pending commit as a row of its own, with its link, requester and age, and counts it', async () => {
    const request = gitopsRequest({ createdAt: minutesAgo(5) });
    await renderTab(
      new FakeKratixApi(async () =>
        response([redisView('reconciled')], { requests: [request] }),
      ),
    );
    const row = await screen.findByRole('row', {
      name: 'orders-cache (redis), pending request',
    });
    expect(row).toHaveAttribute('data-testid', 'kratix-request');
    expect(within(row).getByTestId('kratix-request-state')).toHaveTextContent(
      'Pending',
    );
    expect(within(row).getByText('redis · default')).toBeInTheDocument();
    const message = within(row).getByTestId('kratix-request-message');
    expect(message).toHaveTextContent('New Resource requested');
    expect(message).toHaveTextContent(
      'Committed abc1234 to main, waiting for the platform to sync',
    );
    const link = within(row).getByRole('link', { name: /Commit abc1234/ });
    expect(link).toHaveAttribute('href', request.commitUrl);
    expect(link).toHaveAttribute('target', '_blank');
    expect(within(row).getByTestId('kratix-request-by')).toHaveTextContent(
      'by guest',
    );
    expect(within(row).getByTestId('kratix-request-age')).toHaveTextContent(
      /^5m( \d+s)? ago$/,
    );

    // the Resource is still there, after the request
    const resourceRow = screen.getByRole('row', { name: 'example (redis)' });
    const rows = screen.getAllByRole('row');
    expect(rows.indexOf(row)).toBeLessThan(rows.indexOf(resourceRow));
    expect(
      within(screen.getByTestId('kratix-state-counts'))
        .getAllByRole('generic')
        .map(chip => chip.textContent),
    ).toEqual(expect.arrayContaining(['1 ready', '1 pending request']));
  });

  it('links a pull request by its number and counts requests by state', async () => {
    const stale = gitopsRequest({
      id: 'stale-1',
      name: 'old-cache',
      state: 'stale',
      message:
        'Committed abc1234 75 minutes ago; the platform has not applied it',
    });
    const closed = pullRequest({
      id: 'closed-1',
      name: 'refused-cache',
      state: 'closed',
      pullRequestNumber: 9,
      pullRequestUrl: 'https://github.com/acme/platform-requests/pull/9',
      message: 'Pull request #9 was closed without merging',
    });
    await renderTab(
      new FakeKratixApi(async () =>
        response([], {
          requests: [pullRequest(), gitopsRequest(), stale, closed],
        }),
      ),
    );
    const pr = await screen.findByRole('row', {
      name: 'reviewed-cache (redis), pending request',
    });
    expect(pr).toHaveTextContent('Pull request #12 open, waiting for review');
    expect(
      within(pr).getByRole('link', { name: /Pull request #12/ }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme/platform-requests/pull/12',
    );
    expect(within(pr).getByTestId('kratix-request-by')).toHaveTextContent(
      'by alice',
    );

    const staleRow = screen.getByRole('row', {
      name: 'old-cache (redis), stale request',
    });
    expect(
      within(staleRow).getByTestId('kratix-request-state'),
    ).toHaveTextContent('Stale');
    const closedRow = screen.getByRole('row', {
      name: 'refused-cache (redis), closed request',
    });
    expect(closedRow).toHaveTextContent(
      'Pull request #9 was closed without merging',
    );

    expect(
      screen.getAllByTestId('kratix-request-count').map(c => c.textContent),
    ).toEqual(['2 pending requests', '1 stale request', '1 closed request']);
    // no Resources, yet no "nothing here" either: the requests are what there is
    expect(screen.queryByText('No Kratix Resources to show')).toBeNull();
    expect(screen.queryByText('No Resources.')).toBeNull();
  });

  it('shows what was requested for an entity that links nothing yet', async () => {
    await renderTab(
      new FakeKratixApi(async () =>
        response([], { requests: [gitopsRequest()] }),
      ),
      plainEntity,
    );
    expect(
      await screen.findByRole('row', {
        name: 'orders-cache (redis), pending request',
      }),
    ).toBeInTheDocument();
    expect(
      screen.queryByText('No Kratix Resources for this entity yet'),
    ).toBeNull();
  });

  it('says why a closed request will not be applied: its pull request, or its file left the branch', async () => {
    await renderTab(
      new FakeKratixApi(async () =>
        response([], {
          requests: [
            pullRequest({
              id: 'closed-pr',
              name: 'refused-cache',
              state: 'closed',
            }),
            gitopsRequest({
              id: 'closed-file',
              name: 'removed-cache',
              state: 'closed',
            }),
          ],
        }),
      ),
    );
    const detailOf = async (name: string) => {
      const row = await screen.findByRole('row', {
        name: `${name} (redis), closed request`,
      });
      await userEvent.click(row);
      const detail = screen.getByTestId('kratix-request-detail');
      const text = detail.textContent;
      await userEvent.click(row);
      return text;
    };
    expect(await detailOf('refused-cache')).toContain(
      'The pull request was closed without merging',
    );
    const removed = await detailOf('removed-cache');
    expect(removed).toContain(
      'Its file was removed from or replaced on main before the platform applied it',
    );
    expect(removed).not.toContain('pull request');
  });

  it('says what a spec change or a deletion waits for', async () => {
    await renderTab(
      new FakeKratixApi(async () =>
        response([redisView('reconciled')], {
          requests: [
            gitopsRequest({
              id: 'delete-1',
              operation: 'delete',
              name: 'example',
              commitSha: 'fed9876000000000000000000000000000000000',
              commitUrl: undefined,
              message:
                'Committed fed9876 to main, waiting for the platform to sync',
            }),
          ],
        }),
      ),
    );
    const row = await screen.findByRole('row', {
      name: 'example (redis), pending request',
    });
    expect(within(row).getByTestId('kratix-request-message')).toHaveTextContent(
      /^Deletion requestedCommitted fed9876 to main/,
    );
    // a forge with no commit pages: the short sha, no link
    expect(within(row).queryByRole('link')).toBeNull();
    expect(within(row).getByTestId('kratix-request-link')).toHaveTextContent(
      'Commit fed9876',
    );
    // the live Resource keeps its own row: the deletion has not happened
    expect(
      screen.getByRole('row', { name: 'example (redis)' }),
    ).toBeInTheDocument();
  });

  it('is reached and opened from the keyboard, unfolding where the request went in Git', async () => {
    const request = pullRequest();
    await renderTab(
      new FakeKratixApi(async () =>
        response([redisView('reconciled')], { requests: [request] }),
      ),
    );
    const row = await screen.findByRole('row', {
      name: 'reviewed-cache (redis), pending request',
    });
    expect(row).toHaveAttribute('aria-expanded', 'false');
    // Tab order: the row, then its link, then the Resource's row.
    await userEvent.tab();
    expect(row).toHaveFocus();
    await userEvent.tab();
    expect(
      within(row).getByRole('link', { name: /Pull request #12/ }),
    ).toHaveFocus();
    await userEvent.tab();
    expect(screen.getByRole('row', { name: 'example (redis)' })).toHaveFocus();

    await userEvent.tab({ shift: true });
    await userEvent.tab({ shift: true });
    expect(row).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    expect(row).toHaveAttribute('aria-expanded', 'true');
    const detail = screen.getByTestId('kratix-request-detail');
    expect(detail).toHaveTextContent(
      'The Resource appears here once its pull request is merged and the platform has synced it',
    );
    expect(detail).toHaveTextContent(request.repository);
    expect(detail).toHaveTextContent(request.path);
    expect(detail).toHaveTextContent(request.branch);
    expect(detail).toHaveTextContent(request.id);
    expect(detail).toHaveTextContent('user:default/alice');
    expect(
      within(detail).getByRole('link', { name: /Commit abc1234/ }),
    ).toHaveAttribute('href', request.commitUrl);

    // following the link does not fold the row
    await userEvent.click(
      within(row).getByRole('link', { name: /Pull request #12/ }),
    );
    expect(row).toHaveAttribute('aria-expanded', 'true');
    await userEvent.tab({ shift: true });
    expect(row).toHaveFocus();
    await userEvent.keyboard(' ');
    expect(row).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByTestId('kratix-request-detail')).toBeNull();
  });

  it('opens the request a link names when its Resource is only requested so far', async () => {
    // The link a create through Git ends on: the tab, naming the Resource to come.
    const link = new URL(
      kratixEntityTabPath('component:default/shop', {
        cluster: 'platform',
        promise: 'redis',
        namespace: 'default',
        name: 'orders-cache',
      }),
      'http://app',
    );
    await renderTab(
      new FakeKratixApi(async () =>
        response(
          [
            redisView('reconciled'),
            redisView('reconciled', { name: 'second' }),
            redisView('reconciled', { name: 'third' }),
          ],
          { requests: [gitopsRequest(), pullRequest()] },
        ),
      ),
      compactEntity,
      [`/${link.search}`],
    );
    const named = await screen.findByRole('row', {
      name: 'orders-cache (redis), pending request',
    });
    expect(named).toHaveAttribute('aria-expanded', 'true');
    expect(
      screen.getByRole('row', {
        name: 'reviewed-cache (redis), pending request',
      }),
    ).toHaveAttribute('aria-expanded', 'false');
    expect(screen.getAllByTestId('kratix-request-detail')).toHaveLength(1);
    expect(screen.getByTestId('kratix-request-detail')).toHaveTextContent(
      "once the platform's GitOps agent has synced main",
    );
  });

  it('gives way to the Resource once it is live, even before the ledger says applied', async () => {
    const api = new FakeKratixApi(async () =>
      response([redisView('reconciled')], { requests: [gitopsRequest()] }),
    );
    await renderTab(api);
    await screen.findByRole('row', {
      name: 'orders-cache (redis), pending request',
    });
    act(() =>
      api.push(
        response(
          [
            redisView('reconciled'),
            redisView('firstRequest', { name: 'orders-cache' }),
          ],
          { requests: [gitopsRequest()] },
        ),
      ),
    );
    expect(screen.queryByTestId('kratix-request')).toBeNull();
    expect(
      screen.getByRole('row', { name: 'orders-cache (redis)' }),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('kratix-request-count')).toBeNull();
  });

  it('never makes a link of a URL that is not a web address', async () => {
    await renderTab(
      new FakeKratixApi(async () =>
        response([], {
          requests: [
            gitopsRequest({
              // eslint-disable-next-line no-script-url
              commitUrl: 'javascript:alert(1)',
            }),
          ],
        }),
      ),
    );
    const row = await screen.findByRole('row', {
      name: 'orders-cache (redis), pending request',
    });
    expect(within(row).queryByRole('link')).toBeNull();
    expect(within(row).getByTestId('kratix-request-link')).toHaveTextContent(
      'Commit abc1234',
    );
  });
});
