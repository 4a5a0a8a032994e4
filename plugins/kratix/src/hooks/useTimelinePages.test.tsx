/*
 * The timeline in pages (issue 20, Low 9): the newest page shows at once; older pages load on
 * request, in order; a reload of the details after a change keeps what was loaded, with no gap.
 */
import type { ReactNode } from 'react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { TestApiProvider } from '@backstage/test-utils';
import type {
  KratixTimelineEntry,
  ResourceDetailsResponse,
} from '@kratix-backstage/plugin-kratix-common';
import { kratixApiRef } from '../api/KratixApi';
import { FakeKratixApi } from '../__fixtures__/FakeKratixApi';
import { useTimelinePages } from './useTimelinePages';

const KEY = {
  cluster: 'sandbox',
  namespace: 'default',
  promise: 'redis',
  name: 'busy',
};
const entry = (minute: number): KratixTimelineEntry => ({
  time: new Date(Date.UTC(2026, 10, 25, 10, minute)).toISOString(),
  source: 'action',
  title: `#${minute}`,
});
const details = (
  timeline: KratixTimelineEntry[],
  next?: string,
): ResourceDetailsResponse =>
  ({
    timeline,
    timelineNext: next,
    timelineTotal: 6,
  } as unknown as ResourceDetailsResponse);

describe('useTimelinePages', () => {
  it('shows the newest page, loads older ones on request, and keeps them across a reload', async () => {
    const api = new FakeKratixApi(() => new Promise(() => {}));
    const asked: string[] = [];
    api.timelinePage = async (_key, before) => {
      asked.push(before);
      return before === 'cursor-3'
        ? { entries: [entry(1), entry(2)], next: 'cursor-1', total: 6 }
        : { entries: [entry(0)], total: 6 };
    };
    const wrapper = ({ children }: { children: ReactNode }) => (
      <TestApiProvider apis={[[kratixApiRef, api]]}>{children}</TestApiProvider>
    );
    const { result, rerender } = renderHook(
      ({ d }: { d?: ResourceDetailsResponse }) =>
        useTimelinePages('component:default/busy-service', KEY, d),
      {
        wrapper,
        initialProps: { d: details([entry(3), entry(4)], 'cursor-3') },
      },
    );
    // The first page without a click.
    expect(result.current.entries?.map(e => e.title)).toEqual(['#3', '#4']);
    expect(result.current.hasOlder).toBe(true);
    expect(asked).toEqual([]);

    act(() => result.current.loadOlder());
    await waitFor(() =>
      expect(result.current.entries?.map(e => e.title)).toEqual([
        '#1',
        '#2',
        '#3',
        '#4',
      ]),
    );
    // A change: the details now start one entry later. Nothing loaded is lost, nothing doubles.
    rerender({ d: details([entry(4), entry(5)], 'cursor-4') });
    await waitFor(() =>
      expect(result.current.entries?.map(e => e.title)).toEqual([
        '#1',
        '#2',
        '#3',
        '#4',
        '#5',
      ]),
    );
    act(() => result.current.loadOlder());
    await waitFor(() => expect(result.current.hasOlder).toBe(false));
    expect(result.current.entries?.map(e => e.title)).toEqual([
      '#0',
      '#1',
      '#2',
      '#3',
      '#4',
      '#5',
    ]);
    expect(asked).toEqual(['cursor-3', 'cursor-1']);
  });
});
