/*
 * The API server as @kubernetes/client-node 1.4.0 sees it, over HTTPS with a kubeconfig.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiextensionsV1Api,
  ApisApi,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  loadYaml,
  makeInformer,
  type V1CustomResourceDefinition,
  PatchStrategy,
  setHeaderOptions,
  Watch,
} from '@kubernetes/client-node';
import { createSandboxStore } from '../store';
import type { ObjectStore } from '../store/ObjectStore';
import { REDIS, redis, redisCrd } from '../store/testFixtures';
import { type RunningApiServer, startApiServer } from './ApiServer';
import { writeKubeconfig } from './kubeconfig';

const GROUP = 'marketplace.kratix.io';
const VERSION = 'v1alpha1';
const PATH = `/apis/${GROUP}/${VERSION}/namespaces/default/redis`;
const COLLECTION = {
  group: GROUP,
  version: VERSION,
  namespace: 'default',
  plural: 'redis',
};
function ref(): typeof COLLECTION;
function ref(name: string): typeof COLLECTION & { name: string };
function ref(name?: string) {
  return name ? { ...COLLECTION, name } : COLLECTION;
}

let dir: string;
let store: ObjectStore;
let server: RunningApiServer;
let kc: KubeConfig;

/** The Status body of a failed call (client-node keeps it as text or JSON depending on the call). */
function statusOf(error: any): any {
  const body = error?.body;
  return typeof body === 'string' ? JSON.parse(body) : body;
}

