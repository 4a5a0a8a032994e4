import { screen, within } from '@testing-library/react';
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
      return `${cells[2].textContent}/${cells[3].textContent}`;
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
