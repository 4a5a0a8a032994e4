import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  MockPermissionApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import type {
  KratixResourceView,
  KratixTimelineEntry,
  KratixWorkflowRun,
} from '@kratix-backstage/plugin-kratix-common';
import { kratixApiRef } from '../../api/KratixApi';
import { redisObject, redisView, response } from '../../__fixtures__';
import { FakeKratixApi } from '../../__fixtures__/FakeKratixApi';
import { ResourcePanel } from '../ResourcePanel';

// The whole panel renders (conditions, timeline, manage actions): more than Jest's 5 s when loaded.
jest.setTimeout(60_000);

/*
 * jsdom lays nothing out, and LogViewer's AutoSizer renders no lines in a box of size 0: the
 * viewer's box gets the size it has in a 1024×800 window.
 */
const layout = HTMLElement.prototype.getBoundingClientRect;
beforeAll(() => {
  jest
    .spyOn(HTMLElement.prototype, 'getBoundingClientRect')
    .mockImplementation(function size(this: HTMLElement) {
      return this.dataset.testid === 'kratix-log-viewer'
        ? ({
            x: 0,
            y: 0,
            top: 0,
            left: 0,
            right: 896,
            bottom: 460,
            width: 896,
            height: 460,
          } as DOMRect)
        : layout.call(this);
    });
});
afterAll(() => jest.restoreAllMocks());

const ENTITY = 'component:default/checkout-service';
const JOB = 'kratix-example-instance-configure-7c1f2';

/** A configure run whose second init container (the pipeline's own) failed, as the backend reads it. */
const failedRun = (
  extra: Partial<KratixWorkflowRun> = {},
): KratixWorkflowRun => ({
  job: JOB,
  pipeline: 'instance-configure',
  action: 'configure',
  phase: 'Failed',
  startedAt: '2026-11-25T10:00:00Z',
  finishedAt: '2026-11-25T10:00:09Z',
  pod: `${JOB}-x8k2p`,
  containers: [
    {
      name: 'reader',
      init: true,
      state: 'terminated',
      exitCode: 0,
      reason: 'Completed',
      lastLine: 'read the Resource',
    },
    {
      name: 'configure-bucket',
      init: true,
      state: 'terminated',
      exitCode: 3,
      reason: 'Error',
      lastLine: 'Error: bucket "orders" already exists',
    },
    {
      name: 'work-writer',
      init: true,
      state: 'waiting',
      reason: 'PodInitializing',
    },
    {
      name: 'status-writer',
      init: false,
      state: 'waiting',
      reason: 'PodInitializing',
    },
  ],
  failedContainer: 'configure-bucket',
  logsAllowed: true,
  ...extra,
});

const failedView = (): KratixResourceView => {
  const view = redisView(undefined);
  view.state = 'failed';
  view.conditions = [
    {
      type: 'ConfigureWorkflowCompleted',
      status: 'False',
      reason: 'ConfigureWorkflowFailed',
      message: 'A Configure Pipeline has failed: instance-configure',
      lastTransitionTime: '2026-11-25T10:00:09Z',
    },
  ];
  view.pipelines = [
    {
      name: 'instance-configure',
      phase: 'Failed',
      lastTransitionTime: '2026-11-25T10:00:09Z',
    },
  ];
  return view;
};

const jobEntry: KratixTimelineEntry = {
  time: '2026-11-25T10:00:00Z',
  source: 'job',
  title: 'instance-configure',
  status: 'Failed',
  endTime: '2026-11-25T10:00:09Z',
  durationMs: 9000,
  job: JOB,
};

function apiFor(view: KratixResourceView, runs: KratixWorkflowRun[]) {
  const api = new FakeKratixApi(
    async () => response([view]),
    async () => ({
      resource: view,
      object: redisObject(undefined),
      timeline: [jobEntry],
      works: [],
    }),
  );
  api.runs = async () => ({ runs });
  return api;
}

async function renderPanel(api: FakeKratixApi, view: KratixResourceView) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [kratixApiRef, api],
        [permissionApiRef, new MockPermissionApi()],
      ]}
    >
      <ResourcePanel
        entityRef={ENTITY}
        resource={view}
        now={Date.parse('2026-11-25T10:05:00Z')}
      />
    </TestApiProvider>,
  );
}

