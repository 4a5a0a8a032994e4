import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  MockPermissionApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { alertApiRef, type AlertMessage } from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  toResourceView,
  type KratixResourceView,
  type ResourceDetailsResponse,
} from '@kratix-backstage/plugin-kratix-common';
import { kratixApiRef } from '../../api/KratixApi';
import {
  compactEntity,
  fixtureStatus,
  redisApi,
  redisObject,
  redisView,
  response,
  STATUS,
} from '../../__fixtures__';
import { FakeKratixApi, httpError } from '../../__fixtures__/FakeKratixApi';
import { EntityKratixContentView } from '../EntityKratixContent';

const spec = { team: 'checkout', size: 'small' };

/** The Resource's details as the backend returns them, at the given resourceVersion. */
const details =
  (
    versions: string[],
    resource: KratixResourceView = redisView('reconciled'),
  ) =>
  async (): Promise<ResourceDetailsResponse> => {
    const resourceVersion =
      versions.length > 1 ? versions.shift()! : versions[0];
    const object = redisObject(fixtureStatus(STATUS.reconciled), {
      resourceVersion,
    });
    return {
      resource,
      object: { ...object, spec },
      timeline: [],
      works: [],
    };
  };

/** A Resource whose Promise's requirements are not installed: Kratix runs no workflow for it. */
const blockedView = toResourceView(
  redisApi,
  redisObject({
    message: 'Pending',
    conditions: [
      {
        type: 'PromiseAvailable',
        status: 'False',
        reason: 'PromiseRequirementsNotInstalled',
        message: 'Promise requirements are not installed',
        lastTransitionTime: '2024-01-01T00:00:00Z',
      },
    ],
  }),
);

const pausedView = redisView('reconciled', {
  labels: { 'kratix.io/paused': 'true' },
});

/** The tab with one Resource in the given state, its list and details agreeing. */
const apiFor = (view: KratixResourceView) =>
  new FakeKratixApi(async () => response([view]), details(['7'], view));

const schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['team'],
      properties: {
        team: { type: 'string', title: 'team' },
        // As the marketplace Redis Promise spells it: a pattern of alternatives, not an enum.
        size: {
          type: 'string',
          default: 'small',
          description: 'Size of this Redis deployment.',
          pattern: '^(small|large)$',
        },
      },
      'x-kubernetes-preserve-unknown-fields': true,
    },
  },
};

// usePermission caches answers per permission and resourceRef across renders: every test gets its own
// entity, so no answer from an earlier test is reused.
let entityCount = 0;

async function renderManage(options: { deny?: string[]; api?: FakeKratixApi }) {
  const api =
    options.api ??
    new FakeKratixApi(
      async () => response([redisView('reconciled')]),
      details(['7']),
    );
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
    metadata: { ...compactEntity.metadata, name: `shop-${entityCount}` },
  };
  const permissionApi = new MockPermissionApi(request =>
    options.deny?.includes(request.permission.name)
      ? AuthorizeResult.DENY
      : AuthorizeResult.ALLOW,
  );
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [kratixApiRef, api],
        [permissionApiRef, permissionApi],
        [alertApiRef, { post: (a: AlertMessage) => alerts.push(a) } as any],
      ]}
    >
      <EntityKratixContentView entity={entity} />
    </TestApiProvider>,
  );
  // One Resource opens expanded, with its actions, without a click.
  await screen.findByRole('row', { name: 'example (redis)' });
  const manage = await screen.findByTestId('kratix-manage');
  return {
    api,
    alerts,
    manage,
    entityRef: `component:default/${entity.metadata.name}`,
  };
}

const key = {
  cluster: 'platform',
  promise: 'redis',
  namespace: 'default',
  name: 'example',
};

