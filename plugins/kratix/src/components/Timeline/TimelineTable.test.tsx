import { fireEvent, screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import type { KratixTimelineEntry } from '@kratix-backstage/plugin-kratix-common';
import { TimelineTable } from './TimelineTable';

describe('TimelineTable', () => {
  it('lists newest first, and entries of the same second in reverse of their order', async () => {
    // As the backend sends them: oldest first; within a second, request → run → condition.
    const entries: KratixTimelineEntry[] = [
      { time: '2026-11-25T18:57:46Z', source: 'resource', title: 'Requested' },
      {
        time: '2026-11-25T18:57:46Z',
        source: 'job',
        title: 'resource-configure',
        status: 'Succeeded',
      },
      {
        time: '2026-11-25T18:57:46Z',
        source: 'condition',
        title: 'PipelineCompleted',
        status: 'False',
      },
      {
        time: '2026-11-25T18:57:47Z',
        source: 'condition',
        title: 'PipelineCompleted',
        status: 'True',
      },
    ];
    await renderInTestApp(
      <TimelineTable
        entries={entries}
        now={Date.parse('2026-11-25T19:00:00Z')}
      />,
    );
    const rows = screen.getAllByRole('row').slice(1);
    const what = rows.map(row => {
      const cells = within(row).getAllByRole('cell');
      return `${within(row).getByTestId('kratix-timeline-what').textContent}/${
        cells[2].textContent
      }`;
    });
    expect(what).toEqual([
      'PipelineCompleted/True',
      'PipelineCompleted/False',
      'resource-configure/Succeeded',
      'Requested/',
    ]);
  });
});

describe('TimelineTable work entries', () => {
  it('marks Work and WorkPlacement transitions as work, apart from workflow runs', async () => {
    const entries: KratixTimelineEntry[] = [
      {
        time: '2026-11-25T10:00:00Z',
        source: 'job',
        title: 'instance-configure',
        status: 'Succeeded',
      },
      {
        time: '2026-11-25T10:00:31Z',
        source: 'work',
        title:
          'WorkPlacement redis-example-instance-configure-5d2f1.dev-cluster',
        status: 'False',
        reason: 'WorkloadsFailedWrite',
        message: 'failed to push',
      },
    ];
    await renderInTestApp(
      <TimelineTable
        entries={entries}
        now={Date.parse('2026-11-25T11:00:00Z')}
      />,
    );
    const [work, run] = screen.getAllByRole('row').slice(1);
    expect(
      within(work).getByTestId('kratix-timeline-source-work'),
    ).toHaveTextContent('work');
    expect(work).toHaveTextContent(
      'WorkPlacement redis-example-instance-configure-5d2f1.dev-cluster',
    );
    expect(work).toHaveTextContent('WorkloadsFailedWrite — failed to push');
    expect(
      within(run).getByTestId('kratix-timeline-source-job'),
    ).toHaveTextContent('workflow run');
  });
});

describe('TimelineTable columns and paging', () => {
  const headers = () =>
    screen.getAllByRole('columnheader').map(h => h.textContent);

  it('leaves out the Duration column when no row has a duration', async () => {
    await renderInTestApp(
      <TimelineTable
        entries={[
          {
            time: '2026-11-25T10:00:00Z',
            source: 'condition',
            title: 'Reconciled',
            status: 'True',
          },
        ]}
        now={Date.parse('2026-11-25T11:00:00Z')}
      />,
    );
    expect(headers()).toEqual(['When', 'What', 'Status', 'Details']);
  });

  it('shows how long a run took from its start and end, and who acted in the details, not under Status', async () => {
    await renderInTestApp(
      <TimelineTable
        entries={[
          {
            time: '2026-11-25T10:00:00Z',
            source: 'job',
            title: 'instance-configure',
            status: 'Succeeded',
            endTime: '2026-11-25T10:00:30Z',
          },
          {
            time: '2026-11-25T10:05:00Z',
            source: 'action',
            title: 'Re-run requested',
            status: 'user:default/guest',
          },
        ]}
        now={Date.parse('2026-11-25T11:00:00Z')}
      />,
    );
    expect(headers()).toEqual([
      'When',
      'What',
      'Status',
      'Details',
      'Duration',
    ]);
    const [action, run] = screen.getAllByRole('row').slice(1);
    const cells = (row: HTMLElement) =>
      within(row)
        .getAllByRole('cell')
        .map(c => c.textContent);
    expect(
      within(action).getByTestId('kratix-timeline-what'),
    ).toHaveTextContent('Re-run requested');
    expect(cells(action)[2]).toBe('');
    expect(cells(action)[3]).toBe('By guest');
    expect(action).not.toHaveTextContent('user:default/guest');
    expect(within(action).getByTestId('kratix-timeline-by')).toHaveAttribute(
      'title',
      'user:default/guest',
    );
    expect(cells(run)[2]).toBe('Succeeded');
    expect(cells(run)[4]).toBe('30s');
  });

  it('has no Status column when only actions are listed', async () => {
    await renderInTestApp(
      <TimelineTable
        entries={[
          {
            time: '2026-11-25T10:05:00Z',
            source: 'action',
            title: 'Paused',
            status: 'user:default/guest',
            message: 'maintenance window',
          },
        ]}
        now={Date.parse('2026-11-25T11:00:00Z')}
      />,
    );
    expect(headers()).toEqual(['When', 'What', 'Details']);
    expect(screen.getByText(/^By guest/).closest('td')).toHaveTextContent(
      'By guest — maintenance window',
    );
  });

  it('shows ten rows a page', async () => {
    const start = Date.parse('2026-11-25T10:00:00Z');
    await renderInTestApp(
      <TimelineTable
        entries={Array.from({ length: 12 }, (_, i) => ({
          time: new Date(start + i * 60_000).toISOString(),
          source: 'condition' as const,
          title: `Condition${i}`,
          status: 'True',
        }))}
        now={Date.parse('2026-11-25T11:00:00Z')}
      />,
    );
    // header row + ten
    expect(
      within(screen.getByTestId('kratix-timeline-history')).getAllByRole('row')
        .length,
    ).toBeGreaterThanOrEqual(11);
    expect(screen.getByText('Condition11')).toBeInTheDocument();
    expect(screen.getByText('Condition2')).toBeInTheDocument();
    expect(screen.queryByText('Condition1')).toBeNull();
    expect(screen.getAllByText('1-10 of 12').length).toBeGreaterThan(0);
  });
});

describe('TimelineTable search and pages', () => {
  const start = Date.parse('2026-11-25T10:00:00Z');
  const entries: KratixTimelineEntry[] = Array.from({ length: 30 }, (_, i) => ({
    time: new Date(start + i * 60_000).toISOString(),
    source: i % 3 === 0 ? ('job' as const) : ('condition' as const),
    title: i % 3 === 0 ? `run-${i}` : `Condition${i}`,
    status: i === 4 ? 'False' : 'True',
    reason: i === 4 ? 'WorkloadsFailedWrite' : undefined,
  }));
  const bodyRows = () =>
    within(screen.getByTestId('kratix-timeline-history'))
      .getAllByRole('row')
      .slice(1);

  it('draws only the page shown, and moves between pages', async () => {
    await renderInTestApp(
      <TimelineTable entries={entries} now={start + 3600_000} />,
    );
    expect(bodyRows()).toHaveLength(10);
    expect(screen.getByText('Condition29')).toBeInTheDocument();
    expect(screen.queryByText('Condition19')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(screen.getByText('Condition19')).toBeInTheDocument();
    expect(screen.queryByText('Condition29')).toBeNull();
    expect(screen.getByText('11-20 of 30')).toBeInTheDocument();
  });

  it('searches what happened, its kind and its details, from the first page', async () => {
    await renderInTestApp(
      <TimelineTable entries={entries} now={start + 3600_000} />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Next page' }));
    const search = screen.getByRole('textbox', { name: 'Search the history' });
    // Details: the reason of the one failed condition.
    fireEvent.change(search, { target: { value: 'failedwrite' } });
    expect(bodyRows()).toHaveLength(1);
    expect(bodyRows()[0]).toHaveTextContent('Condition4');
    expect(screen.getByText('1-1 of 1')).toBeInTheDocument();
    // The kind: every workflow run (one entry in three).
    fireEvent.change(search, { target: { value: 'workflow run' } });
    expect(bodyRows()).toHaveLength(10);
    expect(screen.getByText('1-10 of 10')).toBeInTheDocument();
    fireEvent.change(search, { target: { value: 'nothing like it' } });
    expect(bodyRows()[0]).toHaveTextContent('No entry matches the search.');
  });
});
