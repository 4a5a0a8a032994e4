/*
 * Managing a Resource on a cluster with Git delivery (issue 27). Before: each dialog says what will
 * actually happen, by the Resource's delivery (the cluster's, or its Promise's override, from the
 * cluster infos): a delete is a commit removing its file, or a pull request, not "Kratix runs the
 * delete workflow" now; re-run and pause still go straight to the cluster's API, as the backend does
 * them. After: the backend answers with the delivered request, and the tab says where it waits (its
 * commit or pull request) instead of "saved" or "deleting".
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
  KratixClusterInfo,
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
import {
  FakeKratixApi,
  type ManageCall,
} from '../../__fixtures__/FakeKratixApi';
import { gitopsRequest, pullRequest } from '../../__fixtures__/requests';
import { EntityKratixContentView } from '../EntityKratixContent';
import { ResourceManage } from './ResourceManage';

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

const REQUESTS = 'https://git.example.com/acme/platform-requests.git';
const GITHUB = 'https://github.com/acme/requests.git';
const key = {
  cluster: 'platform',
  promise: 'redis',
  namespace: 'default',
  name: 'example',
};

/** The `platform` cluster delivered by commits to REQUESTS (main). */
const GITOPS: KratixClusterInfo = {
  name: 'platform',
  sandbox: false,
  delivery: 'gitops',
  deliveryTarget: { repository: REQUESTS, branch: 'main' },
};

/** A direct `platform` cluster whose redis Promise is delivered by pull requests. */
const REDIS_PULL_REQUESTS: KratixClusterInfo = {
  name: 'platform',
  sandbox: false,
  promiseDelivery: {
    redis: { mode: 'pull-request', repository: GITHUB, branch: 'main' },
  },
};

