/*
 * An entity's Resources from two sources, the REST snapshot and the live stream: which one is shown,
 * when it is stale, and what a retry starts again.
 */
import type { ReactNode } from 'react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { TestApiProvider } from '@backstage/test-utils';
import type { EntityResourcesResponse } from '@kratix-backstage/plugin-kratix-common';
import { KratixAccessLostError, kratixApiRef } from '../api/KratixApi';
import { compactEntity, redisView, response } from '../__fixtures__';
import { FakeKratixApi } from '../__fixtures__/FakeKratixApi';
import { useEntityKratixResources } from './useEntityKratixResources';

/** A snapshot request the test answers when it chooses. */
function snapshots() {
  const pending: Array<{
    resolve: (r: EntityResourcesResponse) => void;
    reject: (e: Error) => void;
  }> = [];
  const request = () =>
    new Promise<EntityResourcesResponse>((resolve, reject) =>
      pending.push({ resolve, reject }),
    );
  return { pending, request };
}

function render(api: FakeKratixApi) {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApiProvider apis={[[kratixApiRef, api]]}>{children}</TestApiProvider>
  );
  return renderHook(() => useEntityKratixResources(compactEntity), {
    wrapper,
  });
}

const pending = response([redisView('firstRequest')]);
const reconciled = response([redisView('reconciled')]);

describe('useEntityKratixResources', () => {
  it('keeps what the stream sent over a snapshot that answers later', async () => {
    const rest = snapshots();
    const api = new FakeKratixApi(rest.request);
    const { result } = render(api);
    expect(result.current.loading).toBe(true);
    await waitFor(() => expect(api.watchers).toHaveLength(1));

    act(() => api.push(reconciled));
    expect(result.current.data).toBe(reconciled);
    expect(result.current.live).toBe(true);
    expect(result.current.loading).toBe(false);

    await act(async () => rest.pending[0].resolve(pending));
    expect(result.current.data).toBe(reconciled);
  });

  it('marks the data stale while the stream is down, and live again when it recovers', async () => {
    const api = new FakeKratixApi(async () => pending);
    const { result } = render(api);
    await waitFor(() => expect(result.current.data).toBe(pending));
    expect(result.current.stale).toBe(false);
    expect(result.current.live).toBe(false);

    const streamError = { error: new Error('closed'), retrying: true };
    act(() => api.fail(streamError));
    expect(result.current.stale).toBe(true);
    expect(result.current.streamError).toBe(streamError);
    expect(result.current.data).toBe(pending);

    act(() => api.push(reconciled));
    expect(result.current.stale).toBe(false);
    expect(result.current.streamError).toBeUndefined();
    expect(result.current.live).toBe(true);
  });

  it('shows the snapshot’s error only while there is nothing to show', async () => {
    const api = new FakeKratixApi(() => Promise.reject(new Error('down')));
    const { result } = render(api);
    await waitFor(() => expect(result.current.error?.message).toBe('down'));
    expect(result.current.loading).toBe(false);

    act(() => api.push(reconciled));
    expect(result.current.error).toBeUndefined();
    expect(result.current.data).toBe(reconciled);
  });

  it('shows nothing once the stream says access was lost', async () => {
    const api = new FakeKratixApi(async () => pending);
    const { result } = render(api);
    await waitFor(() => expect(result.current.data).toBe(pending));

    const lost = new KratixAccessLostError('You may not read these');
    act(() => api.fail({ error: lost, retrying: false }));
    expect(result.current.data).toBeUndefined();
    expect(result.current.error).toBe(lost);
    expect(result.current.stale).toBe(false);
    expect(result.current.receivedAt).toBeUndefined();
  });

  it('starts again from nothing on retry: a new snapshot and a new stream', async () => {
    const rest = snapshots();
    const api = new FakeKratixApi(rest.request);
    const { result } = render(api);
    await waitFor(() => expect(rest.pending).toHaveLength(1));
    await act(async () => rest.pending[0].resolve(pending));
    const firstStream = api.watchers[0];
    act(() => api.fail({ error: new Error('Forbidden'), retrying: false }));
    expect(result.current.stale).toBe(true);

    act(() => result.current.retry());
    await waitFor(() => expect(rest.pending).toHaveLength(2));
    expect(api.watchers).toHaveLength(1);
    expect(api.watchers[0]).not.toBe(firstStream);
    expect(result.current.loading).toBe(true);
    expect(result.current.data).toBeUndefined();
    expect(result.current.streamError).toBeUndefined();

    await act(async () => rest.pending[1].resolve(reconciled));
    expect(result.current.data).toBe(reconciled);
    expect(result.current.loading).toBe(false);
  });
});
