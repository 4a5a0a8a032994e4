/*
 * Where a Resource's output landed, through the real backend: the one-Resource route's `works`
 * (Works, placements, Destinations, file names) on the sandbox's emulated scheduling, the
 * misplacement a Destination relabel causes, and the same read permission as the Resource.
 */
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import request from 'supertest';
import { openEventStream } from './__testUtils__/eventStream';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(120_000);

const DESTINATIONS = { group: 'platform.kratix.io', plural: 'destinations' };
const SEARCH = '/api/kratix/entities/component/default/search-service';
const CHECKOUT = '/api/kratix/entities/component/default/checkout-service';
const ELASTIC_DETAILS = `${SEARCH}/resources/sandbox/default/elastic-cloud/example`;
const REDIS_DETAILS = `${CHECKOUT}/resources/sandbox/default/redis/example`;

describe('Where a Resource landed', () => {
  let sandbox: Sandbox;
  let backend: KratixTestBackend;
  let guest: string;
  let bob: string;

  const get = (path: string, auth: string) =>
    request(backend.server).get(path).set('Authorization', auth);

  const relabel = (name: string, environment: string) =>
    sandbox.store.patch(DESTINATIONS, undefined, name, 'merge', {
      metadata: { labels: { environment } },
    });

  beforeAll(async () => {
    sandbox = await startSandbox({ stepDelayMs: 20 });
    await sandbox.ready;
    backend = await startKratixTestBackend({
      cluster: sandbox,
    });
    [guest, bob] = await Promise.all(
      ['guest', 'bob'].map(user => backend.auth(user)),
    );
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  afterEach(() => {
    // Each test starts from the seeded labels.
    relabel('dev', 'dev');
    relabel('prod', 'prod');
  });

  it('shows the Work, its placement on a Destination and the files written, never their contents', async () => {
    const body = await eventually(async () => {
      const res = await get(ELASTIC_DETAILS, guest);
      return res.body.works?.[0]?.placements?.[0]?.state === 'ready'
        ? res.body
        : undefined;
    }, 'the elastic-cloud Work to be placed');
    expect(body.works).toHaveLength(1);
    const [work] = body.works;
    expect(work).toMatchObject({
      namespace: 'default',
      pipeline: 'resource-configure',
      state: 'ready',
    });
    expect(work.workloadGroups[0].destinationSelectors).toContainEqual({
      matchLabels: { environment: 'dev' },
      source: 'promise',
    });
    expect(work.placements).toHaveLength(1);
    const [placement] = work.placements;
    expect(placement).toMatchObject({
      misplaced: false,
      destination: {
        name: 'dev',
        found: true,
        labels: { environment: 'dev' },
        stateStore: { kind: 'BucketStateStore', name: 'sandbox' },
        path: 'dev',
      },
    });
    expect(placement.conditions.map((c: any) => c.type)).toEqual(
      expect.arrayContaining(['ScheduleSucceeded', 'WriteSucceeded', 'Ready']),
    );
    // The ECK manifests the workshop pipeline writes, by name only.
    expect(placement.files.length).toBeGreaterThan(0);
    expect(placement.files).toEqual(work.workloadGroups[0].files);
    expect(placement.files.join(' ')).toMatch(/elasticsearch/i);
    expect(JSON.stringify(body.works)).not.toContain('"content"');
    // Work conditions are on the timeline next to the workflow run.
    expect(
      body.timeline.some(
        (e: any) => e.source === 'work' && e.title === `Work ${work.name}`,
      ),
    ).toBe(true);
  });

  it('reports a Work misplaced once its Destination is relabelled, and placed again when the labels match', async () => {
    await eventually(async () => {
      const res = await get(REDIS_DETAILS, guest);
      const condition = res.body.resource?.conditions?.find(
        (c: any) => c.type === 'WorksSucceeded',
      );
      return condition?.status === 'True' ? true : undefined;
    }, 'redis/example to have its Works ready');

    relabel('dev', 'staging');
    const misplaced = await eventually(async () => {
      const res = await get(REDIS_DETAILS, guest);
      return res.body.works?.[0]?.state === 'misplaced' ? res.body : undefined;
    }, 'the redis Work to be misplaced');
    const [work] = misplaced.works;
    expect(work.placements).toHaveLength(1);
    expect(work.placements[0]).toMatchObject({
      state: 'misplaced',
      misplaced: true,
      destination: { name: 'dev', labels: { environment: 'staging' } },
    });
    const worksSucceeded = misplaced.resource.conditions.find(
      (c: any) => c.type === 'WorksSucceeded',
    );
    expect(worksSucceeded).toMatchObject({
      status: 'False',
      reason: 'WorksMisplaced',
    });
    expect(worksSucceeded.message).toContain(work.name);
    expect(misplaced.resource.state).not.toBe('ready');
    // Kratix's scheduler files an Event against the Work; the timeline says which object it is about.
    const mismatch = await eventually(async () => {
      const res = await get(REDIS_DETAILS, guest);
      return res.body.timeline?.find(
        (e: any) =>
          e.source === 'event' &&
          e.title === 'DestinationSelectorMismatch' &&
          e.message.startsWith(`Work ${work.name}: `),
      );
    }, "the scheduler's DestinationSelectorMismatch Event on the timeline");
    expect(mismatch.status).toBe('Warning');

    relabel('dev', 'dev');
    await eventually(async () => {
      const res = await get(REDIS_DETAILS, guest);
      return res.body.works?.[0]?.state === 'ready' &&
        !res.body.works[0].placements[0].misplaced
        ? true
        : undefined;
    }, 'the redis Work to be placed again');

    // The misplacement stays on the timeline after the Work is Ready again: its transitions are
    // recorded as the watch sees them, not read from the Work's current conditions alone.
    const readyTransitions = await eventually(async () => {
      const res = await get(REDIS_DETAILS, guest);
      const ready = (res.body.timeline ?? []).filter(
        (e: any) =>
          e.source === 'work' &&
          e.title === `Work ${work.name}` &&
          e.message.startsWith('Ready'),
      );
      return ready.some((e: any) => e.status === 'False') &&
        ready.some((e: any) => e.status === 'True')
        ? ready
        : undefined;
    }, 'the Work going misplaced and Ready again on the timeline');
    const misplacedAt = readyTransitions.findIndex(
      (e: any) => e.reason === 'Misplaced' || e.message.includes('Misplaced'),
    );
    expect(misplacedAt).toBeGreaterThanOrEqual(0);
    expect(readyTransitions[readyTransitions.length - 1].status).toBe('True');
  });

  it('pushes a live update when only where a Resource landed changes', async () => {
    // elastic-cloud emulates Kratix before WorksSucceeded existed: the Resource itself does not
    // change when its Destination is relabelled, only its Works do.
    await eventually(async () => {
      const res = await get(ELASTIC_DETAILS, guest);
      return res.body.works?.[0]?.state === 'ready' ? true : undefined;
    }, 'the elastic-cloud Work to be placed');
    const stream = await openEventStream(
      backend.server,
      `${SEARCH}/events`,
      guest,
    );
    try {
      const first = await stream.nextEvent('resources');
      expect(first.items[0].works).toEqual([
        expect.objectContaining({
          state: 'ready',
          placements: [{ destination: 'dev', state: 'ready' }],
        }),
      ]);
      const before = first.items[0].resourceVersion;
      relabel('dev', 'staging');
      let next = await stream.nextEvent('resources', 5_000);
      while (next.items[0].works[0].state !== 'misplaced') {
        next = await stream.nextEvent('resources', 5_000);
      }
      expect(next.items[0].works[0].placements).toEqual([
        { destination: 'dev', state: 'misplaced' },
      ]);
      expect(next.items[0].resourceVersion).toBe(before);
    } finally {
      stream.close();
    }
  });

  it('shows Works only to callers who may read the Resource', async () => {
    const denied = await get(ELASTIC_DETAILS, bob);
    expect([403, 404]).toContain(denied.status);
    expect(denied.body.works).toBeUndefined();
    expect(JSON.stringify(denied.body)).not.toMatch(/placement|destination/i);

    const page = await get(
      '/api/kratix/resources/sandbox/default/elastic-cloud/example',
      guest,
    );
    expect(page.status).toBe(200);
    expect(page.body.works[0].placements[0].destination.name).toBe('dev');
    const pageDenied = await get(
      '/api/kratix/resources/sandbox/default/elastic-cloud/example',
      bob,
    );
    expect(pageDenied.status).toBe(404);
    expect(pageDenied.body.works).toBeUndefined();
  });
});

describe('a cluster whose Works cannot be read', () => {
  let sandbox: Sandbox;
  let backend: KratixTestBackend;

  beforeAll(async () => {
    sandbox = await startSandbox({ stepDelayMs: 20 });
    await sandbox.ready;
    backend = await startKratixTestBackend({
      cluster: sandbox,
    });
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  it('still answers for the Resource, saying why its Works are missing', async () => {
    const guest = await backend.auth('guest');
    const get = (path: string) =>
      request(backend.server).get(path).set('Authorization', guest);
    await eventually(async () => {
      const res = await get(ELASTIC_DETAILS);
      return res.body.works?.length ? true : undefined;
    }, 'the elastic-cloud Work');

    // As on a cluster where Backstage may not list works (or an install without the kind).
    sandbox.store.delete(
      { group: 'apiextensions.k8s.io', plural: 'customresourcedefinitions' },
      undefined,
      'works.platform.kratix.io',
    );

    const details = await eventually(async () => {
      const res = await get(ELASTIC_DETAILS);
      return res.body.worksError ? res : undefined;
    }, 'the route to report that Works cannot be read');
    expect(details.status).toBe(200);
    expect(details.body.works).toEqual([]);
    expect(details.body.worksError).toBe(
      'Works could not be read: Cluster sandbox does not serve works.platform.kratix.io/v1alpha1',
    );
    expect(details.body.worksError).not.toContain(sandbox.url);
    expect(details.body.resource.message).toBe(
      'Instance example provisioned with preconfigured system metrics',
    );

    const list = await get(`${SEARCH}/resources`);
    expect(list.status).toBe(200);
    expect(list.body.items[0].name).toBe('example');
    expect(list.body.items[0].works).toBeUndefined();
  });
});
