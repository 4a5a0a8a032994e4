/*
 * Real kubectl binaries (1.27 and 1.33, the oldest and newest installed) against the API server.
 * Each run gets its own kubeconfig and discovery cache directory.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CONFIG_MAP_TYPE, createSandboxStore } from '../store';
import { CRD_KEY } from '../store/crdTypes';
import type { ObjectStore } from '../store/ObjectStore';
import { REDIS, redisCrd } from '../store/testFixtures';
import { type RunningApiServer, startApiServer } from './ApiServer';
import { writeKubeconfig } from './kubeconfig';
import { describeEachKubectl } from '../__testUtils__/kubectl';

const run = promisify(execFile);

const REDIS_YAML = (size: string) => `apiVersion: marketplace.kratix.io/v1alpha1
kind: redis
metadata:
  name: cache
  namespace: default
spec:
  size: ${size}
`;

describeEachKubectl('kubectl', binary => {
  let dir: string;
  let store: ObjectStore;
  let server: RunningApiServer;

  const kubectl = async (...args: string[]) => {
    const { stdout } = await run(
      binary,
      [
        '--kubeconfig',
        join(dir, 'kubeconfig'),
        '--cache-dir',
        join(dir, 'cache'),
        ...args,
      ],
      {
        timeout: 30000,
      },
    );
    return stdout;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sandbox-kubectl-'));
    store = createSandboxStore();
    store.create(CRD_KEY, redisCrd());
    server = await startApiServer({ store });
    await writeKubeconfig(join(dir, 'kubeconfig'), {
      url: server.url,
      token: server.token,
      certificate: server.certificate,
    });
  });

  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the CRD kind in api-resources', async () => {
    const out = await kubectl('api-resources');
    expect(out).toMatch(
      /^redis\s+marketplace\.kratix\.io\/v1alpha1\s+true\s+redis$/m,
    );
    expect(out).toMatch(/^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
  });

  it('creates, applies twice, prints tables and YAML, waits for a condition and deletes', async () => {
    await writeFile(join(dir, 'small.yaml'), REDIS_YAML('small'));
    await writeFile(join(dir, 'large.yaml'), REDIS_YAML('large'));
    expect(await kubectl('create', '-f', join(dir, 'small.yaml'))).toContain(
      'redis.marketplace.kratix.io/cache created',
    );
    await kubectl('delete', 'redis', 'cache');

    expect(await kubectl('apply', '-f', join(dir, 'small.yaml'))).toContain(
      'redis.marketplace.kratix.io/cache created',
    );
    expect(await kubectl('apply', '-f', join(dir, 'large.yaml'))).toContain(
      'redis.marketplace.kratix.io/cache configured',
    );
    const stored = store.get(REDIS, 'default', 'cache');
    expect(stored?.metadata.generation).toBe(2);
    expect(stored?.spec).toEqual({ size: 'large', replicas: 1 });

    store.patch(
      REDIS,
      'default',
      'cache',
      'merge',
      {
        status: {
          message: 'provisioning',
          conditions: [
            { type: 'Reconciled', status: 'True', message: 'all good' },
          ],
        },
      },
      { subresource: 'status' },
    );
    const table = await kubectl('get', 'redis');
    const [header, row] = table.trim().split('\n');
    expect(header.split(/\s{2,}/)).toEqual(['NAME', 'MESSAGE', 'STATUS']);
    expect(row.split(/\s{2,}/)).toEqual(['cache', 'provisioning', 'all good']);

    const yaml = await kubectl('get', 'redis', 'cache', '-o', 'yaml');
    expect(yaml).toContain('apiVersion: marketplace.kratix.io/v1alpha1');
    expect(yaml).toMatch(/^ {2}size: large$/m);
    expect(yaml).toMatch(/^ {2}generation: 2$/m);

    // The condition arrives once kubectl's watch is open, so `wait` must see it on the stream.
    const markReady = () => {
      store.patch(
        REDIS,
        'default',
        'cache',
        'merge',
        {
          status: {
            conditions: [
              {
                type: 'Ready',
                status: 'True',
                reason: 'Done',
                message: 'ready',
              },
            ],
          },
        },
        { subresource: 'status' },
      );
    };
    const originalWatch = store.watch.bind(store);
    const watch = jest
      .spyOn(store, 'watch')
      .mockImplementationOnce((...args) => {
        const stop = originalWatch(...args);
        setImmediate(markReady);
        return stop;
      });
    try {
      expect(
        await kubectl(
          'wait',
          '--for=condition=Ready',
          '--timeout=20s',
          'redis/cache',
        ),
      ).toContain('condition met');
      expect(watch).toHaveBeenCalled();
    } finally {
      watch.mockRestore();
    }

    expect(await kubectl('delete', '-f', join(dir, 'large.yaml'))).toContain(
      '"cache" deleted',
    );
    expect(store.get(REDIS, 'default', 'cache')).toBeUndefined();
  });

  it('prints built-in tables and reports server errors', async () => {
    const namespaces = await kubectl('get', 'namespaces');
    expect(namespaces.split('\n')[0].split(/\s{2,}/)).toEqual([
      'NAME',
      'STATUS',
      'AGE',
    ]);
    expect(namespaces).toMatch(/^kratix-platform-system\s+Active\s+\d+s$/m);
    await writeFile(join(dir, 'huge.yaml'), REDIS_YAML('huge'));
    await expect(
      kubectl('create', '-f', join(dir, 'huge.yaml')),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining(
        'spec.size: Unsupported value: "huge": supported values: "small", "large"',
      ),
    });
  });

  it('creates, prints and deletes a ConfigMap (sent as protobuf by kubectl 1.33)', async () => {
    await writeFile(join(dir, 'blob.bin'), Buffer.from([0xff, 0x00, 0x7f]));
    expect(
      await kubectl(
        '-n',
        'default',
        'create',
        'configmap',
        'switch',
        '--from-literal=suspend=true',
      ),
    ).toContain('configmap/switch created');
    await kubectl(
      '-n',
      'default',
      'create',
      'configmap',
      'binary',
      `--from-file=blob=${join(dir, 'blob.bin')}`,
    );
    expect(store.get(CONFIG_MAP_TYPE, 'default', 'switch')?.data).toEqual({
      suspend: 'true',
    });
    expect(store.get(CONFIG_MAP_TYPE, 'default', 'binary')?.binaryData).toEqual(
      { blob: '/wB/' },
    );
    const table = await kubectl('-n', 'default', 'get', 'configmaps');
    expect(table.split('\n')[0].split(/\s{2,}/)).toEqual([
      'NAME',
      'DATA',
      'AGE',
    ]);
    expect(table).toMatch(/^switch\s+1\s+\d+s$/m);
    expect(
      await kubectl(
        '-n',
        'default',
        'get',
        'configmap',
        'switch',
        '-o',
        'jsonpath={.data.suspend}',
      ),
    ).toBe('true');
    await kubectl('-n', 'default', 'delete', 'configmap', 'switch', 'binary');
    expect(store.get(CONFIG_MAP_TYPE, 'default', 'switch')).toBeUndefined();
  });
});
