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
      'instance-configurerun',
      'Work redis-example-instance-configure-5d2f1work',
      'Reconciledcondition',
    ]);
    const mark = within(lanes[1]).getByRole('img', {
      name: 'Work redis-example-instance-configure-5d2f1: True',
    });
    expect(mark).toHaveAttribute('data-tone', 'ok');
  });
});
