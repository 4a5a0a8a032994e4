/*
 * The frontend's KratixClient against the real backend: one test per KratixApi method (titled by
 * the method), calling the client the app ships (its paths, methods and bodies) over HTTP into the
 * real router, the sandbox as the cluster. A renamed route, a changed method or a changed body
 * fails here, not only in a browser. Writes are checked on the cluster itself (the sandbox's
 * store), not on the answer alone. The client comes from the plugin's `/api` entry point: the main
 * one loads UI libraries that need `window`, which jest's node environment does not have.
 */
import {
  KratixClient,
  type KratixApi,
  type KratixResourceKey,
} from '@kratix-backstage/plugin-kratix/api';
import type { EntityResourcesResponse } from '@kratix-backstage/plugin-kratix-common';
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(120_000);

const REDIS = { group: 'marketplace.kratix.io', plural: 'redis' };
const PAUSED = 'kratix.io/paused';
const MANUAL_RECONCILIATION = 'kratix.io/manual-reconciliation';
const CHECKOUT = 'component:default/checkout-service';
const SESSION = 'component:default/session-cache';
const DISPOSABLE = 'component:default/client-disposable';
/** Resources the write tests change or delete, one each, linked to the disposable entity. */
const WRITE_TARGETS = [
  'client-reconcile',
  'client-pause',
  'client-update',
  'client-delete',
];
/** An entity of the guest's team linking the Resources the tests create, change and delete. */
const DISPOSABLE_ENTITY = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: client-disposable
  annotations:
    kratix.backstage.io/resources: |
${[...WRITE_TARGETS, 'client-created']
  .map(name => `      redis/default/${name}`)
  .join('\n')}
spec:
  type: service
  lifecycle: experimental
  owner: team-checkout
