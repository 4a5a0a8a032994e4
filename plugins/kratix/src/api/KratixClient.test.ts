/**
 * @jest-environment node
 */
import { ResponseError } from '@backstage/errors';
import type { EntityResourcesResponse } from '@kratix-backstage/plugin-kratix-common';
import { KratixClient, entityPath } from './KratixClient';
import { KratixAccessLostError, type KratixWatchError } from './KratixApi';

const base = 'http://localhost:7007/api/kratix';
const discoveryApi = { getBaseUrl: async () => base };

const snapshot = (message: string): EntityResourcesResponse => ({
  items: [{ name: 'example', message } as any],
  refErrors: [],
  annotationErrors: [],
  clusters: [],
  errors: [],
  observedAt: '2026-11-25T00:00:00Z',
});

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

/** A streamed body the test writes SSE text into. */
function stream() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  const encoder = new TextEncoder();
  return {
    response: new Response(body, {
      headers: { 'content-type': 'text/event-stream' },
    }),
    write: (text: string) => controller.enqueue(encoder.encode(text)),
    close: () => controller.close(),
  };
}

describe('KratixClient', () => {
  it('follows the HTTP contract', async () => {
    const fetch = jest.fn(async (_url: string, _init?: RequestInit) =>
      json(snapshot('ok')),
    );
    const client = new KratixClient({
      discoveryApi,
      fetchApi: { fetch } as any,
    });
    await client.getEntityResources('Component:default/shop');
    await client.getResourceDetails(
      { kind: 'Component', namespace: 'default', name: 'shop' },
      {
        cluster: 'platform',
        namespace: 'team-a',
        promise: 'redis',
        name: 'cache',
      },
    );
    await client.getPromises();
    await client.createResource({
      promise: 'redis',
      namespace: 'default',
      name: 'cache',
      spec: { size: 'small' },
      dryRun: true,
    });
    expect(fetch.mock.calls.map(c => c[0])).toEqual([
      `${base}/entities/component/default/shop/resources`,
      `${base}/entities/component/default/shop/resources/platform/team-a/redis/cache`,
      `${base}/promises`,
      `${base}/resources`,
    ]);
    expect(fetch.mock.calls[3][1]).toMatchObject({ method: 'POST' });
    expect(JSON.parse(String(fetch.mock.calls[3][1]?.body))).toMatchObject({
      dryRun: true,
      spec: { size: 'small' },
    });
  });

  it('manages a Resource through the routes of the contract', async () => {
    const answer = (action: string) => ({
      action,
      resource: { name: 'cache' },
      object: { metadata: { name: 'cache' } },
    });
    const actionOf: Record<string, string> = {
      PATCH: 'update',
      DELETE: 'delete',
      POST: 'reconcile',
    };
    const fetch = jest.fn(async (_url: string, init?: RequestInit) =>
      json(
        answer(actionOf[init?.method ?? 'POST']),
        init?.method === 'PATCH' ? 200 : 202,
      ),
    );
    const client = new KratixClient({
      discoveryApi,
      fetchApi: { fetch } as any,
    });
    const entity = 'component:default/shop';
    const key = {
      cluster: 'platform',
      namespace: 'team a',
      promise: 'redis',
      name: 'cache',
    };
    const reconciled = await client.reconcileResource(entity, key);
    await client.pauseResource(entity, key);
    await client.resumeResource(entity, key);
    const updated = await client.updateResource(entity, key, {
      spec: { size: 'large' },
      resourceVersion: '42',
    });
    const deleted = await client.deleteResource(entity, key);

    const resource = `${base}/entities/component/default/shop/resources/platform/team%20a/redis/cache`;
    expect(fetch.mock.calls.map(c => [c[1]?.method, c[0]])).toEqual([
      ['POST', `${resource}/reconcile`],
      ['POST', `${resource}/pause`],
      ['POST', `${resource}/resume`],
      ['PATCH', resource],
      ['DELETE', resource],
    ]);
    expect(JSON.parse(String(fetch.mock.calls[3][1]?.body))).toEqual({
      spec: { size: 'large' },
      resourceVersion: '42',
    });
    expect(fetch.mock.calls[3][1]?.headers).toMatchObject({
      'Content-Type': 'application/json',
    });
    expect(fetch.mock.calls[0][1]?.body).toBeUndefined();
    expect(reconciled.action).toBe('reconcile');
    expect(updated.action).toBe('update');
    expect(deleted.action).toBe('delete');
  });

  it.each([
    [400, 'InputError', 'spec.size: must be one of small, large'],
    [403, 'NotAllowedError', 'You may not change this Resource'],
    [409, 'ConflictError', 'The Resource changed since you loaded it'],
  ])(
    'keeps a %s from a manage route, with its message',
    async (status, name, message) => {
      const client = new KratixClient({
        discoveryApi,
        fetchApi: {
          // Backstage's error handler shape
          fetch: async () =>
            json(
              {
                error: { name, message },
                request: { method: 'PATCH', url: '/entities/…' },
                response: { statusCode: status },
              },
              status,
            ),
        } as any,
      });
      const error = await client
        .updateResource(
          'component:default/shop',
          {
            cluster: 'platform',
            namespace: 'default',
            promise: 'redis',
            name: 'cache',
          },
          { spec: {}, resourceVersion: '1' },
        )
        .catch(e => e);
      expect(ResponseError.is(error)).toBe(true);
      expect(error.statusCode).toBe(status);
      expect(error.body.error).toMatchObject({ name, message });
    },
  );

  it('encodes entity refs', () => {
    expect(entityPath('component:my ns/a/b')).toBe(
      '/entities/component/my%20ns/a%2Fb',
    );
  });

  it.each([403, 404, 503])(
    'throws a ResponseError keeping status %s',
    async status => {
      const client = new KratixClient({
        discoveryApi,
        fetchApi: {
          fetch: async () =>
            json(
              { error: { name: 'NotAllowedError', message: 'nope' } },
              status,
            ),
        } as any,
      });
      const error = await client
        .getEntityResources('component:default/shop')
        .catch(e => e);
      expect(ResponseError.is(error)).toBe(true);
      expect(error.statusCode).toBe(status);
    },
  );

  it('streams snapshots, and reconnects with backoff after the stream breaks', async () => {
    const first = stream();
    const second = stream();
    const responses = [first.response, second.response];
    const fetch = jest.fn(async (_url: string, init?: RequestInit) => {
      expect(init?.headers).toMatchObject({ Accept: 'text/event-stream' });
      return responses.shift()!;
    });
    const client = new KratixClient({
      discoveryApi,
      fetchApi: { fetch } as any,
      reconnect: { initialMs: 10, maxMs: 20 },
    });
    const updates: string[] = [];
    const errors: KratixWatchError[] = [];
    const stop = client.watchEntityResources(
      'component:default/shop',
      r => updates.push(r.items[0].message),
      e => errors.push(e),
    );

    first.write(': hello\n\ndata: ');
    first.write(`${JSON.stringify(snapshot('Pending'))}\n\n`);
    first.write(`data: ${JSON.stringify(snapshot('Resource requested'))}\n\n`);
    await waitUntil(() => updates.length === 2);
    expect(updates).toEqual(['Pending', 'Resource requested']);

    first.close();
    await waitUntil(() => errors.length === 1);
    expect(errors[0]).toMatchObject({ retrying: true });
    expect(errors[0].error.message).toMatch(/closed/);

    await waitUntil(() => fetch.mock.calls.length === 2);
    second.write(`data: ${JSON.stringify(snapshot('Reconciled'))}\n\n`);
    await waitUntil(() => updates.length === 3);
    expect(fetch.mock.calls[1][0]).toBe(
      `${base}/entities/component/default/shop/events`,
    );
    stop();
  });

  it('stops for good on a forbidden frame, and retries a 429 with backoff', async () => {
    const live = stream();
    const responses = [
      live.response,
      json({ error: { name: 'Error', message: 'Too many' } }, 429),
    ];
    const fetch = jest.fn(async () => responses.shift()!);
    const client = new KratixClient({
      discoveryApi,
      fetchApi: { fetch } as any,
      reconnect: { initialMs: 5, maxMs: 5 },
    });
    const updates: string[] = [];
    const errors: KratixWatchError[] = [];
    const stop = client.watchEntityResources(
      'component:default/shop',
      r => updates.push(r.items[0].message),
      e => errors.push(e),
    );
    live.write(
      `event: resources\ndata: ${JSON.stringify(snapshot('Ready'))}\n\n`,
    );
    live.write('event: forbidden\ndata: {"message":"You may not read it"}\n\n');
    await waitUntil(() => errors.length === 1);
    expect(updates).toEqual(['Ready']);
    expect(errors[0].retrying).toBe(false);
    expect(errors[0].error).toBeInstanceOf(KratixAccessLostError);
    expect(errors[0].error.message).toBe('You may not read it');
    expect(fetch).toHaveBeenCalledTimes(1);
    stop();

    // A 429 (too many open streams) is worth retrying.
    const busy = new KratixClient({
      discoveryApi,
      fetchApi: {
        fetch: async () => json({ error: { message: 'Too many' } }, 429),
      } as any,
      reconnect: { initialMs: 5, maxMs: 5 },
    });
    const busyErrors: KratixWatchError[] = [];
    const stopBusy = busy.watchEntityResources(
      'component:default/shop',
      () => {},
      e => busyErrors.push(e),
    );
    await waitUntil(() => busyErrors.length >= 2);
    expect(busyErrors.every(e => e.retrying)).toBe(true);
    stopBusy();
  });

  it('stops for good on a limit frame (too many Resources to follow live), with its message', async () => {
    const live = stream();
    const fetch = jest.fn(async () => live.response);
    const client = new KratixClient({
      discoveryApi,
      fetchApi: { fetch } as any,
      reconnect: { initialMs: 5, maxMs: 5 },
    });
    const errors: KratixWatchError[] = [];
    const stop = client.watchEntityResources(
      'component:default/shop',
      () => {},
      e => errors.push(e),
    );
    live.write(
      `event: limit\ndata: ${JSON.stringify({
        message: 'Live updates are off for this entity',
        limit: 'kratix.streams.maxFrameBytes',
        bytes: 2_000_000,
        maxBytes: 1_048_576,
        resources: 4000,
      })}\n\n`,
    );
    live.close();
    await waitUntil(() => errors.length === 1);
    expect(errors[0].retrying).toBe(false);
    expect(errors[0].error.name).toBe('KratixStreamLimitError');
    expect(errors[0].error.message).toBe(
      'Live updates are off for this entity',
    );
    expect(fetch).toHaveBeenCalledTimes(1);
    stop();
  });

  it('stops retrying when the answer is 403', async () => {
    const fetch = jest.fn(async () =>
      json({ error: { name: 'NotAllowedError', message: 'no' } }, 403),
    );
    const client = new KratixClient({
      discoveryApi,
      fetchApi: { fetch } as any,
      reconnect: { initialMs: 1, maxMs: 1 },
    });
    const errors: KratixWatchError[] = [];
    const stop = client.watchEntityResources(
      'component:default/shop',
      () => {},
      e => errors.push(e),
    );
    await waitUntil(() => errors.length === 1);
    await new Promise(r => setTimeout(r, 20));
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(errors[0].retrying).toBe(false);
    stop();
  });
});

async function waitUntil(condition: () => boolean) {
  for (let i = 0; i < 200 && !condition(); i++) {
    await new Promise(r => setTimeout(r, 5));
  }
  expect(condition()).toBe(true);
}
