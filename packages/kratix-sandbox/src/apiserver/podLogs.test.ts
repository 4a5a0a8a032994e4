/*
 * pods/log over HTTP, against Pods and container logs made in-process: Kubernetes' container
 * choice and errors, tailLines, limitBytes, sinceSeconds, timestamps, follow, previous.
 */
import { ContainerLog } from '../kratix/runner/containerLog';
import { createSandboxStore } from '../store';
import type { KubeObject } from '../store/types';
import { type RunningApiServer, startApiServer } from './ApiServer';
import { rfc3339Nano } from './podLogs';

const POD_KEY = { group: '', plural: 'pods' };

describe('GET /api/v1/namespaces/{ns}/pods/{name}/log', () => {
  const store = createSandboxStore();
  const logs = new Map<string, ContainerLog>();
  let server: RunningApiServer;
  let pod: KubeObject;

  const get = async (path: string) => {
    const res = await fetch(`${server.url}${path}`, {
      headers: { Authorization: `Bearer ${server.token}` },
    });
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      text: await res.text(),
    };
  };
  const log = (name: string, query = '') =>
    get(`/api/v1/namespaces/default/pods/${name}/log${query}`);
  const message = async (name: string, query = '') => {
    const res = await log(name, query);
    return { status: res.status, message: JSON.parse(res.text).message };
  };

  const makePod = (
    name: string,
    main: string[],
    states: Record<string, unknown>,
  ) => {
    const created = store.create(POD_KEY, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default' },
      spec: {
        initContainers: [{ name: 'reader', image: 'adapter' }],
        containers: main.map(c => ({ name: c, image: 'adapter' })),
      },
    });
    return store.update(
      POD_KEY,
      {
        ...created,
        status: {
          initContainerStatuses: [{ name: 'reader', state: states.reader }],
          containerStatuses: main.map(c => ({ name: c, state: states[c] })),
        },
      },
      { subresource: 'status' },
    );
  };

  beforeAll(async () => {
    server = await startApiServer({
      store,
      tls: false,
      podLogs: (uid, container) => logs.get(`${uid}/${container}`),
    });
    pod = makePod('run', ['status-writer'], {
      reader: { terminated: { exitCode: 0, reason: 'Completed' } },
      'status-writer': { running: { startedAt: '2024-01-01T00:00:00Z' } },
    });
    const reader = new ContainerLog();
    reader.write('stdout', 'one\ntwo\nthree\n');
    reader.end();
    logs.set(`${pod.metadata.uid}/reader`, reader);
    logs.set(`${pod.metadata.uid}/status-writer`, new ContainerLog());
    makePod('two', ['a', 'b'], {
      reader: { waiting: { reason: 'PodInitializing' } },
      a: { waiting: { reason: 'PodInitializing' } },
      b: { waiting: { reason: 'PodInitializing' } },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('serves one container as text/plain, with tailLines and limitBytes', async () => {
    expect(await log('run', '?container=reader')).toEqual({
      status: 200,
      type: 'text/plain',
      text: 'one\ntwo\nthree\n',
    });
    expect((await log('run', '?container=reader&tailLines=2')).text).toBe(
      'two\nthree\n',
    );
    expect((await log('run', '?container=reader&tailLines=0')).text).toBe('');
    expect((await log('run', '?container=reader&limitBytes=6')).text).toBe(
      'one\ntw',
    );
    expect((await log('run', '?container=reader&sinceSeconds=3600')).text).toBe(
      'one\ntwo\nthree\n',
    );
  });

  it('prefixes each line with its RFC3339Nano time when timestamps is true in any of its spellings', async () => {
    const lines = (await log('run', '?container=reader&timestamps=True')).text
      .trimEnd()
      .split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines)
      expect(line).toMatch(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d*[1-9])?Z (one|two|three)$/,
      );
    expect(rfc3339Nano(Date.UTC(2024, 0, 2, 3, 4, 5, 670))).toBe(
      '2024-01-02T03:04:05.67Z',
    );
    expect(rfc3339Nano(Date.UTC(2024, 0, 2, 3, 4, 5, 0))).toBe(
      '2024-01-02T03:04:05Z',
    );
  });

  it('defaults to the only main container; with more it asks for one, naming them all', async () => {
    // status-writer runs and has written nothing yet.
    expect(await log('run')).toMatchObject({ status: 200, text: '' });
    expect(await message('two')).toEqual({
      status: 400,
      message:
        'a container name must be specified for pod two, choose one of: [reader a b]',
    });
  });

  it("answers Kubernetes' errors for an unknown container, one not started, previous, and bad options", async () => {
    expect(await message('run', '?container=nope')).toEqual({
      status: 400,
      message: 'container nope is not valid for pod run',
    });
    expect(await message('two', '?container=a')).toEqual({
      status: 400,
      message:
        'container "a" in pod "two" is waiting to start: PodInitializing',
    });
    expect(await message('run', '?container=reader&previous=true')).toEqual({
      status: 400,
      message: 'previous terminated container "reader" in pod "run" not found',
    });
    expect(await message('run', '?container=reader&tailLines=-1')).toEqual({
      status: 422,
      message:
        'PodLogOptions "" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0',
    });
    expect((await log('gone', '?container=reader')).status).toBe(404);
  });

  it('follows a running container and ends when it exits; follow=false returns at once', async () => {
    const writer = logs.get(`${pod.metadata.uid}/status-writer`)!;
    expect(await log('run', '?container=status-writer&follow=0')).toMatchObject(
      { status: 200, text: '' },
    );
    const res = await fetch(
      `${server.url}/api/v1/namespaces/default/pods/run/log?container=status-writer&follow=1`,
      {
        headers: { Authorization: `Bearer ${server.token}` },
      },
    );
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    writer.write('stdout', 'streamed\n');
    const first = await reader.read();
    expect(Buffer.from(first.value!).toString()).toBe('streamed\n');
    writer.write('stderr', 'last\n');
    writer.end();
    let rest = '';
    for (
      let chunk = await reader.read();
      !chunk.done;
      chunk = await reader.read()
    )
      rest += Buffer.from(chunk.value).toString();
    expect(rest).toBe('last\n');
  });
});