`;
/** The details route sends this many timeline entries, so that older ones need a page. */
const TIMELINE_PAGE_SIZE = 2;

/** What the client is built from: the app's discoveryApi and fetchApi. */
type ClientOptions = ConstructorParameters<typeof KratixClient>[0];

const redis = (name: string): KratixResourceKey => ({
  cluster: 'sandbox',
  promise: 'redis',
  namespace: 'default',
  name,
});

describe('KratixClient against the Kratix backend', () => {
  let sandbox: Sandbox;
  let backend: KratixTestBackend;
  let client: KratixApi;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'kratix-client-'));
    writeFileSync(path.join(dir, 'disposable.yaml'), DISPOSABLE_ENTITY);
    sandbox = await startSandbox({ stepDelayMs: 20 });
    await sandbox.ready;
    backend = await startKratixTestBackend({
      cluster: sandbox,
      extraLocations: [path.join(dir, 'disposable.yaml')],
      extraConfig: {
        kratix: { history: { timelinePageSize: TIMELINE_PAGE_SIZE } },
      },
    });
    // The client needs a real URL: the backend's own listening port, as the app would reach it.
    const { port } = backend.server.address() as AddressInfo;
    const discoveryApi: ClientOptions['discoveryApi'] = {
      getBaseUrl: async pluginId => `http://127.0.0.1:${port}/api/${pluginId}`,
    };
    // As the app's fetchApi does: the signed-in user's token on every request.
    const fetchApi: ClientOptions['fetchApi'] = {
      fetch: async (input, init) => {
        const headers = new Headers(init?.headers);
        headers.set('Authorization', await backend.auth('guest'));
        return fetch(input, { ...init, headers });
      },
    };
    client = new KratixClient({ discoveryApi, fetchApi });

    // The write tests' Resources, created through the route (not the client: createResource has
    // its own test), each settled so that its resourceVersion stays put; and the seeded example
    // settled, so that its timeline (request, workflow run, conditions) is longer than one page.
    const guest = await backend.auth('guest');
    for (const name of WRITE_TARGETS) {
      const created = await request(backend.server)
        .post('/api/kratix/resources')
        .set('Authorization', guest)
        .send({
          promise: 'redis',
          namespace: 'default',
          name,
          spec: { size: 'small' },
          entityRef: DISPOSABLE,
        });
      if (created.status !== 201) {
        throw new Error(
          `Creating ${name} failed: ${created.status} ${created.text}`,
        );
      }
    }
    await Promise.all([...WRITE_TARGETS, 'example'].map(settled));
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const stored = (name: string) => sandbox.store.get(REDIS, 'default', name);
  /** The Resource once its workflow has run for its current generation. */
  function settled(name: string) {
    return eventually(async () => {
      const object = stored(name);
      const status = object?.status as
        | {
            observedGeneration?: number;
            conditions?: Array<{ type: string; status: string }>;
          }
        | undefined;
      const reconciled = status?.conditions?.find(c => c.type === 'Reconciled');
      return reconciled?.status === 'True' &&
        status?.observedGeneration === object?.metadata.generation
        ? object!
        : undefined;
    }, `${name} to settle`);
  }

  it('getPromises', async () => {
    const { items, clusters, errors } = await client.getPromises();
    expect(items.map(p => p.name).sort()).toEqual([
      'elastic-cloud',
      'jenkins',
      'redis',
      'team-database',
    ]);
    const redisPromise = items.find(p => p.name === 'redis')!;
    expect(redisPromise).toMatchObject({
      cluster: 'sandbox',
      group: REDIS.group,
      plural: REDIS.plural,
    });
    // Configured as any cluster (by URL), not as the app's embedded sandbox.
    expect(clusters).toEqual([{ name: 'sandbox', sandbox: false }]);
    expect(errors).toEqual([]);
  });

  it('getEntityResources', async () => {
    const { items, refErrors, errors } = await client.getEntityResources(
      CHECKOUT,
    );
    expect(items.map(r => `${r.promise}/${r.name}`).sort()).toEqual([
      'redis/example',
      'redis/slow-cache',
      'team-database/orders',
    ]);
    expect(items.find(r => r.name === 'example')!.uid).toBe(
      stored('example')!.metadata.uid,
    );
    expect(refErrors).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('getResourceDetails', async () => {
    // The compound form of an entity ref reaches the same route as the string form.
    const details = await client.getResourceDetails(
      { kind: 'Component', namespace: 'default', name: 'checkout-service' },
      redis('example'),
    );
    expect(details.resource).toMatchObject({
      cluster: 'sandbox',
      promise: 'redis',
      namespace: 'default',
      name: 'example',
      entityRef: CHECKOUT,
    });
    expect(details.object.metadata.uid).toBe(stored('example')!.metadata.uid);
    expect(details.object.spec).toEqual(stored('example')!.spec);
    // The seeded Resource has more history than one page: the newest page and a cursor.
    expect(details.timeline).toHaveLength(TIMELINE_PAGE_SIZE);
    expect(details.timelineNext).toEqual(expect.any(String));
    expect(details.timelineTotal).toBeGreaterThan(TIMELINE_PAGE_SIZE);
  });

  it('getResource', async () => {
    const details = await client.getResource(redis('example'));
    expect(details.resource).toMatchObject({
      cluster: 'sandbox',
      promise: 'redis',
      name: 'example',
    });
    expect(details.object.metadata.uid).toBe(stored('example')!.metadata.uid);
    expect(details.timeline.length).toBeGreaterThan(0);
  });

  it('getResourceTimeline', async () => {
    const details = await client.getResourceDetails(CHECKOUT, redis('example'));
    expect(details.timelineNext).toEqual(expect.any(String));
    const page = await client.getResourceTimeline(CHECKOUT, redis('example'), {
      before: details.timelineNext!,
      limit: 1,
    });
    // `before` and `limit` reached the route: one entry, older than the details' newest page
    // (entries recorded meanwhile land after that page, so the cursor still holds).
    expect(page.entries).toHaveLength(1);
    expect(page.entries[0].time <= details.timeline[0].time).toBe(true);
    expect(details.timeline).not.toContainEqual(page.entries[0]);
    expect(page.total).toBeGreaterThanOrEqual(details.timelineTotal!);
  });

  it('createResource', async () => {
    const created = await client.createResource({
      promise: 'redis',
      namespace: 'default',
      name: 'client-created',
      spec: { size: 'large' },
      entityRef: DISPOSABLE,
    });
    expect(created.dryRun).toBe(false);
    expect(created.resource).toMatchObject({
      promise: 'redis',
      namespace: 'default',
      name: 'client-created',
    });
    const object = stored('client-created');
    expect(object?.spec).toEqual({ size: 'large' });
    expect(object?.metadata.uid).toBe(created.object.metadata.uid);
    expect(object?.metadata.annotations).toMatchObject({
      'kratix.backstage.io/entity-ref': DISPOSABLE,
    });
  });

  it('reconcileResource', async () => {
    // Kratix removes the label once it has re-run the workflow, which can be before the answer
    // arrives: watch the cluster's changes instead of reading the Resource afterwards.
    const labelled: Array<string | undefined> = [];
    const unsubscribe = sandbox.store.subscribe(change => {
      if (change.object.metadata.name === 'client-reconcile') {
        labelled.push(change.object.metadata.labels?.[MANUAL_RECONCILIATION]);
      }
    });
    try {
      const result = await client.reconcileResource(
        DISPOSABLE,
        redis('client-reconcile'),
      );
      expect(result.action).toBe('reconcile');
      expect(result.object.metadata.labels).toMatchObject({
        [MANUAL_RECONCILIATION]: 'true',
      });
      expect(labelled).toContain('true');
    } finally {
      unsubscribe();
    }
  });

  it('pauseResource', async () => {
    expect(stored('client-pause')!.metadata.labels?.[PAUSED]).toBeUndefined();
    const result = await client.pauseResource(
      DISPOSABLE,
      redis('client-pause'),
    );
    expect(result.action).toBe('pause');
    expect(result.resource.paused).toBe(true);
    expect(stored('client-pause')!.metadata.labels?.[PAUSED]).toBe('true');
  });

  it('resumeResource', async () => {
    // The seeded paused-cache is paused for maintenance.
    expect(stored('paused-cache')!.metadata.labels?.[PAUSED]).toBe('true');
    const result = await client.resumeResource(SESSION, redis('paused-cache'));
    expect(result.action).toBe('resume');
    expect(result.resource.paused).toBe(false);
    expect(stored('paused-cache')!.metadata.labels?.[PAUSED]).toBeUndefined();
  });

  it('updateResource', async () => {
    const before = stored('client-update')!;
    expect(before.spec).toEqual({ size: 'small' });
    const result = await client.updateResource(
      DISPOSABLE,
      redis('client-update'),
      {
        spec: { size: 'large' },
        resourceVersion: before.metadata.resourceVersion!,
      },
    );
    expect(result.action).toBe('update');
    expect(result.object.spec).toEqual({ size: 'large' });
    const after = stored('client-update')!;
    expect(after.spec).toEqual({ size: 'large' });
    expect(after.metadata.generation).toBe(before.metadata.generation! + 1);
  });

  it('deleteResource', async () => {
    const uid = stored('client-delete')!.metadata.uid;
    const result = await client.deleteResource(
      DISPOSABLE,
      redis('client-delete'),
    );
    expect(result.action).toBe('delete');
    expect(result.resource.uid).toBe(uid);
    // Gone, or Kratix is running its delete workflow.
    const after = stored('client-delete');
    expect(
      after === undefined || after.metadata.deletionTimestamp !== undefined,
    ).toBe(true);
  });

  it('watchEntityResources', async () => {
    let stop: (() => void) | undefined;
    try {
      const first = await new Promise<EntityResourcesResponse>(
        (resolve, reject) => {
          stop = client.watchEntityResources(CHECKOUT, resolve, ({ error }) =>
            reject(error),
          );
        },
      );
      expect(first.items.map(r => `${r.promise}/${r.name}`).sort()).toEqual([
        'redis/example',
        'redis/slow-cache',
        'team-database/orders',
      ]);
      expect(first.refErrors).toEqual([]);
    } finally {
      stop?.();
    }
  });
});
