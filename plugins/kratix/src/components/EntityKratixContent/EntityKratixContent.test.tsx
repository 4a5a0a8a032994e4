import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  MockPermissionApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  kratixEntityTabPath,
  toResourceView,
  type EntityResourcesResponse,
  type KratixTimelineEntry,
  type ResourceDetailsResponse,
} from '@kratix-backstage/plugin-kratix-common';
import { KratixAccessLostError, kratixApiRef } from '../../api/KratixApi';
import {
  compactEntity,
  fixtureStatus,
  linkedEntity,
  plainEntity,
  redisApi,
  redisObject,
  redisView,
  response,
  STATUS,
} from '../../__fixtures__';
import { FakeKratixApi, httpError } from '../../__fixtures__/FakeKratixApi';
import {
  WORK_NAME,
  misplacedWork,
  redisWithWorks,
  work,
} from '../../__fixtures__/works';
import {
  EntityKratixContent,
  EntityKratixContentView,
  type EntityKratixContentProps,
} from './EntityKratixContent';

// The app renders Backstage's whole component tree per test; on a loaded two-core CI machine the
// heavier cases (50 Resources, 500 timeline entries) need more than Jest's default 5 s.
jest.setTimeout(30_000);

const never = () => new Promise<EntityResourcesResponse>(() => {});

async function renderContent(
  api: FakeKratixApi,
  entity = compactEntity,
  routeEntries?: string[],
  props: EntityKratixContentProps = {},
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [kratixApiRef, api],
        [permissionApiRef, new MockPermissionApi()],
      ]}
    >
      <EntityKratixContentView entity={entity} {...props} />
    </TestApiProvider>,
    { routeEntries },
  );
}

/**
 * A Resource's detail, opened from its overview row as a user does unless it opened by itself
 * (one or two Resources open expanded).
 */
async function openResource(name: string, promise = 'redis') {
  const row = await screen.findByRole('row', { name: `${name} (${promise})` });
  if (row.getAttribute('aria-expanded') !== 'true') await userEvent.click(row);
  // The detail unfolds in the row after the Resource's own.
  await waitFor(() =>
    expect(row.nextElementSibling).toHaveAttribute(
      'data-testid',
      'kratix-resource-detail',
    ),
  );
  return within(row.nextElementSibling as HTMLElement).getByTestId(
    'kratix-resource-panel',
  );
}

const detailsFor =
  (
    statusFile: keyof typeof STATUS,
    timeline: KratixTimelineEntry[],
  ): (() => Promise<ResourceDetailsResponse>) =>
  async () => ({
    resource: redisView(statusFile),
    object: redisObject(fixtureStatus(STATUS[statusFile])),
    timeline,
    works: [],
  });