async function failure(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await new Promise(resolve => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sandbox-client-node-'));
  store = createSandboxStore({ historyLimit: 5 });
  server = await startApiServer({ store, token: 'test-token' });
  const file = join(dir, 'kubeconfig');
  await writeKubeconfig(file, {
    url: server.url,
    token: server.token,
    certificate: server.certificate,
  });
  kc = new KubeConfig();
  kc.loadFromFile(file);
  // loadYaml maps JSON names (`default`, `x-kubernetes-…`) onto client-node's typed model.
  const crd = loadYaml<V1CustomResourceDefinition>(JSON.stringify(redisCrd()));
  await kc
    .makeApiClient(ApiextensionsV1Api)
    .createCustomResourceDefinition({ body: crd });
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('client-node against the sandbox API server', () => {
  it('discovers a CRD created over the API, marked Established', async () => {
    const groups = await kc.makeApiClient(ApisApi).getAPIVersions();
    expect(groups.groups.map(g => g.name)).toContain(GROUP);
    const crd = await kc
      .makeApiClient(ApiextensionsV1Api)
      .readCustomResourceDefinition({ name: `redis.${GROUP}` });
    const established = crd.status?.conditions?.find(
      c => c.type === 'Established',
    );
    expect(established?.status).toBe('True');
    const namespaces = await kc.makeApiClient(CoreV1Api).listNamespace();
    expect(namespaces.items.map(n => n.metadata?.name)).toEqual([
      'default',
      'kratix-platform-system',
      'kube-system',
    ]);
  });

  it('creates, reads, replaces and deletes a custom resource', async () => {
    const api = kc.makeApiClient(CustomObjectsApi);
    const created = await api.createNamespacedCustomObject({
      ...ref(),
      body: redis('crud', { size: 'large' }),
    });
    expect(created.metadata.generation).toBe(1);
    expect(created.spec).toEqual({ size: 'large', replicas: 1 });
    const read = await api.getNamespacedCustomObject(ref('crud'));
    expect(read.metadata.uid).toBe(created.metadata.uid);
    const replaced = await api.replaceNamespacedCustomObject({
      ...ref('crud'),
      body: { ...read, spec: { size: 'small' } },
    });
    expect(replaced.metadata.generation).toBe(2);
    await api.deleteNamespacedCustomObject(ref('crud'));
    const missing = await failure(api.getNamespacedCustomObject(ref('crud')));
    expect(missing.code).toBe(404);
    expect(statusOf(missing)).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      message: `redis.${GROUP} "crud" not found`,
    });
  });

  it('writes status through the /status subresource only', async () => {
    const api = kc.makeApiClient(CustomObjectsApi);
    const created = await api.createNamespacedCustomObject({
      ...ref(),
      body: redis('status'),
    });
    const status = await api.replaceNamespacedCustomObjectStatus({
      ...ref('status'),
      body: {
        ...created,
        spec: { size: 'large' },
        status: { message: 'provisioned' },
      },
    });
    expect(status.status).toEqual({ message: 'provisioned' });
    expect(status.spec.size).toBe('small');
    const patched = await api.patchNamespacedCustomObjectStatus(
      { ...ref('status'), body: { status: { message: 'patched' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(patched.status.message).toBe('patched');
    const main = await api.patchNamespacedCustomObject(
      { ...ref('status'), body: { status: { message: 'ignored' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(main.status.message).toBe('patched');
  });

  it('applies merge and JSON patches, answers 409 on a stale resourceVersion', async () => {
    const api = kc.makeApiClient(CustomObjectsApi);
    const created = await api.createNamespacedCustomObject({
      ...ref(),
      body: redis('patch'),
    });
    const merged = await api.patchNamespacedCustomObject(
      {
        ...ref('patch'),
        body: { metadata: { labels: { team: 'a' } }, spec: { size: 'large' } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(merged.metadata.labels).toEqual({ team: 'a' });
    expect(merged.metadata.generation).toBe(2);
    const json = await api.patchNamespacedCustomObject(
      {
        ...ref('patch'),
        body: [{ op: 'replace', path: '/spec/replicas', value: 3 }],
      },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    expect(json.spec.replicas).toBe(3);
    const stale = await failure(
      api.replaceNamespacedCustomObject({ ...ref('patch'), body: created }),
    );
    expect(stale.code).toBe(409);
    expect(statusOf(stale)).toMatchObject({
      reason: 'Conflict',
      message: `Operation cannot be fulfilled on redis.${GROUP} "patch": the object has been modified; please apply your changes to the latest version and try again`,
    });
  });

  it('answers 422 with field causes for schema violations', async () => {
    const api = kc.makeApiClient(CustomObjectsApi);
    const error = await failure(
      api.createNamespacedCustomObject({
        ...ref(),
        body: redis('bad', { size: 'huge' }),
      }),
    );
    expect(error.code).toBe(422);
    const status = statusOf(error);
    expect(status.message).toBe(
      `redis.${GROUP} "bad" is invalid: spec.size: Unsupported value: "huge": supported values: "small", "large"`,
    );
    expect(status.details.causes).toEqual([
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.size',
        message:
          'Unsupported value: "huge": supported values: "small", "large"',
      },
    ]);
  });

  it('paginates lists with limit and continue', async () => {
    const api = kc.makeApiClient(CustomObjectsApi);
    for (const name of ['page-a', 'page-b', 'page-c']) {
      await api.createNamespacedCustomObject({
        ...ref(),
        body: {
          ...redis(name),
          metadata: { name, namespace: 'default', labels: { page: 'yes' } },
        },
      });
    }
    const first = await api.listNamespacedCustomObject({
      ...ref(),
      labelSelector: 'page=yes',
      limit: 2,
    });
    expect(first.items.map((o: any) => o.metadata.name)).toEqual([
      'page-a',
      'page-b',
    ]);
    expect(first.metadata.remainingItemCount).toBe(1);
    const second = await api.listNamespacedCustomObject({
      ...ref(),
      labelSelector: 'page=yes',
      limit: 2,
      _continue: first.metadata.continue,
    });
    expect(second.items.map((o: any) => o.metadata.name)).toEqual(['page-c']);
    expect(second.metadata.continue).toBeUndefined();
  });

  it('watches from a resourceVersion, reconnects from the last one seen, gets 410 when too old', async () => {
    const api = kc.makeApiClient(CustomObjectsApi);
    const start = store.currentResourceVersion();
    const seen: string[] = [];
    let lastRv = start;
    const watch = new Watch(kc);
    const watchFrom = async (resourceVersion: string) => {
      let done = false;
      const controller = await watch.watch(
        PATH,
        { resourceVersion },
        (type: string, object: any) => {
          seen.push(`${type} ${object.metadata?.name ?? object.reason}`);
          if (object.metadata?.resourceVersion)
            lastRv = object.metadata.resourceVersion;
        },
        () => {
          done = true;
        },
      );
      return { stop: () => controller.abort(), isDone: () => done };
    };
    const first = await watchFrom(start);
    await api.createNamespacedCustomObject({
      ...ref(),
      body: redis('watched'),
    });
    await waitFor(() => seen.includes('ADDED watched'), 'ADDED');
    first.stop();
    // Written while nobody watches: the reconnect replays it from history.
    store.patch(REDIS, 'default', 'watched', 'merge', {
      spec: { size: 'large' },
    });
    const second = await watchFrom(lastRv);
    await waitFor(() => seen.includes('MODIFIED watched'), 'replayed MODIFIED');
    second.stop();
    for (let i = 0; i < 6; i++) store.create(REDIS, redis(`flood-${i}`));
    const expired = await watchFrom(start);
    await waitFor(() => expired.isDone(), 'the expired watch to end');
    expect(seen[seen.length - 1]).toBe('ERROR Expired');
  });

  it('keeps an informer in sync across a 410 relist', async () => {
    const api = kc.makeApiClient(CustomObjectsApi);
    const informer = makeInformer(kc, PATH, () =>
      api.listNamespacedCustomObject(ref()),
    );
    const errors: unknown[] = [];
    // stop() aborts the watch request, which client-node reports as an AbortError.
    informer.on('error', (error: any) => {
      if (error?.name !== 'AbortError') errors.push(error);
    });
    await informer.start();
    const names = () =>
      informer
        .list()
        .map(o => o.metadata?.name)
        .sort();
    const storeNames = () =>
      store
        .list(REDIS, { namespace: 'default' })
        .items.map(o => o.metadata.name)
        .sort();
    await waitFor(
      () => names().join() === storeNames().join(),
      'the initial list',
    );
    await informer.stop();
    // More changes than the history keeps: resuming from the informer's resourceVersion is 410 Gone.
    store.delete(REDIS, 'default', 'watched');
    for (let i = 0; i < 6; i++) store.create(REDIS, redis(`late-${i}`));
    await informer.start();
    await waitFor(
      () => names().join() === storeNames().join(),
      'the relist after 410',
    );
    expect(names()).toContain('late-5');
    expect(names()).not.toContain('watched');
    expect(errors).toEqual([]);
    await informer.stop();
  });

  it('answers 401 without the right token', async () => {
    const other = new KubeConfig();
    other.loadFromOptions({
      clusters: [{ name: 'c', server: server.url, skipTLSVerify: true }],
      users: [{ name: 'u', token: 'wrong' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    const error = await failure(other.makeApiClient(CoreV1Api).listNamespace());
    expect(error.code).toBe(401);
  });
});
