import type { KratixTimelineEntry } from '@kratix-backstage/plugin-kratix-common';
import {
  entryDuration,
  formatWhen,
  historyColumns,
  historyRows,
  shortUserRef,
} from './history';

describe('history rows', () => {
  const condition: KratixTimelineEntry = {
    time: '2026-11-25T10:00:40Z',
    source: 'condition',
    title: 'Reconciled',
    status: 'True',
  };
  const run: KratixTimelineEntry = {
    time: '2026-11-25T10:00:00Z',
    source: 'job',
    title: 'instance-configure',
    status: 'Succeeded',
    endTime: '2026-11-25T10:00:30Z',
  };
  const pause: KratixTimelineEntry = {
    time: '2026-11-25T10:05:00Z',
    source: 'action',
    title: 'Paused',
    status: 'user:default/guest',
    message: 'maintenance window',
  };

  it('leaves out the optional columns when no row has anything for them', () => {
    expect(historyColumns(historyRows([condition]))).toEqual({
      status: true,
      duration: false,
    });
    expect(
      historyColumns(
        historyRows([{ time: condition.time, source: 'resource', title: 'x' }]),
      ),
    ).toEqual({ status: false, duration: false });
  });

  it('measures a run from its start to its end, and shows the column then', () => {
    expect(entryDuration(run)).toBe(30_000);
    expect(entryDuration({ ...run, durationMs: 1234 })).toBe(1234);
    expect(entryDuration({ ...run, endTime: undefined })).toBeUndefined();
    expect(historyColumns(historyRows([condition, run])).duration).toBe(true);
  });

  it('keeps the user behind an action apart from its status', () => {
    const rows = historyRows([run, condition, pause]);
    expect(rows[0]).toMatchObject({
      entry: pause,
      status: undefined,
      by: 'user:default/guest',
    });
    expect(rows.map(r => r.entry.title)).toEqual([
      'Paused',
      'Reconciled',
      'instance-configure',
    ]);
    expect(historyColumns(rows)).toEqual({
      status: true,
      duration: true,
    });
    // only actions: nothing to show under Status
    expect(historyColumns(historyRows([pause])).status).toBe(false);
  });

  it('shortens a user ref in the default namespace to the name', () => {
    expect(shortUserRef('user:default/guest')).toBe('guest');
    expect(shortUserRef('user:platform/jane')).toBe('user:platform/jane');
  });
});

describe('formatWhen', () => {
  // Local times, so the day boundaries are the reader's.
  const now = new Date(2026, 10, 25, 12, 0, 0).getTime();

  it('gives the time alone today, and the date too on another day', () => {
    const today = formatWhen(
      new Date(2026, 10, 25, 9, 5, 7).toISOString(),
      now,
    );
    expect(today).toMatch(/05/);
    expect(today).not.toMatch(/2026|Nov/);
    const earlier = formatWhen(
      new Date(2026, 10, 20, 9, 5, 7).toISOString(),
      now,
    );
    expect(earlier).toMatch(/Nov/);
    expect(earlier).not.toMatch(/2026/);
    expect(
      formatWhen(new Date(2025, 10, 20, 9, 5, 7).toISOString(), now),
    ).toMatch(/2025/);
  });
});