describe('EntityKratixContent', () => {
  it('explains how to request or link Resources when the entity has none', async () => {
    const api = new FakeKratixApi(async () => response([]));
    await renderContent(api, plainEntity);
    expect(
      await screen.findByText('No Kratix Resources for this entity yet'),
    ).toBeInTheDocument();
  });

  it('shows what was requested for an entity that claims nothing: the platform says it is its own', async () => {
    const requested = {
      ...redisView('reconciled'),
      name: 'requested-cache',
      link: 'platform' as const,
    };
    await renderContent(
      new FakeKratixApi(async () => response([requested])),
      plainEntity,
    );
    expect(
      await screen.findByRole('row', { name: 'requested-cache (redis)' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByText('No Kratix Resources for this entity yet'),
    ).toBeNull();
  });

  it('shows progress while loading', async () => {
    await renderContent(new FakeKratixApi(never));
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it.each([
    [401, 'Sign in to see this entity’s Kratix Resources'],
    // A 403 names whom to ask, with no retry: LoadError.test.tsx.
    [404, 'This entity was not found'],
    [503, 'Kratix is unavailable'],
  ])('explains a %s from the backend', async (status, title) => {
    const error = await httpError(status, 'backend said no');
    await renderContent(new FakeKratixApi(() => Promise.reject(error)));
    expect(await screen.findByText(title)).toBeInTheDocument();
    expect(screen.getByText(/backend said no/)).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Try again' }),
    ).toBeInTheDocument();
  });

  it('shows other errors in an error panel', async () => {
    await renderContent(
      new FakeKratixApi(() => Promise.reject(new TypeError('Failed to fetch'))),
    );
    expect(
      await screen.findByText(/Could not load Kratix Resources/),
    ).toBeInTheDocument();
  });

  it('says when there is nothing to show', async () => {
    await renderContent(new FakeKratixApi(async () => response([])));
    expect(
      await screen.findByText('No Kratix Resources to show'),
    ).toBeInTheDocument();
  });

  it('shows a banner per cluster that is down, next to what other clusters returned', async () => {
    const api = new FakeKratixApi(async () =>
      response([redisView('reconciled')], {
        errors: [
          {
            cluster: 'platform-eu',
            type: 'unreachable',
            message: 'connect ECONNREFUSED 10.0.0.1:6443',
          },
          {
            cluster: 'platform-us',
            type: 'forbidden',
            message: 'redis.marketplace.kratix.io is forbidden',
          },
          {
            cluster: 'platform-ap',
            type: 'timeout',
            message: 'timed out after 10s',
          },
        ],
        refErrors: [
          {
            ref: {
              cluster: 'platform',
              promise: 'redis',
              namespace: 'default',
              name: 'gone',
            },
            reason: 'not-found',
            message: 'redis default/gone does not exist',
          },
        ],
        annotationErrors: [
          '"redis/x" is not [<cluster>:]<promise>/<namespace>/<name>',
        ],
      }),
    );
    await renderContent(api);
    expect(
      await screen.findByText(/Cluster platform-eu is unreachable/),
    ).toBeInTheDocument();
    expect(screen.getByText(/ECONNREFUSED/)).toBeInTheDocument();
    expect(
      screen.getByText(
        /Cluster platform-us does not allow Backstage to read these Resources/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Cluster platform-ap did not answer in time/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Resource platform:redis\/default\/gone: not found/),
    ).toBeInTheDocument();
    expect(screen.getByText(/could not be read/)).toBeInTheDocument();
    // the Resource from the healthy cluster is still shown
    expect(screen.getByTestId('kratix-row-message')).toHaveTextContent(
      'Pending',
    );
  });

  it('shows a reconciled Resource (current Kratix conditions)', async () => {
    const api = new FakeKratixApi(
      async () =>
        response([
          redisView('reconciled', {
            annotations: {
              'kratix.backstage.io/requested-by': 'user:default/jane',
            },
          }),
        ]),
      detailsFor('reconciled', []),
    );
    await renderContent(api);
    const panel = await openResource('example');
    // header
    expect(within(panel).getByText('example')).toBeInTheDocument();
    // The Promise, once: its kind is in the chip beside the name.
    expect(within(panel).getByText('redis')).toBeInTheDocument();
    expect(within(panel).queryByText('redis (redis)')).toBeNull();
    expect(within(panel).getByText('default')).toBeInTheDocument();
    expect(within(panel).getByText('platform')).toBeInTheDocument();
    expect(within(panel).getByText('user:default/jane')).toBeInTheDocument();
    // the docs fixture has no message: kubectl shows Pending; the state comes from Reconciled
    expect(
      within(panel).getByTestId('kratix-status-message'),
    ).toHaveTextContent(/^Pending$/);
    expect(within(panel).getByTestId('kratix-state')).toHaveAttribute(
      'data-state',
      'ready',
    );
    expect(
      within(panel).getByText(/Reconciled: True \(Reconciled\)/),
    ).toBeInTheDocument();
    // every condition, workflow-completion first
    const rows = within(panel)
      .getAllByRole('row')
      .map(r => r.textContent ?? '');
    const types = [
      'ConfigureWorkflowCompleted',
      'Reconciled',
      'WorksSucceeded',
    ];
    const order = types.map(t => rows.findIndex(r => r.startsWith(t)));
    expect(order.every(i => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(
      within(panel).getByText(
        'All works associated with this resource are ready',
      ),
    ).toBeInTheDocument();
  });

  it('shows a first request in progress', async () => {
    await renderContent(
      new FakeKratixApi(async () => response([redisView('firstRequest')])),
    );
    const panel = await openResource('example');
    expect(
      within(panel).getByTestId('kratix-status-message'),
    ).toHaveTextContent('Pending');
    expect(within(panel).getByTestId('kratix-state')).toHaveAttribute(
      'data-state',
      'in-progress',
    );
    expect(
      within(panel).getAllByText('PipelinesInProgress').length,
    ).toBeGreaterThan(0);
  });

  it('shows a Resource from Kratix before October 2024 (PipelineCompleted)', async () => {
    await renderContent(
      new FakeKratixApi(async () => response([redisView('legacyElastic')])),
    );
    const panel = await openResource('example');
    expect(
      within(panel).getByTestId('kratix-status-message'),
    ).toHaveTextContent(
      'Instance example provisioned with preconfigured system metrics',
    );
    expect(within(panel).getByTestId('kratix-state')).toHaveAttribute(
      'data-state',
      'ready',
    );
    expect(
      within(panel).getByText(/PipelineCompleted: True/),
    ).toBeInTheDocument();
    // the Secret name is a name, never resolved
    const secret = within(panel).getByTestId('kratix-secret-name');
    expect(secret).toHaveTextContent('example-es-elastic-user');
    expect(within(panel).getByText('username')).toBeInTheDocument();
  });

  it('labels Resources on the sandbox platform as such, and only those', async () => {
    const onSandbox = { ...redisView('legacyElastic'), cluster: 'sandbox' };
    await renderContent(
      new FakeKratixApi(async () =>
        response([onSandbox], {
          clusters: [
            { name: 'platform', sandbox: false },
            { name: 'sandbox', title: 'Sandbox platform', sandbox: true },
          ],
        }),
      ),
    );
    // One cluster: the row names the Promise and namespace only; the detail says sandbox.
    expect(
      (await screen.findAllByTestId('kratix-row-where')).map(
        el => el.textContent,
      ),
    ).toEqual(['redis · default']);
    const panel = await openResource('example');
    expect(within(panel).getByText('Sandbox platform')).toBeInTheDocument();
  });

  it('names the cluster in a row, once, only when the Resources span several', async () => {
    await renderContent(
      new FakeKratixApi(async () =>
        response(
          [
            { ...redisView('legacyElastic'), cluster: 'sandbox' },
            { ...redisView('reconciled'), cluster: 'platform' },
          ],
          {
            clusters: [
              { name: 'platform', sandbox: false },
              { name: 'sandbox', title: 'Sandbox platform', sandbox: true },
            ],
          },
        ),
      ),
    );
    const where = (await screen.findAllByTestId('kratix-row-where')).map(
      el => el.textContent ?? '',
    );
    expect(where).toHaveLength(2);
    expect(where).toContain('redis · default · sandbox (sandbox platform)');
    expect(where.some(w => w.endsWith(' · platform'))).toBe(true);
  });

  it('says a thing once and nothing when there is nothing to say', async () => {
    await renderContent(
      new FakeKratixApi(async () =>
        response([{ ...redisView('legacyElastic'), requestedBy: undefined }]),
      ),
    );
    const panel = await openResource('example');
    // The Promise is named once (its kind is in the chip beside the name), no empty requester,
    // no Kratix-release jargon.
    expect(within(panel).queryByText(/^redis \(/)).toBeNull();
    expect(within(panel).queryByText(/not recorded/)).toBeNull();
    expect(within(panel).queryByText('Requested by')).toBeNull();
    expect(within(panel).queryByText(/before October 2024/)).toBeNull();
  });

  it('sums up a run on Kratix before the workflow counters (PipelineCompleted)', async () => {
    await renderContent(
      new FakeKratixApi(async () => response([redisView('legacyElastic')])),
    );
    const row = await screen.findByRole('row', { name: 'example (redis)' });
    expect(
      within(row).getByRole('cell', { name: 'Last run succeeded' }),
    ).toBeInTheDocument();
  });

  it('does not label Resources on real clusters as sandbox', async () => {
    await renderContent(
      new FakeKratixApi(async () => response([redisView('legacyElastic')])),
    );
    const panel = await openResource('example');
    expect(within(panel).queryByText('Sandbox platform')).toBeNull();
  });

  it('shows pipelines in progress', async () => {
    await renderContent(
      new FakeKratixApi(async () =>
        response([redisView('pipelinesInProgress')]),
      ),
    );
    // the overview row sums the pipelines up
    expect(
      await screen.findByRole('cell', { name: '1 of 3 succeeded' }),
    ).toBeInTheDocument();
    await openResource('example');
    const pipelines = await screen.findByTestId('kratix-pipelines');
    expect(
      within(pipelines).getByText('Pipelines: 1 of 3 succeeded'),
    ).toBeInTheDocument();
    for (const name of [
      'resource-pipeline0',
      'resource-pipeline1',
      'resource-pipeline2',
    ]) {
      expect(within(pipelines).getByText(name)).toBeInTheDocument();
    }
    expect(within(pipelines).getByText(/^Running/)).toBeInTheDocument();
  });

  it('shows a failed and a paused Resource', async () => {
    const failed = redisView(undefined, {
      name: 'broken',
    });
    failed.state = 'failed';
    failed.conditions = [
      {
        type: 'ConfigureWorkflowCompleted',
        status: 'False',
        reason: 'ConfigureWorkflowFailed',
        message: 'A Configure Pipeline has failed: instance-configure',
        lastTransitionTime: '2026-11-25T10:00:00Z',
      },
    ];
    const paused = redisView('reconciled', {
      name: 'held',
      labels: { 'kratix.io/paused': 'true' },
    });
    await renderContent(
      new FakeKratixApi(async () => response([failed, paused])),
    );
    const states = await screen.findAllByTestId('kratix-state');
    expect(states.map(s => s.getAttribute('data-state'))).toEqual(
      expect.arrayContaining(['failed', 'paused']),
    );
    // the failed Resource opens by itself
    expect(
      screen.getAllByText(/A Configure Pipeline has failed/).length,
    ).toBeGreaterThan(0);
    await openResource('held');
    expect(
      screen.getAllByText(/kratix.io\/paused=true/).length,
    ).toBeGreaterThan(0);
  });

  it('leads a failed Resource’s row and detail with the failing condition’s message, not "Pending"', async () => {
    const failed = toResourceView(
      redisApi,
      redisObject(
        {
          message: 'Pending',
          conditions: [
            {
              type: 'Reconciled',
              status: 'False',
              reason: 'ConfigureWorkflowFailed',
              message: 'Failing',
              lastTransitionTime: '2026-03-06T16:15:00Z',
            },
            {
              type: 'ConfigureWorkflowCompleted',
              status: 'False',
              reason: 'ConfigureWorkflowFailed',
              message:
                'Job has reached the specified deadline: timed out after 900s',
              lastTransitionTime: '2026-03-06T16:15:00Z',
            },
          ],
        },
        { name: 'broken' },
      ),
    );
    await renderContent(new FakeKratixApi(async () => response([failed])));
    const row = await screen.findByRole('row', { name: 'broken (redis)' });
    const cell = within(row).getByTestId('kratix-row-message');
    expect(within(cell).getByTestId('kratix-row-reason')).toHaveTextContent(
      /^Job has reached the specified deadline: timed out after 900s/,
    );
    // Kratix's "Pending" placeholder is not shown next to the reason.
    expect(cell).not.toHaveTextContent('Pending');
    const panel = await openResource('broken');
    const reason = within(panel).getByTestId('kratix-state-reason');
    expect(reason).toHaveTextContent(
      /Why it is failed\s*Job has reached the specified deadline: timed out after 900s/,
    );
    // The reason comes before the status message, at the top of the detail.
    expect(
      reason.compareDocumentPosition(
        within(panel).getByTestId('kratix-status-message'),
      ) & Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
  });

  it('says who paused a Resource and when, from its timeline', async () => {
    const paused = redisView('reconciled', {
      name: 'held',
      labels: { 'kratix.io/paused': 'true' },
    });
    await renderContent(
      new FakeKratixApi(
        async () => response([paused]),
        async () => ({
          resource: paused,
          object: redisObject(fixtureStatus(STATUS.reconciled), {
            name: 'held',
          }),
          timeline: [
            {
              time: '2026-03-06T12:00:00Z',
              source: 'action',
              title: 'Paused',
              status: 'user:default/bob',
            },
          ],
          works: [],
        }),
      ),
    );
    const row = await screen.findByRole('row', { name: 'held (redis)' });
    expect(within(row).getByTestId('kratix-row-reason')).toHaveTextContent(
      'Paused: Kratix does not reconcile it until it is resumed',
    );
    const panel = await openResource('held');
    await waitFor(() =>
      expect(
        within(panel).getByTestId('kratix-state-reason'),
      ).toHaveTextContent(/by user:default\/bob · since /),
    );
  });

  it('renders custom status keys as a structured table', async () => {
    await renderContent(
      new FakeKratixApi(async () =>
        response([
          redisView('database'),
          redisView('multiPipeline', { name: 'iam' }),
        ]),
      ),
    );
    let table = within(
      within(await openResource('example')).getByTestId('kratix-extra-status'),
    );
    expect(table.getByText('connectionDetails')).toBeInTheDocument();
    expect(table.getByText('host')).toBeInTheDocument();
    expect(table.getByText('example.com')).toBeInTheDocument();
    table = within(
      within(await openResource('iam')).getByTestId('kratix-extra-status'),
    );
    expect(table.getByText('iam')).toBeInTheDocument();
    expect(table.getByText('<vault-ref>')).toBeInTheDocument();
    expect(screen.queryByText(/"host"/)).not.toBeInTheDocument(); // not dumped as JSON
  });

  it('updates by itself when the Resource changes, and says when data is stale', async () => {
    const api = new FakeKratixApi(async () =>
      response([redisView('firstRequest')]),
    );
    await renderContent(api);
    await openResource('example');
    expect(
      await screen.findByTestId('kratix-status-message'),
    ).toHaveTextContent('Pending');
    expect(screen.getByTestId('kratix-live-status')).toHaveTextContent(
      'Connecting',
    );

    act(() => api.push(response([redisView('legacyElastic')])));
    expect(screen.getByTestId('kratix-status-message')).toHaveTextContent(
      'Instance example provisioned with preconfigured system metrics',
    );
    expect(screen.getByTestId('kratix-live-status')).toHaveTextContent('Live');

    act(() =>
      api.fail({
        error: new Error('The live update stream was closed'),
        retrying: true,
        nextAttemptAt: new Date(Date.now() + 4000),
      }),
    );
    expect(screen.getByTestId('kratix-live-status')).toHaveTextContent(
      /interrupted, reconnecting in \ds\..*may be stale/,
    );
    // the last data stays on screen
    expect(screen.getByTestId('kratix-status-message')).toHaveTextContent(
      'Instance example',
    );

    act(() => api.push(response([redisView('reconciled')])));
    expect(screen.getByTestId('kratix-live-status')).toHaveTextContent(
      /^Live$/,
    );
  });

  it('offers to reconnect when live updates cannot resume by themselves', async () => {
    const api = new FakeKratixApi(async () =>
      response([redisView('reconciled')]),
    );
    await renderContent(api);
    await screen.findByTestId('kratix-row-message');
    act(() => api.fail({ error: await403(), retrying: false }));
    expect(screen.getByTestId('kratix-live-status')).toHaveTextContent(
      'Live updates stopped',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Reconnect' }));
    await waitFor(() => expect(api.watchers).toHaveLength(1));
  });

  it('stops showing Resources when the live stream says access was lost', async () => {
    const api = new FakeKratixApi(async () =>
      response([redisView('reconciled')]),
    );
    await renderContent(api);
    await screen.findByTestId('kratix-row-message');
    act(() =>
      api.fail({
        error: new KratixAccessLostError(
          'You may not read the Kratix Resources of component:default/shop',
        ),
        retrying: false,
      }),
    );
    expect(
      await screen.findByText(
        'You are not allowed to see this entity’s Kratix Resources',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('kratix-overview')).toBeNull();
  });

  it('draws the timeline, workflow completion first, with run durations and time in state', async () => {
    const timeline: KratixTimelineEntry[] = [
      {
        time: '2026-11-25T09:00:00Z',
        source: 'resource',
        title: 'Created',
        generation: 1,
      },
      {
        time: '2026-11-25T09:00:01Z',
        source: 'condition',
        title: 'Reconciled',
        status: 'Unknown',
        reason: 'WorkflowPending',
        message: 'Pending',
      },
      {
        time: '2026-11-25T09:00:01Z',
        source: 'condition',
        title: 'ConfigureWorkflowCompleted',
        status: 'False',
        reason: 'PipelinesInProgress',
        message: 'Pipelines are still in progress',
      },
      {
        time: '2026-11-25T09:00:02Z',
        source: 'job',
        title: 'instance-configure',
        status: 'Succeeded',
        endTime: '2026-11-25T09:01:14Z',
        durationMs: 72000,
      },
      {
        time: '2026-11-25T09:01:15Z',
        source: 'condition',
        title: 'ConfigureWorkflowCompleted',
        status: 'True',
        reason: 'PipelinesExecutedSuccessfully',
        message: 'Pipelines completed',
      },
      {
        time: '2026-11-25T09:01:20Z',
        source: 'condition',
        title: 'Reconciled',
        status: 'True',
        reason: 'Reconciled',
        message: 'Reconciled',
      },
    ];
    const view = redisView('reconciled');
    view.conditions = view.conditions.map(c => ({
      ...c,
      lastTransitionTime: '2026-11-25T09:01:20Z',
    }));
    await renderContent(
      new FakeKratixApi(
        async () => response([view]),
        detailsFor('reconciled', timeline),
      ),
    );
    await openResource('example');
    await screen.findByText('Last workflow run took 1m 12s');
    const lanes = screen
      .getAllByTestId('kratix-timeline-lane')
      .map(l => l.textContent);
    expect(lanes[0]).toMatch(/^ConfigureWorkflowCompleted/);
    expect(lanes[1]).toMatch(/^instance-configure/);
    expect(lanes).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Reconciled/)]),
    );
    expect(screen.getByText(/^Ready for \d/)).toBeInTheDocument();
    expect(screen.getByText('6 entries · 1 workflow run')).toBeInTheDocument();
    expect(screen.getAllByText('1m 12s').length).toBeGreaterThan(0);
  });

  it('falls back to the conditions’ last transitions when the history cannot be loaded', async () => {
    await renderContent(
      new FakeKratixApi(async () => response([redisView('reconciled')])),
    );
    await openResource('example');
    expect(
      await screen.findByText(/The history could not be loaded/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/the full history is not available/),
    ).toBeInTheDocument();
    expect(screen.getAllByTestId('kratix-timeline-lane')[0]).toHaveTextContent(
      /^ConfigureWorkflowCompleted/,
    );
  });

  it('shows the raw YAML on demand', async () => {
    await renderContent(
      new FakeKratixApi(
        async () => response([redisView('database')]),
        detailsFor('database', []),
      ),
    );
    await openResource('example');
    await userEvent.click(screen.getByRole('button', { name: 'YAML' }));
    const dialog = await screen.findByRole('dialog');
    await waitFor(() =>
      expect(dialog).toHaveTextContent(
        'apiVersion: marketplace.kratix.io/v1alpha1',
      ),
    );
    expect(dialog).toHaveTextContent('connectionDetails:');
    expect(dialog).toHaveTextContent('host: example.com');
  });

  it('stays usable with 50 Resources and 500 timeline entries', async () => {
    const items = Array.from({ length: 50 }, (_, i) =>
      redisView(
        (['reconciled', 'pipelinesInProgress', 'legacyElastic'] as const)[
          i % 3
        ],
        {
          name: `redis-${String(i).padStart(2, '0')}`,
        },
      ),
    );
    const start = Date.parse('2026-11-20T00:00:00Z');
    const timeline: KratixTimelineEntry[] = Array.from(
      { length: 500 },
      (_, i) =>
        i % 5 === 4
          ? {
              time: new Date(start + i * 600_000).toISOString(),
              source: 'job',
              title: `pipeline-${i % 3}`,
              status: 'Succeeded',
              durationMs: 90_000,
            }
          : {
              time: new Date(start + i * 600_000).toISOString(),
              source: 'condition',
              title: [
                'ConfigureWorkflowCompleted',
                'Reconciled',
                'WorksSucceeded',
                'custom.example.com/Ready',
              ][i % 4],
              status: i % 2 ? 'True' : 'False',
              reason: i % 2 ? 'Done' : 'PipelinesInProgress',
            },
    );
    const api = new FakeKratixApi(
      async () => response(items),
      detailsFor('reconciled', timeline),
    );
    await renderContent(api);
    const resources = await screen.findAllByTestId('kratix-resource');
    // a page of 25 rows, the other 25 one click away
    expect(resources).toHaveLength(25);
    for (let i = 0; i < 25; i++) {
      expect(
        screen.getByText(`redis-${String(i).padStart(2, '0')}`),
      ).toBeInTheDocument();
    }
    expect(screen.getByText('1-25 of 50')).toBeInTheDocument();
    // a compact overview: no Resource failed, so none opens and no details are requested
    expect(screen.queryByTestId('kratix-resource-panel')).toBeNull();
    expect(api.detailsCalls).toHaveLength(0);
    await userEvent.click(screen.getByText('redis-01'));
    await screen.findByText('500 entries · 100 workflow runs');
    // the history table shows ten rows a page
    expect(screen.getAllByText('1-10 of 500').length).toBeGreaterThan(0);
    // 4 condition types (one of them pipeline-written) + 3 pipelines
    expect(screen.getAllByTestId('kratix-timeline-lane')).toHaveLength(7);
    expect(screen.getAllByTestId('kratix-timeline-lane')[0]).toHaveTextContent(
      /^ConfigureWorkflowCompleted/,
    );
  });

  describe('overview', () => {
    // As Kratix writes a Resource whose Promise's required Promises are missing (sandbox team-database/orders).
    const blockedView = () => {
      const status = {
        message: 'Pending',
        conditions: [
          {
            type: 'PromiseAvailable',
            status: 'False',
            reason: 'PromiseRequirementsNotInstalled',
            message: 'Promise Requirements are not installed',
            lastTransitionTime: '2026-03-06T16:00:00Z',
          },
        ],
      };
      return toResourceView(
        {
          ...redisApi,
          promise: 'team-database',
          kind: 'TeamDatabase',
        },
        redisObject(status, { name: 'orders' }),
      );
    };
    const failedView = (name: string) =>
      toResourceView(
        redisApi,
        redisObject(
          {
            message: 'Pending',
            conditions: [
              {
                type: 'Reconciled',
                status: 'False',
                reason: 'ConfigureWorkflowFailed',
                message: 'Failing',
                lastTransitionTime: '2026-03-06T16:00:00Z',
              },
            ],
          },
          { name },
        ),
      );

    it('shows one row per Resource with blocked, deleting and health states', async () => {
      const deleting = redisView('reconciled', {
        name: 'leaving',
        deletionTimestamp: '2026-03-06T17:00:00Z',
      });
      const healthy = toResourceView(
        redisApi,
        redisObject(
          {
            ...fixtureStatus(STATUS.reconciled),
            healthRecord: {
              state: 'degraded',
              lastRun: 1772812800,
              details: { replicas: '2 of 3 ready' },
            },
          },
          { name: 'checked' },
        ),
      );
      await renderContent(
        new FakeKratixApi(async () =>
          response([blockedView(), deleting, healthy]),
        ),
      );
      const rows = await screen.findAllByTestId('kratix-resource');
      expect(rows).toHaveLength(3);
      const stateOf = (row: HTMLElement) =>
        within(row).getByTestId('kratix-state').getAttribute('data-state');
      expect(rows.map(stateOf)).toEqual(['blocked', 'deleting', 'ready']);
      expect(within(rows[0]).getByText('Blocked')).toBeInTheDocument();
      expect(
        within(rows[0]).getByText('team-database · default'),
      ).toBeInTheDocument();
      expect(within(rows[1]).getByText('Deleting')).toBeInTheDocument();
      expect(within(rows[2]).getByTestId('kratix-health')).toHaveAttribute(
        'data-health',
        'degraded',
      );
      expect(screen.getByTestId('kratix-state-counts')).toHaveTextContent(
        '1 blocked1 deleting1 ready',
      );
      // nothing failed: nothing opens
      expect(screen.queryByTestId('kratix-resource-panel')).toBeNull();

      // the detail explains the block, and has a health section
      const panel = await openResource('orders', 'team-database');
      expect(
        within(panel).getByTestId('kratix-state-reason'),
      ).toHaveTextContent(
        'Waiting for the Promises that the team-database Promise requires to be installed',
      );
      expect(
        within(rows[0]).getByTestId('kratix-row-reason'),
      ).toHaveTextContent(
        'Waiting for the Promises that the team-database Promise requires',
      );
      expect(
        within(rows[1]).getByTestId('kratix-row-reason'),
      ).toHaveTextContent(
        'Being deleted: Kratix is running the delete workflow',
      );
      expect(within(rows[2]).queryByTestId('kratix-row-reason')).toBeNull();
      expect(
        within(panel).getByTestId('kratix-condition-summary'),
      ).toHaveTextContent(
        'PromiseAvailable: False (PromiseRequirementsNotInstalled)',
      );
      await openResource('checked');
      const health = await screen.findByTestId('kratix-health-section');
      expect(health).toHaveTextContent('degraded');
      expect(within(health).getByText('2 of 3 ready')).toBeInTheDocument();
    });

    it('opens the first failed Resource by default, and only that one', async () => {
      const api = new FakeKratixApi(async () =>
        response([
          redisView('reconciled'),
          failedView('first-broken'),
          failedView('second-broken'),
        ]),
      );
      await renderContent(api);
      const panels = await screen.findAllByTestId('kratix-resource-panel');
      expect(panels).toHaveLength(1);
      expect(
        within(panels[0]).getByRole('heading', { name: 'first-broken' }),
      ).toBeInTheDocument();
      await waitFor(() =>
        expect(api.detailsCalls.map(k => k.name)).toEqual(['first-broken']),
      );
    });

    it('with more than two Resources, opens one on a row click, and closes it on a second click', async () => {
      const api = new FakeKratixApi(async () =>
        response([
          redisView('reconciled'),
          redisView('database', { name: 'db' }),
          redisView('reconciled', { name: 'third' }),
        ]),
      );
      await renderContent(api);
      expect(await screen.findAllByTestId('kratix-resource')).toHaveLength(3);
      expect(screen.queryByTestId('kratix-resource-panel')).toBeNull();
      const panel = await openResource('db');
      expect(
        within(panel).getByRole('heading', { name: 'db' }),
      ).toBeInTheDocument();
      expect(screen.getByRole('row', { name: 'db (redis)' })).toHaveAttribute(
        'aria-expanded',
        'true',
      );
      await userEvent.click(screen.getByRole('row', { name: 'db (redis)' }));
      expect(screen.queryByTestId('kratix-resource-panel')).toBeNull();
    });

    it('opens the Resource a link names (the link search and the scaffolder build)', async () => {
      const link = new URL(
        kratixEntityTabPath('component:default/compact', {
          cluster: 'platform',
          promise: 'redis',
          namespace: 'default',
          name: 'db',
        }),
        'http://app',
      );
      expect(link.search).toBe('?resource=platform%2Fdefault%2Fredis%2Fdb');
      await renderContent(
        new FakeKratixApi(async () =>
          response([
            failedView('broken'),
            redisView('database', { name: 'db' }),
          ]),
        ),
        compactEntity,
        [`/${link.search}`],
      );
      const panels = await screen.findAllByTestId('kratix-resource-panel');
      expect(panels).toHaveLength(1);
      expect(
        within(panels[0]).getByRole('heading', { name: 'db' }),
      ).toBeInTheDocument();
    });

    it('still opens the Resource an older link names by its kratix-resource ref', async () => {
      await renderContent(
        new FakeKratixApi(async () =>
          response([
            failedView('broken'),
            redisView('database', { name: 'db' }),
          ]),
        ),
        compactEntity,
        [`/?resource=${encodeURIComponent('platform:redis/default/db')}`],
      );
      const panels = await screen.findAllByTestId('kratix-resource-panel');
      expect(panels).toHaveLength(1);
      expect(
        within(panels[0]).getByRole('heading', { name: 'db' }),
      ).toBeInTheDocument();
    });

    it('highlights a row whose state a live update changed', async () => {
      const api = new FakeKratixApi(async () =>
        response([
          redisView('firstRequest'),
          redisView('reconciled', { name: 'steady' }),
        ]),
      );
      await renderContent(api);
      const rows = await screen.findAllByTestId('kratix-resource');
      expect(rows[0]).not.toHaveAttribute('data-highlighted');
      act(() =>
        api.push(
          response([
            redisView('legacyElastic'),
            redisView('reconciled', { name: 'steady' }),
          ]),
        ),
      );
      const [changed, steady] = screen.getAllByTestId('kratix-resource');
      expect(changed).toHaveAttribute('data-highlighted', 'true');
      expect(within(changed).getByTestId('kratix-state')).toHaveAttribute(
        'data-state',
        'ready',
      );
      expect(steady).not.toHaveAttribute('data-highlighted');
    });
  });

  describe('with one or two Resources', () => {
    // search-service, the tutorial's entity: one elastic-cloud Resource whose workflow wrote its
    // login details, on Kratix before October 2024.
    const searchServiceResource = () =>
      redisView(
        'legacyElastic',
        {},
        { promise: 'elastic-cloud', kind: 'ElasticCloud' },
      );

    it('opens a lone Resource expanded: the whole message, status keys and conditions with no click', async () => {
      await renderContent(
        new FakeKratixApi(async () => response([searchServiceResource()])),
      );
      const row = await screen.findByRole('row', {
        name: 'example (elastic-cloud)',
      });
      expect(row).toHaveAttribute('aria-expanded', 'true');
      const panel = await screen.findByTestId('kratix-resource-panel');
      expect(
        within(panel).getByTestId('kratix-status-message'),
      ).toHaveTextContent(
        /^Instance example provisioned with preconfigured system metrics$/,
      );
      const extra = within(within(panel).getByTestId('kratix-extra-status'));
      expect(extra.getByText('initialLoginDetails')).toBeInTheDocument();
      expect(extra.getByText('username')).toBeInTheDocument();
      expect(extra.getByText('elastic')).toBeInTheDocument();
      expect(
        within(panel).getAllByText('PipelineCompleted').length,
      ).toBeGreaterThan(0);
      // The row's message wraps rather than being cut with an ellipsis.
      expect(screen.getByTestId('kratix-row-message')).toHaveStyle({
        whiteSpace: 'normal',
      });
      expect(screen.getByTestId('kratix-row-message')).not.toHaveStyle({
        textOverflow: 'ellipsis',
      });
    });

    it('opens both of two Resources, and a click closes only that one', async () => {
      await renderContent(
        new FakeKratixApi(async () =>
          response([
            searchServiceResource(),
            redisView('database', { name: 'db' }),
          ]),
        ),
      );
      await waitFor(() =>
        expect(screen.getAllByTestId('kratix-resource-panel')).toHaveLength(2),
      );
      await userEvent.click(screen.getByRole('row', { name: 'db (redis)' }));
      expect(screen.getAllByTestId('kratix-resource-panel')).toHaveLength(1);
      expect(
        screen.getByRole('row', { name: 'example (elastic-cloud)' }),
      ).toHaveAttribute('aria-expanded', 'true');
      expect(screen.getByRole('row', { name: 'db (redis)' })).toHaveAttribute(
        'aria-expanded',
        'false',
      );
    });

    it('takes the threshold from expandUpTo', async () => {
      const three = [
        searchServiceResource(),
        redisView('database', { name: 'db' }),
        redisView('reconciled', { name: 'third' }),
      ];
      const { unmount } = await renderContent(
        new FakeKratixApi(async () => response(three)),
        compactEntity,
        undefined,
        { expandUpTo: 3 },
      );
      await waitFor(() =>
        expect(screen.getAllByTestId('kratix-resource-panel')).toHaveLength(3),
      );
      unmount();
      await renderContent(
        new FakeKratixApi(async () => response([searchServiceResource()])),
        compactEntity,
        undefined,
        { expandUpTo: 0 },
      );
      expect(
        await screen.findByRole('row', { name: 'example (elastic-cloud)' }),
      ).toHaveAttribute('aria-expanded', 'false');
      expect(screen.queryByTestId('kratix-resource-panel')).toBeNull();
    });
  });

  it('reads the entity from the entity page', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            kratixApiRef,
            new FakeKratixApi(async () => response([redisView('database')])),
          ],
          // One Resource opens expanded, and its detail asks what the reader may do.
          [permissionApiRef, new MockPermissionApi()],
        ]}
      >
        <EntityProvider entity={linkedEntity}>
          <EntityKratixContent />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(await screen.findByTestId('kratix-row-message')).toHaveTextContent(
      'Resource provisioned with database size 10Gb',
    );
  });
});

function await403() {
  return Object.assign(new Error('Forbidden'), { name: 'ResponseError' });
}

describe('EntityKratixContent: where it landed', () => {
  it('shows where the Work landed, then names the Work and Destination once the Destination is relabelled', async () => {
    let resource = redisWithWorks('WorksSucceeded');
    let works = [work()];
    const api = new FakeKratixApi(
      async () => response([resource]),
      async () => ({
        resource,
        object: redisObject(undefined),
        timeline: [],
        works,
      }),
    );
    await renderContent(api);
    const panel = await openResource('example');
    const figure = await within(panel).findByRole('figure', {
      name: 'Where it landed',
    });
    expect(
      await within(figure).findByRole('group', {
        name: `${WORK_NAME} → dev-cluster: placed`,
      }),
    ).toBeInTheDocument();
    expect(within(panel).queryByTestId('kratix-works-alert')).toBeNull();

    // The platform team relabels dev-cluster env=prod: Kratix labels the placement misplaced and
    // sets WorksSucceeded False/WorksMisplaced; the live update makes the panel load the details again.
    resource = redisWithWorks('WorksMisplaced', [WORK_NAME]);
    works = [misplacedWork()];
    act(() => api.push(response([resource])));
    // The alert shows at once from the live Resource; it names the Destination once the reloaded
    // details say where the Work went.
    await waitFor(() =>
      expect(within(panel).getByTestId('kratix-works-alert')).toHaveTextContent(
        `Work ${WORK_NAME} is misplaced: Destination dev-cluster's labels (env=prod) no longer match selector env=dev.`,
      ),
    );
    expect(
      await within(figure).findByRole('group', {
        name: `${WORK_NAME} → dev-cluster: misplaced`,
      }),
    ).toHaveTextContent('misplaced');
    expect(api.detailsCalls).toHaveLength(2);
  });
});
