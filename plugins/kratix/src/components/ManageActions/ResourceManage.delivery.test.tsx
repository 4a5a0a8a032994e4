/*
 * A spec change or a deletion on a cluster with Git delivery (issue 27): the backend answers with
 * the delivered request, and the tab says where it waits (its commit or pull request) instead of
 * "saved" or "deleting".
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  MockPermissionApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { alertApiRef, type AlertMessage } from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import type {
  KratixRequestView,
  ManageResourceResponse,
  ResourceDetailsResponse,
} from '@kratix-backstage/plugin-kratix-common';
import { kratixApiRef } from '../../api/KratixApi';
import {
  compactEntity,
  fixtureStatus,
  redisObject,
  redisView,
  response,
  STATUS,
} from '../../__fixtures__';
import { FakeKratixApi, type ManageCall } from '../../__fixtures__/FakeKratixApi';
import { gitopsRequest, pullRequest } from '../../__fixtures__/requests';
import { EntityKratixContentView } from '../EntityKratixContent';

jest.setTimeout(30_000);

const spec = { team: 'checkout', size: 'small' };

const details = async (): Promise<ResourceDetailsResponse> => ({
  resource: redisView('reconciled'),
  object: {
    ...redisObject(fixtureStatus(STATUS.reconciled), { resourceVersion: '7' }),
    spec,
  },
  timeline: [],
  works: [],
});

const schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        team: { type: 'string', title: 'team' },
        size: { type: 'string', title: 'size' },
      },
    },
  },
};

// usePermission caches answers per entity across renders: each test gets its own entity.
let entityCount = 0;

/** The tab with one Resource, `example`, whose manage calls the backend answers with `request`. */
async function renderDelivered(request: (call: ManageCall) => KratixRequestView) {
  const api = new FakeKratixApi(
    async () => response([redisView('reconciled')]),
    details,
  );
  api.manage = async call =>
    ({
      action: call.action,
      resource: redisView('reconciled'),
      object: redisObject(fixtureStatus(STATUS.reconciled)),
      request: request(call),
    } satisfies ManageResourceResponse);
  api.promises = async () => ({
    items: [
      {
        cluster: 'platform',
        name: 'redis',
        group: 'marketplace.kratix.io',
        version: 'v1alpha1',
        kind: 'redis',
        plural: 'redis',
        conditions: [],
        schema,
      },
    ],
    clusters: [],
    errors: [],
  });
  const alerts: AlertMessage[] = [];
  entityCount += 1;
  const entity = {
    ...compactEntity,
    metadata: { ...compactEntity.metadata, name: `delivered-${entityCount}` },
  };
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [kratixApiRef, api],
        [permissionApiRef, new MockPermissionApi()],
        [alertApiRef, { post: (a: AlertMessage) => alerts.push(a) } as any],
      ]}
    >
      <EntityKratixContentView entity={entity} />
    </TestApiProvider>,
  );
  // One Resource opens expanded, with its actions.
  const manage = await screen.findByTestId('kratix-manage');
  return { api, alerts, manage };
}

describe('Managing a Resource on a cluster with Git delivery', () => {
  it('says a deletion was committed, with the commit’s link, instead of "Deleting"', async () => {
    const request = gitopsRequest({
      id: 'delete-1',
      operation: 'delete',
      name: 'example',
    });
    const { api, alerts, manage } = await renderDelivered(() => request);
    const remove = within(manage).getByRole('button', { name: /Delete/ });
    await waitFor(() => expect(remove).toBeEnabled());
    await userEvent.click(remove);
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByLabelText('Type example to confirm'),
      'example',
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() =>
      expect(api.manageCalls.map(c => c.action)).toEqual(['delete']),
    );
    // (the page behind a closing dialog is hidden from assistive technology)
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    const notice = await screen.findByTestId('kratix-request-notice');
    expect(notice).toHaveAttribute('role', 'status');
    expect(notice).toHaveTextContent(
      'Committed abc1234 to main, waiting for the platform to sync',
    );
    expect(
      within(notice).getByRole('link', { name: /Commit abc1234/ }),
    ).toHaveAttribute('href', request.commitUrl);
    expect(alerts).toEqual([
      {
        severity: 'info',
        display: 'transient',
        message:
          'Requested the deletion of example: Committed abc1234 to main, waiting for the platform to sync',
      },
    ]);
    expect(alerts[0].message).not.toMatch(/Deleting example/);

    // dismissed, it is gone
    await userEvent.click(
      within(notice).getByRole('button', { name: 'Dismiss' }),
    );
    expect(screen.queryByTestId('kratix-request-notice')).toBeNull();
  });

  it('says a spec change opened a pull request, with its link, instead of "Saved"', async () => {
    const request = pullRequest({
      operation: 'update',
      name: 'example',
    });
    const { api, alerts, manage } = await renderDelivered(() => request);
    const edit = within(manage).getByRole('button', { name: /Edit spec/ });
    await waitFor(() => expect(edit).toBeEnabled());
    await userEvent.click(edit);
    const editor = await screen.findByTestId('kratix-spec-editor');
    const team = await within(editor).findByLabelText(/team/);
    await userEvent.clear(team);
    await userEvent.type(team, 'payments');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(api.manageCalls).toEqual([
        expect.objectContaining({
          action: 'update',
          request: {
            spec: { team: 'payments', size: 'small' },
            resourceVersion: '7',
          },
        }),
      ]),
    );
    // the editor closes as after any save
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    const notice = await screen.findByTestId('kratix-request-notice');
    expect(notice).toHaveTextContent(
      'Pull request #12 open, waiting for review',
    );
    expect(
      within(notice).getByRole('link', { name: /Pull request #12/ }),
    ).toHaveAttribute('href', request.pullRequestUrl);
    expect(alerts).toEqual([
      expect.objectContaining({
        severity: 'info',
        message:
          'Requested the spec change of example: Pull request #12 open, waiting for review',
      }),
    ]);
  });
});
