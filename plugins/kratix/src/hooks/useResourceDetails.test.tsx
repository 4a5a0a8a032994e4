/*
 * A Resource's details: loaded again when the Resource changes or on reload, with the last details
 * kept on screen while they load and when loading them fails.
 */
import type { ReactNode } from 'react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { TestApiProvider } from '@backstage/test-utils';
import type {
  KratixResourceView,
  ResourceDetailsResponse,
} from '@kratix-backstage/plugin-kratix-common';
import { kratixApiRef } from '../api/KratixApi';
import { redisView, response } from '../__fixtures__';
import { FakeKratixApi } from '../__fixtures__/FakeKratixApi';
import { useResourceDetails } from './useResourceDetails';

type Answer = {
  resolve: (d: ResourceDetailsResponse) => void;
  reject: (e: Error) => void;
};

function setup() {
  const answers: Answer[] = [];
  const api = new FakeKratixApi(
    async () => response([]),
    () =>
      new Promise<ResourceDetailsResponse>((resolve, reject) =>
        answers.push({ resolve, reject }),
      ),
  );
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApiProvider apis={[[kratixApiRef, api]]}>{children}</TestApiProvider>
  );
  const hook = renderHook(
    ({ resource }: { resource: KratixResourceView }) =>
      useResourceDetails('component:default/shop', resource, true),
    { wrapper, initialProps: { resource: redisView('firstRequest') } },
  );
  return { api, answers, ...hook };
}

const detailsOf = (resource: KratixResourceView) =>
  ({ resource, timeline: [], works: [] } as unknown as ResourceDetailsResponse);

describe('useResourceDetails', () => {
  it('loads again when the Resource changes, keeping the last details when that fails', async () => {
    const { api, answers, result, rerender } = setup();
    await waitFor(() => expect(answers).toHaveLength(1));
    const first = detailsOf(redisView('firstRequest'));
    await act(async () => answers[0].resolve(first));
    expect(result.current.details).toBe(first);
    expect(result.current.loading).toBe(false);

    rerender({ resource: redisView('reconciled') });
    await waitFor(() => expect(answers).toHaveLength(2));
    expect(result.current.loading).toBe(true);
    expect(result.current.details).toBe(first);

    await act(async () => answers[1].reject(new Error('cluster down')));
    expect(result.current.error?.message).toBe('cluster down');
    expect(result.current.details).toBe(first);
    expect(api.detailsCalls).toHaveLength(2);
  });

  it('starts a new load on reload even while one is under way; the newest answer is kept', async () => {
    const { answers, result } = setup();
    await waitFor(() => expect(answers).toHaveLength(1));

    act(() => result.current.reload());
    await waitFor(() => expect(answers).toHaveLength(2));
    const latest = detailsOf(redisView('reconciled'));
    await act(async () => answers[1].resolve(latest));
    await act(async () =>
      answers[0].resolve(detailsOf(redisView('firstRequest'))),
    );
    expect(result.current.details).toBe(latest);
    expect(result.current.loading).toBe(false);
  });
});