describe('pipeline logs in the Resource panel', () => {
  it('says under the status message which container failed, with its exit code and last line, and opens its full log', async () => {
    const view = failedView();
    const api = apiFor(view, [failedRun()]);
    api.logs = async (_key, query) =>
      query.container === 'configure-bucket'
        ? '\u001b[32mplanning the bucket\u001b[0m\nError: bucket "orders" already exists\n'
        : 'read the Resource\n';
    await renderPanel(api, view);

    const summary = await screen.findByTestId('kratix-failed-run');
    // Right under the status message: the next thing after it.
    const status = screen.getByTestId('kratix-status-message');
    expect(status.compareDocumentPosition(summary)).toBe(
      Node.DOCUMENT_POSITION_FOLLOWING,
    );
    expect(summary).toHaveTextContent(
      'Pipeline instance-configure failed in container configure-bucket, exit code 3.',
    );
    expect(
      within(summary).getByTestId('kratix-failed-run-last-line'),
    ).toHaveTextContent('Error: bucket "orders" already exists');
    expect(api.logsCalls).toEqual([]);

    await userEvent.click(
      within(summary).getByRole('button', { name: /Open the full log/ }),
    );
    const dialog = await screen.findByRole('dialog');
    // One tab per container, in the Pod's order, the failing one open.
    expect(
      within(dialog)
        .getAllByRole('tab')
        .map(t => t.id),
    ).toEqual([
      'kratix-log-tab-reader',
      'kratix-log-tab-configure-bucket',
      'kratix-log-tab-work-writer',
      'kratix-log-tab-status-writer',
    ]);
    expect(
      within(dialog).getByRole('tab', { name: /configure-bucket/ }),
    ).toHaveAttribute('aria-selected', 'true');
    // Backstage's LogViewer shows the log: the colour escape rendered, not printed.
    const viewer = await within(dialog).findByTestId('kratix-log-viewer');
    expect(
      await within(viewer).findByText('planning the bucket'),
    ).toBeInTheDocument();
    expect(
      within(viewer).getByText('Error: bucket "orders" already exists'),
    ).toBeInTheDocument();
    expect(viewer.textContent).not.toContain('\u001b');
    expect(api.logsCalls).toEqual([
      { run: JOB, container: 'configure-bucket' },
    ]);

    await userEvent.click(within(dialog).getByRole('tab', { name: /reader/ }));
    expect(
      await within(dialog).findByText('read the Resource'),
    ).toBeInTheDocument();
    expect(api.logsCalls).toContainEqual({ run: JOB, container: 'reader' });

    // A container that never ran has no log to ask for.
    await userEvent.click(
      within(dialog).getByRole('tab', { name: /work-writer/ }),
    );
    expect(
      within(dialog).getByTestId('kratix-container-waiting'),
    ).toHaveTextContent('work-writer has not started (PodInitializing)');
    expect(api.logsCalls).toHaveLength(2);
  });

  it('without the logs permission says logs exist and why they are hidden, never their content', async () => {
    const view = failedView();
    const api = apiFor(view, [
      failedRun({
        logsAllowed: false,
        logsHiddenReason:
          'Reading pipeline logs needs kratix.resource.logs.read; you are not an owner of checkout-service',
        // Were the backend to send a line anyway, the tab still must not show it.
        containers: failedRun().containers.map(c => ({
          ...c,
          lastLine: c.lastLine && `SECRET ${c.lastLine}`,
        })),
      }),
    ]);
    await renderPanel(api, view);

    const summary = await screen.findByTestId('kratix-failed-run');
    expect(summary).toHaveTextContent(
      'Pipeline instance-configure failed in container configure-bucket, exit code 3.',
    );
    expect(within(summary).getByTestId('kratix-logs-hidden')).toHaveTextContent(
      'Its logs exist but are hidden from you: Reading pipeline logs needs kratix.resource.logs.read; you are not an owner of checkout-service',
    );
    expect(
      within(summary).queryByRole('button', { name: /Open/ }),
    ).not.toBeInTheDocument();
    expect(screen.queryByText(/SECRET/)).not.toBeInTheDocument();

    // From the timeline the run still opens: its containers, and why there is no content.
    await userEvent.click(
      screen.getByRole('button', { name: `Logs of run ${JOB}` }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getAllByRole('tab')).toHaveLength(4);
    expect(within(dialog).getByTestId('kratix-logs-hidden')).toHaveTextContent(
      'The log of configure-bucket is hidden from you: Reading pipeline logs needs',
    );
    expect(within(dialog).queryByText(/SECRET/)).not.toBeInTheDocument();
    expect(api.logsCalls).toEqual([]);
    expect(api.follows).toEqual([]);
  });

  it('says why logs could not be read from the cluster', async () => {
    const view = failedView();
    const api = apiFor(view, [
      failedRun({
        logsError:
          'The Kratix backend may not get pods/log in namespace default on cluster platform',
        containers: failedRun().containers.map(c => ({
          ...c,
          lastLine: undefined,
        })),
      }),
    ]);
    await renderPanel(api, view);
    const summary = await screen.findByTestId('kratix-failed-run');
    expect(within(summary).getByTestId('kratix-logs-error')).toHaveTextContent(
      'Its logs could not be read from the cluster: The Kratix backend may not get pods/log in namespace default on cluster platform',
    );
    expect(
      within(summary).queryByTestId('kratix-failed-run-last-line'),
    ).not.toBeInTheDocument();
  });

  it('shows the lines kept with the run once its Pod is collected, and says the Pod is gone', async () => {
    const view = failedView();
    const api = apiFor(view, [
      failedRun({
        pod: undefined,
        containers: failedRun().containers.map(c => ({
          ...c,
          lastLine: undefined,
        })),
        kept: {
          container: 'configure-bucket',
          exitCode: 3,
          lines: [
            'creating bucket orders',
            'Error: bucket "orders" already exists',
          ],
        },
      }),
    ]);
    await renderPanel(api, view);
    const summary = await screen.findByTestId('kratix-failed-run');
    expect(
      within(summary).getByTestId('kratix-pod-collected'),
    ).toHaveTextContent(
      "The run's Pod is gone (collected); the last 2 lines of configure-bucket were kept:",
    );
    expect(within(summary).getByTestId('kratix-kept-lines')).toHaveTextContent(
      'creating bucket orders Error: bucket "orders" already exists',
    );

    await userEvent.click(
      within(summary).getByRole('button', { name: /Open the kept lines/ }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByTestId('kratix-pod-collected'),
    ).toHaveTextContent(
      "The run's Pod is gone (collected); these are the last 2 lines of configure-bucket, kept with the run.",
    );
    expect(
      await within(dialog).findByText('creating bucket orders'),
    ).toBeInTheDocument();
    // Nothing asked of a Pod that is gone.
    expect(api.logsCalls).toEqual([]);
  });

  it('follows a running container from the pipeline progress, appending lines as they come, and stops on close', async () => {
    const view = redisView('pipelinesInProgress');
    const running: KratixWorkflowRun = {
      job: 'kratix-example-resource-pipeline1-9d3e0',
      pipeline: 'resource-pipeline1',
      action: 'configure',
      phase: 'Running',
      pod: 'kratix-example-resource-pipeline1-9d3e0-p2c7q',
      containers: [
        { name: 'reader', init: true, state: 'terminated', exitCode: 0 },
        { name: 'deploy', init: true, state: 'running' },
        { name: 'status-writer', init: false, state: 'waiting' },
      ],
      logsAllowed: true,
    };
    const api = apiFor(view, [running]);
    await renderPanel(api, view);

    const pipelines = await screen.findByTestId('kratix-pipelines');
    // Only a pipeline with a run offers logs.
    expect(
      within(pipelines).queryByRole('button', {
        name: 'Logs of pipeline resource-pipeline0',
      }),
    ).not.toBeInTheDocument();
    await userEvent.click(
      await within(pipelines).findByRole('button', {
        name: 'Logs of pipeline resource-pipeline1',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByRole('tab', { name: /deploy/ })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    await waitFor(() => expect(api.follows).toHaveLength(1));
    const follow = api.follows[0];
    expect(follow.query).toEqual({ run: running.job, container: 'deploy' });
    expect(
      within(dialog).getByTestId('kratix-log-follow-status'),
    ).toHaveTextContent('Following deploy live: waiting for its first line…');

    act(() => follow.write('applying manifests 1/2'));
    expect(
      await within(dialog).findByText('applying manifests 1/2'),
    ).toBeInTheDocument();
    act(() => follow.write('applying manifests 2/2', 'done'));
    expect(await within(dialog).findByText('done')).toBeInTheDocument();
    // Appended: the earlier line is still there, in order.
    const viewer = within(dialog).getByTestId('kratix-log-viewer');
    const text = viewer.textContent ?? '';
    expect(text.indexOf('applying manifests 1/2')).toBeLessThan(
      text.indexOf('applying manifests 2/2'),
    );
    expect(text).toContain('applying manifests 1/2');
    // One follow for the whole time, however often the runs were read again.
    expect(api.follows).toHaveLength(1);

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() => expect(follow.stopped).toBe(true));
  });

  it('reads the runs again when a followed container ends', async () => {
    const view = redisView('pipelinesInProgress');
    const running: KratixWorkflowRun = {
      job: 'kratix-example-resource-pipeline1-9d3e0',
      pipeline: 'resource-pipeline1',
      phase: 'Running',
      pod: 'kratix-example-resource-pipeline1-9d3e0-p2c7q',
      containers: [{ name: 'deploy', init: true, state: 'running' }],
      logsAllowed: true,
    };
    const api = apiFor(view, [running]);
    await renderPanel(api, view);
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Logs of pipeline resource-pipeline1',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    await waitFor(() => expect(api.follows).toHaveLength(1));
    // Settled: the panel's read and the dialog's read on opening.
    await waitFor(() => expect(api.runsCalls).toHaveLength(2));
    act(() => api.follows[0].write('deployed'));
    await act(async () => api.follows[0].end());
    expect(
      await within(dialog).findByText(
        'deploy has ended; this is its whole log.',
      ),
    ).toBeInTheDocument();
    await waitFor(() => expect(api.runsCalls).toHaveLength(3));
    expect(within(dialog).getByText('deployed')).toBeInTheDocument();
    expect(api.follows[0].stopped).toBe(false);
  });
});
