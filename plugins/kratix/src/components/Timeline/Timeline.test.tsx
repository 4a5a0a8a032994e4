import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import type { KratixTimelineEntry } from '@kratix-backstage/plugin-kratix-common';
import { redisView } from '../../__fixtures__';
import { Timeline } from './Timeline';

describe('Timeline', () => {
  it('draws a Work’s transitions in a work lane next to the workflow runs', async () => {
    const entries: KratixTimelineEntry[] = [
      {
        time: '2026-11-25T10:00:00Z',
        source: 'job',
        title: 'instance-configure',
        status: 'Succeeded',
        endTime: '2026-11-25T10:00:30Z',
      },
      {
        time: '2026-11-25T10:00:31Z',
        source: 'work',
        title: 'Work redis-example-instance-configure-5d2f1',
        status: 'True',
        message: 'Ready',
      },
      {
        time: '2026-11-25T10:00:40Z',
        source: 'condition',
        title: 'Reconciled',
        status: 'True',
        reason: 'Reconciled',
      },
    ];
    await renderInTestApp(
      <Timeline
        resource={redisView('reconciled')}
        entries={entries}
        now={Date.parse('2026-11-25T11:00:00Z')}
      />,
    );
    const lanes = screen.getAllByTestId('kratix-timeline-lane');
    expect(lanes.map(l => l.firstElementChild!.textContent)).toEqual([
      'instance-configureworkflow run',
      'redis-example-instance-configure-5d2f1Work',
      'Reconciledcondition',
    ]);
    const mark = within(lanes[1]).getByRole('img', {
      name: 'Work redis-example-instance-configure-5d2f1: True',
    });
    expect(mark).toHaveAttribute('data-tone', 'ok');
  });

  it('names each lane and mark, and shows the history without a card of its own', async () => {
    const entries: KratixTimelineEntry[] = [
      { time: '2026-11-25T10:00:00Z', source: 'resource', title: 'Requested' },
      {
        time: '2026-11-25T10:00:01Z',
        source: 'event',
        title: 'Scheduled',
        status: 'Normal',
      },
      {
        time: '2026-11-25T10:00:40Z',
        source: 'condition',
        title: 'PipelineCompleted',
        status: 'True',
      },
      {
        time: '2026-11-25T10:02:00Z',
        source: 'action',
        title: 'Paused',
        status: 'user:default/guest',
      },
    ];
    await renderInTestApp(
      <Timeline
        resource={redisView('reconciled')}
        entries={entries}
        now={Date.parse('2026-11-25T11:00:00Z')}
      />,
    );
    const spec = screen.getByRole('group', { name: 'Spec and actions' });
    expect(spec).toHaveTextContent('Spec and actions');
    expect(
      within(spec).getByRole('img', { name: 'Paused by user:default/guest' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('group', { name: 'Kubernetes events' }),
    ).toBeInTheDocument();
    expect(
      within(
        screen.getByRole('group', {
          name: 'PipelineCompleted (workflow completion)',
        }),
      ).getByRole('img', { name: 'PipelineCompleted: True' }),
    ).toBeInTheDocument();
    // The activity took two minutes and ended an hour ago: the axis shows those minutes, and says
    // how far now is.
    expect(screen.getByTestId('kratix-timeline-now-after')).toHaveTextContent(
      /^Now: 5\dm/,
    );
    // The timeline sits in a card; the history table is not another card inside it.
    const timeline = screen.getByTestId('kratix-timeline');
    expect(timeline.querySelector('.MuiPaper-root')).toBeNull();
    expect(
      within(screen.getByTestId('kratix-timeline-history')).getByText(
        'History',
      ),
    ).toBeInTheDocument();
  });
});