const redisPromises = async () => ({
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

/** Answers a manage call as the backend does: with the request when it went through Git. */
function answering(
  api: FakeKratixApi,
  request: (call: ManageCall) => KratixRequestView | undefined,
) {
  api.manage = async call =>
    ({
      action: call.action,
      resource: redisView('reconciled'),
      object: redisObject(fixtureStatus(STATUS.reconciled)),
      request: request(call),
    } satisfies ManageResourceResponse);
}

/**
 * The tab with one Resource, `example`, on a cluster described by `cluster`, whose manage calls the
 * backend answers with `request`.
 */
async function renderDelivered(
  cluster: KratixClusterInfo,
  request: (call: ManageCall) => KratixRequestView | undefined,
) {
  const api = new FakeKratixApi(
    async () => response([redisView('reconciled')], { clusters: [cluster] }),
    details,
  );
  answering(api, request);
  api.promises = redisPromises;
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

/** Clicks the button named `name` once it is enabled (permissions load first); its dialog. */
async function open(manage: HTMLElement, name: RegExp) {
  const button = within(manage).getByRole('button', { name });
  await waitFor(() => expect(button).toBeEnabled());
  await userEvent.click(button);
  return screen.findByRole('dialog');
}

describe('Managing a Resource on a cluster with Git delivery', () => {
  it('says a deletion was committed, with the commit’s link, instead of "Deleting"', async () => {
    const request = gitopsRequest({
      id: 'delete-1',
      operation: 'delete',
      name: 'example',
    });
    const { api, alerts, manage } = await renderDelivered(
      GITOPS,
      () => request,
    );
    const dialog = await open(manage, /Delete/);
    // What will happen: a commit, then the sync; not the delete workflow at once.
    expect(dialog).toHaveTextContent(
      `A commit to ${REQUESTS} (branch main) removes example’s file. Nothing is deleted yet: when the platform syncs the commit, it deletes example, and Kratix runs the redis Promise’s delete workflow and removes what it created for example on platform. That cannot be undone once it has synced.`,
    );
    const commit = within(dialog).getByRole('button', {
      name: 'Commit deletion',
    });
    // It syncs without review: the name is typed first, as for a direct delete.
    expect(commit).toBeDisabled();
    await userEvent.type(
      within(dialog).getByLabelText('Type example to confirm'),
      'example',
    );
    await userEvent.click(commit);
    await waitFor(() =>
      expect(api.manageCalls).toEqual([{ action: 'delete', key }]),
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
    const { api, alerts, manage } = await renderDelivered(
      REDIS_PULL_REQUESTS,
      () => request,
    );
    await open(manage, /Edit spec/);
    const editor = await screen.findByTestId('kratix-spec-editor');
    expect(editor).toHaveTextContent(
      `When you save, a pull request against ${GITHUB} (branch main) proposes the new spec. Nothing changes until it is merged and the platform syncs it.`,
    );
    expect(editor).not.toHaveTextContent(/Kratix runs/);

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

  it('asks before a delete through a pull request, without typing the name, and sends the delete', async () => {
    const request = pullRequest({ operation: 'delete', name: 'example' });
    const { api, manage } = await renderDelivered(
      REDIS_PULL_REQUESTS,
      () => request,
    );
    const dialog = await open(manage, /Delete/);
    expect(dialog).toHaveTextContent(
      `A pull request against ${GITHUB} (branch main) proposes removing example’s file. Nothing changes until it is merged and the platform syncs it; then Kratix runs the redis Promise’s delete workflow and removes what it created for example on platform. Closing the pull request unmerged cancels the deletion.`,
    );
    expect(dialog).not.toHaveTextContent(/cannot be undone/);
    // Reviewed before anything happens: nothing to type.
    expect(within(dialog).queryByLabelText(/to confirm/)).toBeNull();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Open pull request' }),
    );
    await waitFor(() =>
      expect(api.manageCalls).toEqual([{ action: 'delete', key }]),
    );
    const notice = await screen.findByTestId('kratix-request-notice');
    expect(notice).toHaveTextContent(
      'Pull request #12 open, waiting for review',
    );
  });

  it('says a spec change is committed, and sends the update', async () => {
    const request = gitopsRequest({ operation: 'update', name: 'example' });
    const { api, manage } = await renderDelivered(GITOPS, () => request);
    await open(manage, /Edit spec/);
    const editor = await screen.findByTestId('kratix-spec-editor');
    expect(editor).toHaveTextContent(
      `When you save, the new spec is committed to ${REQUESTS} (branch main); the platform applies it when it syncs the commit, not at once.`,
    );
    const team = await within(editor).findByLabelText(/team/);
    await userEvent.clear(team);
    await userEvent.type(team, 'payments');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(api.manageCalls).toEqual([
        {
          action: 'update',
          key,
          request: {
            spec: { team: 'payments', size: 'small' },
            resourceVersion: '7',
          },
        },
      ]),
    );
    expect(
      await screen.findByTestId('kratix-request-notice'),
    ).toHaveTextContent('Committed abc1234 to main');
  });

  it.each([
    [/Re-run workflow/, 'Re-run workflow', 'reconcile', /configure workflow/],
    [/Pause/, 'Pause', 'pause', /stops reconciling example/],
  ] as const)(
    'says %s goes straight to the cluster’s API on a Git cluster, and sends it there',
    async (button, confirm, action, what) => {
      // The backend sets these labels on the cluster itself: its answer has no request.
      const { api, alerts, manage } = await renderDelivered(
        GITOPS,
        () => undefined,
      );
      const dialog = await open(manage, button);
      expect(dialog).toHaveTextContent(what);
      expect(dialog).toHaveTextContent(
        `This goes straight to platform’s API, not through ${REQUESTS} (branch main): it is a label the platform changes itself, not part of the Resource’s file in Git.`,
      );
      await userEvent.click(
        within(dialog).getByRole('button', { name: confirm }),
      );
      await waitFor(() => expect(api.manageCalls).toEqual([{ action, key }]));
      await waitFor(() =>
        expect(alerts).toEqual([
          expect.objectContaining({ severity: 'success' }),
        ]),
      );
      expect(screen.queryByTestId('kratix-request-notice')).toBeNull();
    },
  );

  it('keeps the direct delete for a Promise not delivered through Git, on a cluster with an override for another', async () => {
    const { api, manage } = await renderDelivered(
      {
        name: 'platform',
        sandbox: false,
        promiseDelivery: {
          postgresql: { mode: 'gitops', repository: REQUESTS, branch: 'main' },
        },
      },
      () => undefined,
    );
    const dialog = await open(manage, /Delete/);
    expect(dialog).toHaveTextContent(
      'Kratix runs the redis Promise’s delete workflow and removes what it created for example on platform. This cannot be undone.',
    );
    expect(dialog).not.toHaveTextContent(/commit|pull request/i);
    await userEvent.type(
      within(dialog).getByLabelText('Type example to confirm'),
      'example',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Delete' }),
    );
    await waitFor(() =>
      expect(api.manageCalls).toEqual([{ action: 'delete', key }]),
    );
  });
});

describe('A Resource on its own page (no entity tab around it)', () => {
  /** The manage actions alone, as the Resource page's panel has them: no delivery given. */
  async function renderAlone(clusters: () => Promise<KratixClusterInfo[]>) {
    const api = new FakeKratixApi(
      async () => response([redisView('reconciled')]),
      details,
    );
    answering(api, () => undefined);
    let asked!: () => void;
    const infosRead = new Promise<void>(resolve => {
      asked = resolve;
    });
    api.promises = async () => {
      try {
        return { ...(await redisPromises()), clusters: await clusters() };
      } finally {
        asked();
      }
    };
    entityCount += 1;
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [kratixApiRef, api],
          [permissionApiRef, new MockPermissionApi()],
          [alertApiRef, { post: () => undefined } as any],
        ]}
      >
        <ResourceManage
          entityRef={`component:default/alone-${entityCount}`}
          resource={redisView('reconciled')}
          onReloadObject={() => undefined}
        />
      </TestApiProvider>,
    );
    return {
      api,
      infosRead,
      manage: await screen.findByTestId('kratix-manage'),
    };
  }

  it('reads the delivery from the cluster infos, and says the commit', async () => {
    const { manage, infosRead } = await renderAlone(async () => [GITOPS]);
    await infosRead;
    const dialog = await open(manage, /Delete/);
    // (the answer reaches the component's state just after the call settles)
    await waitFor(() =>
      expect(dialog).toHaveTextContent(`A commit to ${REQUESTS} (branch main)`),
    );
    expect(
      within(dialog).getByRole('button', { name: 'Commit deletion' }),
    ).toBeInTheDocument();
  });

  it('says what happens either way when the cluster infos cannot be read', async () => {
    const { api, manage, infosRead } = await renderAlone(async () => {
      throw new Error('403');
    });
    await infosRead;
    const dialog = await open(manage, /Delete/);
    expect(dialog).toHaveTextContent(
      'If platform takes changes directly, Kratix runs the redis Promise’s delete workflow and removes what it created for example on platform now. If it takes them through Git, a commit or pull request removes example’s file, and it is deleted when the platform syncs it.',
    );
    await userEvent.type(
      within(dialog).getByLabelText('Type example to confirm'),
      'example',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Delete' }),
    );
    await waitFor(() =>
      expect(api.manageCalls).toEqual([{ action: 'delete', key }]),
    );
  });
});
