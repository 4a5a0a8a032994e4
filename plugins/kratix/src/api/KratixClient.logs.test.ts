/**
 * @jest-environment node
 */
import { ResponseError } from '@backstage/errors';
import { KratixClient } from './KratixClient';

const base = 'http://localhost:7007/api/kratix';
const discoveryApi = { getBaseUrl: async () => base };
const ENTITY = 'Component:default/checkout-service';
const KEY = {
  cluster: 'platform',
  namespace: 'team-a',
  promise: 'jenkins',
  name: 'ci',
};
const RESOURCE = `${base}/entities/component/default/checkout-service/resources/platform/team-a/jenkins/ci`;

/** A streamed text body the test writes into, chunk by chunk. */
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
      headers: { 'content-type': 'text/plain' },
    }),
    write: (text: string) => controller.enqueue(encoder.encode(text)),
    close: () => controller.close(),
    /** What fetch does to the body being read when its request is aborted. */
    abort: () =>
      controller.error(
        new DOMException('The operation was aborted', 'AbortError'),
      ),
  };
}

const clientWith = (
  fetch: (url: string, init?: RequestInit) => Promise<Response>,
) =>
  new KratixClient({
    discoveryApi,
    // The client passes URLs as strings.
    fetchApi: { fetch: fetch as typeof globalThis.fetch },
  });

describe('KratixClient pipeline logs', () => {
  it('reads the runs and one container’s log under the Resource’s path', async () => {
    const fetch = jest.fn(async (url: string, _init?: RequestInit) =>
      url.endsWith('/runs')
        ? new Response(JSON.stringify({ runs: [] }), {
            headers: { 'content-type': 'application/json' },
          })
        : new Response('first\nlast\n', {
            headers: { 'content-type': 'text/plain' },
          }),
    );
    const client = clientWith(fetch);
    expect(await client.getResourceRuns(ENTITY, KEY)).toEqual({ runs: [] });
    // The final newline ends the last line; it does not add an empty one.
    expect(
      await client.getResourceLogs(ENTITY, KEY, {
        run: 'kratix-ci-instance-configure-1a2b3',
        container: 'configure',
        tailLines: 20,
      }),
    ).toBe('first\nlast');
    await client.getResourceLogs(ENTITY, KEY, {});
    expect(fetch.mock.calls.map(c => c[0])).toEqual([
      `${RESOURCE}/runs`,
      `${RESOURCE}/logs?run=kratix-ci-instance-configure-1a2b3&container=configure&tailLines=20`,
      `${RESOURCE}/logs?`,
    ]);
    expect(fetch.mock.calls[1][1]?.headers).toEqual({ Accept: 'text/plain' });
  });

  it('keeps the status of a refused log read (403 hidden, 410 collected)', async () => {
    for (const status of [403, 410]) {
      const client = clientWith(async () =>
        Response.json(
          { error: { name: 'Error', message: `status ${status}` } },
          { status },
        ),
      );
      const error = await client
        .getResourceLogs(ENTITY, KEY, { run: 'r' })
        .catch(e => e);
      expect(ResponseError.is(error) && error.statusCode).toBe(status);
    }
  });

  it('follows: lines as they arrive (a line split across chunks joined), done when the stream ends', async () => {
    const body = stream();
    const fetch = jest.fn(
      async (_url: string, _init?: RequestInit) => body.response,
    );
    const batches: string[][] = [];
    const done = clientWith(fetch).followResourceLogs(
      ENTITY,
      KEY,
      { run: 'r1', container: 'deploy' },
      { signal: new AbortController().signal, onLines: l => batches.push(l) },
    );
    body.write('one\ntw');
    body.write('o\r\nthree');
    body.close();
    await done;
    expect(batches).toEqual([['one'], ['two'], ['three']]);
    expect(fetch.mock.calls[0][0]).toBe(
      `${RESOURCE}/logs?run=r1&container=deploy&follow=true`,
    );
  });

  it('stops following when aborted, and says nothing more', async () => {
    const body = stream();
    const controller = new AbortController();
    const lines: string[] = [];
    let firstLine!: () => void;
    const first = new Promise<void>(resolve => {
      firstLine = resolve;
    });
    const done = clientWith(async (_url, init) => {
      // As fetch does: an aborted signal errors the body being read.
      init?.signal?.addEventListener('abort', body.abort);
      return body.response;
    }).followResourceLogs(
      ENTITY,
      KEY,
      { run: 'r1', container: 'deploy' },
      {
        signal: controller.signal,
        onLines: l => {
          lines.push(...l);
          firstLine();
        },
      },
    );
    body.write('before\n');
    await first;
    controller.abort();
    await expect(done).resolves.toBeUndefined();
    expect(lines).toEqual(['before']);
  });

  it('rejects a refused follow with its status (429: too many follows)', async () => {
    const client = clientWith(async () =>
      Response.json(
        { error: { name: 'Error', message: 'Too many log follows' } },
        { status: 429 },
      ),
    );
    const error = await client
      .followResourceLogs(
        ENTITY,
        KEY,
        {},
        {
          signal: new AbortController().signal,
          onLines: () => {},
        },
      )
      .catch(e => e);
    expect(ResponseError.is(error) && error.statusCode).toBe(429);
  });
});