describe('Managing a Resource from the tab', () => {
  it('asks before re-running the workflow, then re-runs it and says so', async () => {
    const { api, alerts, manage } = await renderManage({});
    const rerun = within(manage).getByRole('button', {
      name: /Re-run workflow/,
    });
    await waitFor(() => expect(rerun).toBeEnabled());
    await userEvent.click(rerun);
    let dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent(
      'Re-run the workflow of redis default/example?',
    );
    expect(dialog).toHaveTextContent(
      /runs the redis Promise’s configure workflow for example again/,
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.manageCalls).toEqual([]);

    await userEvent.click(rerun);
    dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Re-run workflow' }),
    );
    await waitFor(() =>
      expect(api.manageCalls).toEqual([{ action: 'reconcile', key }]),
    );
    await waitFor(() =>
      expect(alerts).toEqual([
        expect.objectContaining({
          severity: 'success',
          message: expect.stringMatching(/Re-running the workflow of example/),
        }),
      ]),
    );
  });

  it('tells what the backend said when an action is refused', async () => {
    const api = new FakeKratixApi(
      async () => response([redisView('reconciled')]),
      details(['7']),
    );
    const refused = await httpError(
      403,
      'You may not change the Resources of this entity',
      'NotAllowedError',
    );
    api.manage = async () => {
      throw refused;
    };
    const { alerts, manage } = await renderManage({ api });
    const rerun = within(manage).getByRole('button', {
      name: /Re-run workflow/,
    });
    await waitFor(() => expect(rerun).toBeEnabled());
    await userEvent.click(rerun);
    await userEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'Re-run workflow',
      }),
    );
    await waitFor(() =>
      expect(alerts).toEqual([
        {
          severity: 'error',
          message:
            'Could not re-run the workflow of example: You may not change the Resources of this entity',
        },
      ]),
    );
  });

  it('asks before pausing, and does nothing when cancelled', async () => {
    const { api, manage } = await renderManage({});
    const pause = within(manage).getByRole('button', { name: /Pause/ });
    await waitFor(() => expect(pause).toBeEnabled());
    await userEvent.click(pause);
    let dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Pause redis default/example?');
    expect(dialog).toHaveTextContent(/stops reconciling example/);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.manageCalls).toEqual([]);

    await userEvent.click(pause);
    dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Pause' }),
    );
    await waitFor(() =>
      expect(api.manageCalls).toEqual([{ action: 'pause', key }]),
    );
  });

  it('deletes only once the Resource’s name is typed', async () => {
    const { api, alerts, manage } = await renderManage({});
    const remove = within(manage).getByRole('button', { name: /Delete/ });
    await waitFor(() => expect(remove).toBeEnabled());
    await userEvent.click(remove);
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Delete redis default/example?');
    expect(dialog).toHaveTextContent(/delete workflow.*cannot be undone/);
    const confirm = within(dialog).getByRole('button', { name: 'Delete' });
    expect(confirm).toBeDisabled();
    const name = within(dialog).getByLabelText('Type example to confirm');
    await userEvent.type(name, 'exampl');
    expect(confirm).toBeDisabled();
    expect(api.manageCalls).toEqual([]);
    await userEvent.type(name, 'e');
    expect(confirm).toBeEnabled();
    await userEvent.click(confirm);
    await waitFor(() =>
      expect(api.manageCalls).toEqual([{ action: 'delete', key }]),
    );
    await waitFor(() => expect(alerts[0]?.message).toMatch(/Deleting example/));
  });

  it('offers Resume on a paused Resource, and asks before resuming', async () => {
    const { api, manage } = await renderManage({ api: apiFor(pausedView) });
    expect(within(manage).queryByRole('button', { name: /Pause/ })).toBeNull();
    const resume = within(manage).getByRole('button', { name: /Resume/ });
    await waitFor(() => expect(resume).toBeEnabled());
    await userEvent.click(resume);
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Resume redis default/example?');
    expect(dialog).toHaveTextContent(/reconciles example again/);
    expect(api.manageCalls).toEqual([]);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Resume' }),
    );
    await waitFor(() =>
      expect(api.manageCalls).toEqual([{ action: 'resume', key }]),
    );
  });

  it('disables re-run on a paused Resource, saying to resume it first', async () => {
    const { manage } = await renderManage({ api: apiFor(pausedView) });
    await waitFor(() =>
      expect(
        within(manage).getByRole('button', { name: /Resume/ }),
      ).toBeEnabled(),
    );
    const rerun = within(manage).getByRole('button', {
      name: /Re-run workflow/,
    });
    expect(rerun).toBeDisabled();
    // A disabled button shows no tooltip itself: the span around it does.
    await userEvent.hover(rerun.parentElement!);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'Paused: resume it first',
    );
    // Editing stays possible, and the editor says when the change applies.
    await userEvent.click(
      within(manage).getByRole('button', { name: /Edit spec/ }),
    );
    expect(
      await screen.findByTestId('kratix-spec-editor-note'),
    ).toHaveTextContent(
      'example is paused: the change is saved now, and Kratix applies it when it is resumed.',
    );
  });

  it('disables re-run on a blocked Resource, saying which Promise it waits for', async () => {
    const { manage } = await renderManage({ api: apiFor(blockedView) });
    const pause = within(manage).getByRole('button', { name: /Pause/ });
    await waitFor(() => expect(pause).toBeEnabled());
    const rerun = within(manage).getByRole('button', {
      name: /Re-run workflow/,
    });
    expect(rerun).toBeDisabled();
    await userEvent.hover(rerun.parentElement!);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'Blocked: the redis Promise is not available (Promise requirements are not installed); Kratix runs no workflow until it is',
    );
  });

  it('disables what the policy denies, and says why', async () => {
    const { manage, entityRef } = await renderManage({
      deny: ['kratix.resource.delete'],
    });
    const denied = await within(manage).findByTestId('kratix-manage-denied');
    expect(denied).toHaveTextContent(
      `The permission policy does not let you delete the Resources of ${entityRef}`,
    );
    expect(
      within(manage).getByRole('button', { name: /Delete/ }),
    ).toBeDisabled();
    expect(
      within(manage).getByRole('button', { name: /Re-run workflow/ }),
    ).toBeEnabled();
  });

  it('disables every change when the user may neither update nor delete', async () => {
    const { api, manage } = await renderManage({
      deny: ['kratix.resource.update', 'kratix.resource.delete'],
    });
    await within(manage).findByTestId('kratix-manage-denied');
    for (const name of [/Re-run workflow/, /Pause/, /Edit spec/, /Delete/]) {
      expect({
        name: String(name),
        disabled: within(manage)
          .getByRole('button', { name })
          .hasAttribute('disabled'),
      }).toEqual({ name: String(name), disabled: true });
    }
    expect(
      within(manage).getByTestId('kratix-manage-denied'),
    ).toHaveTextContent(/re-run, pause, resume or edit or delete/);
    expect(api.manageCalls).toEqual([]);
  });

  it('edits the spec in a form generated from the Promise schema, sending the resourceVersion', async () => {
    const { api, alerts, manage } = await renderManage({});
    const edit = within(manage).getByRole('button', { name: /Edit spec/ });
    await waitFor(() => expect(edit).toBeEnabled());
    await userEvent.click(edit);
    const editor = await screen.findByTestId('kratix-spec-editor');
    const team = await within(editor).findByLabelText(/team/);
    expect(team).toHaveValue('checkout');
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
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(alerts[0]?.message).toMatch(/Saved the spec of example/);
  });

  it('offers the Promise’s size pattern ^(small|large)$ as a choice, and saves the one chosen', async () => {
    const { api, manage } = await renderManage({});
    const edit = within(manage).getByRole('button', { name: /Edit spec/ });
    await waitFor(() => expect(edit).toBeEnabled());
    await userEvent.click(edit);
    const editor = await screen.findByTestId('kratix-spec-editor');
    expect(editor).toHaveTextContent(
      'When you save, Kratix runs the redis Promise’s configure workflow for example again, with the new spec.',
    );
    const size = await within(editor).findByRole('button', { name: /Size/ });
    expect(size).toHaveTextContent('small');
    await userEvent.click(size);
    const options = within(await screen.findByRole('listbox')).getAllByRole(
      'option',
    );
    expect(options.map(o => o.textContent)).toEqual(['small', 'large']);
    await userEvent.click(options[1]);
    await waitFor(() => expect(size).toHaveTextContent('large'));
    expect(editor).not.toHaveTextContent('small|large');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(api.manageCalls[0]?.request).toEqual({
        spec: { team: 'checkout', size: 'large' },
        resourceVersion: '7',
      }),
    );
  });

  it('says what is wrong with a field in plain words', async () => {
    const { api, manage } = await renderManage({});
    const edit = within(manage).getByRole('button', { name: /Edit spec/ });
    await waitFor(() => expect(edit).toBeEnabled());
    await userEvent.click(edit);
    const editor = await screen.findByTestId('kratix-spec-editor');
    await userEvent.clear(await within(editor).findByLabelText(/team/));
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await within(editor).findByText('Required')).toBeInTheDocument();
    expect(editor).not.toHaveTextContent(/must have required|must match/);
    expect(api.manageCalls).toEqual([]);
  });

  it('edits the spec as YAML, and refuses what the schema rejects', async () => {
    const { api, manage } = await renderManage({});
    const edit = within(manage).getByRole('button', { name: /Edit spec/ });
    await waitFor(() => expect(edit).toBeEnabled());
    await userEvent.click(edit);
    const editor = await screen.findByTestId('kratix-spec-editor');
    // the form validates against the schema: team is required
    await userEvent.clear(await within(editor).findByLabelText(/team/));
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(api.manageCalls).toEqual([]);

    await userEvent.click(within(editor).getByRole('tab', { name: 'YAML' }));
    const yaml = within(editor).getByLabelText('spec (YAML)');
    await userEvent.clear(yaml);
    await userEvent.type(yaml, 'team: search\nsize: large');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(api.manageCalls[0]?.request).toEqual({
        spec: { team: 'search', size: 'large' },
        resourceVersion: '7',
      }),
    );
  });

  it('says plainly when the Resource changed meanwhile (409), and loads the latest', async () => {
    const api = new FakeKratixApi(
      async () => response([redisView('reconciled')]),
      details(['7', '8']),
    );
    const conflict = await httpError(
      409,
      'The Resource changed since version 7',
      'ConflictError',
    );
    api.manage = async () => {
      throw conflict;
    };
    const { manage, alerts } = await renderManage({ api });
    const edit = within(manage).getByRole('button', { name: /Edit spec/ });
    await waitFor(() => expect(edit).toBeEnabled());
    await userEvent.click(edit);
    const editor = await screen.findByTestId('kratix-spec-editor');
    await within(editor).findByLabelText(/team/);
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(
      await within(editor).findByText(
        /Someone changed this Resource since you opened the editor/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('dialog')).toHaveTextContent('Based on version 7');
    // shown in place, not as a transient alert
    expect(alerts).toEqual([]);
    const calls = api.detailsCalls.length;
    await userEvent.click(
      within(editor).getByRole('button', { name: 'Load the latest spec' }),
    );
    await waitFor(() =>
      expect(screen.getByRole('dialog')).toHaveTextContent(
        'Based on version 8',
      ),
    );
    expect(api.detailsCalls.length).toBe(calls + 1);
    expect(
      within(editor).queryByText(
        /Someone changed this Resource since you opened the editor/,
      ),
    ).toBeNull();
  });

  it('shows which field the platform refused (400)', async () => {
    const api = new FakeKratixApi(
      async () => response([redisView('reconciled')]),
      details(['7']),
    );
    const refused = await httpError(
      400,
      'spec.size: Unsupported value: "huge"',
      'InputError',
    );
    api.manage = async () => {
      throw refused;
    };
    const { manage } = await renderManage({ api });
    const edit = within(manage).getByRole('button', { name: /Edit spec/ });
    await waitFor(() => expect(edit).toBeEnabled());
    await userEvent.click(edit);
    const editor = await screen.findByTestId('kratix-spec-editor');
    await within(editor).findByLabelText(/team/);
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(
      await within(editor).findByText(/The platform refused this spec/),
    ).toBeInTheDocument();
    expect(editor).toHaveTextContent('spec.size: Unsupported value: "huge"');
    expect(editor).not.toHaveTextContent('Request failed');
  });
});
