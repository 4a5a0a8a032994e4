/*
 * What users see when the platform cluster fails: a cluster that goes down and comes back, and one
 * that accepts connections but never answers. Errors name the cluster and never its URL or a stack.
 */
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import net from 'node:net';
import request from 'supertest';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(120_000);

const SEARCH = '/api/kratix/entities/component/default/search-service';
const TIMELINE = `${SEARCH}/resources/sandbox/default/elastic-cloud/example`;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

function expectNoLeak(body: unknown, url: string) {
  const text = JSON.stringify(body);
  expect(text).not.toContain(url);
  expect(text).not.toContain(new URL(url).host);
  expect(text).not.toMatch(/\bat .*\.(ts|js):\d+/); // no stack frames
  expect(text).not.toContain('"stack"');
}

describe('a cluster that goes down and comes back', () => {
  const token = 'integration-test-token';
  let port: number;
  let sandbox: Sandbox | undefined;
  let backend: KratixTestBackend;
  let guest: string;

  beforeAll(async () => {
    port = await freePort();
    sandbox = await startSandbox({ port, token, tls: false, stepDelayMs: 50 });
    await sandbox.ready;
    backend = await startKratixTestBackend({
      cluster: { url: sandbox.url, token, requestTimeoutMs: 2000 },
    });
    guest = await backend.auth('guest');
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  const resources = () =>
    request(backend.server)
      .get(`${SEARCH}/resources`)
      .set('Authorization', guest);

  it('reports the cluster as unreachable while it is down, then shows the Resources again', async () => {
    const url = sandbox!.url;
    expect(url).toBe(`http://127.0.0.1:${port}`);
    await eventually(async () => {
      const res = await resources();
      return res.body.items?.length === 1 ? true : undefined;
    }, 'the Resource while the cluster is up');

    await sandbox!.close();
    sandbox = undefined;

    const down = await eventually(async () => {
      const res = await resources();
      return res.body.errors?.length ? res : undefined;
    }, 'the cluster error');
    expect(down.status).toBe(200);
    expect(down.body.items).toEqual([]);
    expect(down.body.errors).toEqual([
      {
        cluster: 'sandbox',
        type: 'unreachable',
        message: expect.stringContaining('sandbox'),
      },
    ]);
    expect(down.body.refErrors).toEqual([
      {
        ref: expect.objectContaining({
          promise: 'elastic-cloud',
          namespace: 'default',
          name: 'example',
        }),
        reason: 'cluster-error',
        message: down.body.errors[0].message,
      },
    ]);
    expectNoLeak(down.body, url);

    const timeline = await request(backend.server)
      .get(TIMELINE)
      .set('Authorization', guest);
    expect(timeline.status).toBe(503);
    expect(timeline.body.error.message).toMatch(/sandbox/);
    expectNoLeak(timeline.body, url);

    const promises = await request(backend.server)
      .get('/api/kratix/promises')
      .set('Authorization', guest);
    expect(promises.status).toBe(200);
    expect(promises.body.errors).toEqual([
      expect.objectContaining({ cluster: 'sandbox', type: 'unreachable' }),
    ]);

    // The same cluster comes back (same address and credentials, fresh state).
    sandbox = await startSandbox({ port, token, tls: false, stepDelayMs: 50 });
    await sandbox.ready;
    const back = await eventually(
      async () => {
        const res = await resources();
        return res.body.items?.length === 1 && res.body.errors.length === 0
          ? res
          : undefined;
      },
      'the Resource after the cluster came back',
      60_000,
    );
    expect(back.body.refErrors).toEqual([]);
    expect(back.body.items[0]).toMatchObject({
      cluster: 'sandbox',
      promise: 'elastic-cloud',
      name: 'example',
    });
    const again = await request(backend.server)
      .get(TIMELINE)
      .set('Authorization', guest);
    expect(again.status).toBe(200);
    expect(again.body.object.metadata.uid).toBe(back.body.items[0].uid);
  });
});

describe('a cluster that never answers', () => {
  let silent: net.Server;
  const sockets = new Set<net.Socket>();
  let url: string;
  let backend: KratixTestBackend;
  let guest: string;

  beforeAll(async () => {
    // Accepts connections and reads requests, never writes a byte.
    silent = net.createServer(socket => {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
    backend = await startKratixTestBackend({
      cluster: { url, token: 'unused', requestTimeoutMs: 300 },
    });
    guest = await backend.auth('guest');
  });

  afterAll(async () => {
    await backend?.stop();
    sockets.forEach(s => s.destroy());
    await new Promise(resolve => silent.close(resolve));
  });

  it('answers 504 naming the cluster when a request times out', async () => {
    const timeline = await request(backend.server)
      .get(TIMELINE)
      .set('Authorization', guest);
    expect(timeline.status).toBe(504);
    expect(timeline.body.error.message).toBe(
      'Cluster sandbox did not answer in time',
    );
    expectNoLeak(timeline.body, url);
    expect(sockets.size).toBeGreaterThan(0); // the backend did try the cluster

    const list = await request(backend.server)
      .get(`${SEARCH}/resources`)
      .set('Authorization', guest);
    expect(list.status).toBe(200);
    expect(list.body.errors).toEqual([
      {
        cluster: 'sandbox',
        type: 'timeout',
        message: 'Cluster sandbox did not answer in time',
      },
    ]);
    expect(list.body.refErrors).toEqual([
      expect.objectContaining({ reason: 'cluster-error' }),
    ]);
  });
});
