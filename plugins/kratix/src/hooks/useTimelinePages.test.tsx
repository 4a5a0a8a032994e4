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
  TimelinePageResponse,
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
  it('says when an older page could not be loaded, and loads it on the next attempt', async () => {
    const api = new FakeKratixApi(() => new Promise(() => {}));
    let answer: {
      resolve: (page: TimelinePageResponse) => void;
      reject: (e: Error) => void;
    };
    api.timelinePage = () =>
      new Promise((resolve, reject) => {
        answer = { resolve, reject };
      });
    const wrapper = ({ children }: { children: ReactNode }) => (
      <TestApiProvider apis={[[kratixApiRef, api]]}>{children}</TestApiProvider>
    );
    // One details object, as a loaded hook holds it (a new one each render would be a new load).
    const newest = details([entry(3)], 'cursor-3');
    const { result } = renderHook(
      () => useTimelinePages('component:default/busy-service', KEY, newest),
      { wrapper },
    );

    act(() => result.current.loadOlder());
    expect(result.current.loadingOlder).toBe(true);
    await act(async () => answer.reject(new Error('timeline unavailable')));
    expect(result.current.loadingOlder).toBe(false);
    expect(result.current.olderError?.message).toBe('timeline unavailable');
    expect(result.current.hasOlder).toBe(true);

    // A new attempt: the last error goes while it loads.
    act(() => result.current.loadOlder());
    expect(result.current.loadingOlder).toBe(true);
    expect(result.current.olderError).toBeUndefined();
    await act(async () => answer.resolve({ entries: [entry(2)], total: 2 }));
    expect(result.current.entries?.map(e => e.title)).toEqual(['#2', '#3']);
    expect(result.current.hasOlder).toBe(false);
    expect(result.current.olderError).toBeUndefined();
  });

  it('hands out the same entries while nothing changed, so a 500-entry timeline is not redrawn', () => {
    const api = new FakeKratixApi(() => new Promise(() => {}));
    const wrapper = ({ children }: { children: ReactNode }) => (
      <TestApiProvider apis={[[kratixApiRef, api]]}>{children}</TestApiProvider>
    );
    const loaded = details([entry(3), entry(4)]);
    const { result, rerender } = renderHook(
      ({ d }: { d?: ResourceDetailsResponse }) =>
        useTimelinePages('component:default/busy-service', KEY, d),
      { wrapper, initialProps: { d: loaded } },
    );
    const first = result.current.entries;
    // The tab re-renders for other reasons (the clock, another Resource): the same details.
    rerender({ d: loaded });
    expect(result.current.entries).toBe(first);
    // New details (the whole timeline in one page again): new entries.
    rerender({ d: details([entry(4), entry(5)]) });
    expect(result.current.entries).not.toBe(first);
    expect(result.current.entries?.map(e => e.title)).toEqual(['#4', '#5']);
  });
});
