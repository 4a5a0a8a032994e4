/*
 * kratix.cache.decisionSeconds: 0 and kratix.cache.entitySeconds: 0 on the real backend: nothing is
 * reused, so a change of who may read takes effect on the very next request once the catalog (or a
 * fresh sign-in) shows it — an entity handed to another team, a user taken off a team — and reads
 * still work with every request asking the catalog and the policy afresh. With the caches on, the
 * same requests would still be answered from the cache (security.test.ts bounds that delay).
 */
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { openEventStream } from './__testUtils__/eventStream';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(120_000);

const handedOver = (owner: string) => `---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: handed-over
  annotations:
    kratix.backstage.io/resources: redis/default/handed-over-cache
spec:
  type: service
  lifecycle: production
  owner: ${owner}
`;

/** A user only this test knows, on team-checkout until the test takes them off it. */
const dana = (memberOf: string[]) => `---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: dana
spec:
  memberOf: ${JSON.stringify(memberOf)}
`;

const RESOURCES = (entity: string) =>
  `/api/kratix/entities/component/default/${entity}/resources`;

describe('with kratix.cache.decisionSeconds and entitySeconds at 0', () => {
  let sandbox: Sandbox;
  let backend: KratixTestBackend;
  let dir: string;
  let alice: string;

  const get = (route: string, auth: string) =>
    request(backend.server).get(route).set('Authorization', auth);
  const names = (body: { items?: Array<{ name: string }> }) =>
    (body.items ?? []).map(i => i.name).sort();

  /** The catalog's view of an entity, as alice (the platform team, who sees everything). */
  const catalogEntity = async (kind: string, name: string) =>
    (await get(`/api/catalog/entities/by-name/${kind}/default/${name}`, alice))
      .body;
  const relations = (entity: any, type: string): string[] =>
    (entity?.relations ?? [])
      .filter((r: { type: string }) => r.type === type)
      .map((r: { targetRef: string }) => r.targetRef);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'kratix-cache-off-'));
    writeFileSync(
      path.join(dir, 'handed-over.yaml'),
      handedOver('team-checkout'),
    );
    writeFileSync(path.join(dir, 'dana.yaml'), dana(['team-checkout']));
    sandbox = await startSandbox({ stepDelayMs: 20 });
    await sandbox.ready;
    backend = await startKratixTestBackend({
      cluster: sandbox,
      extraLocations: [
        path.join(dir, 'handed-over.yaml'),
        path.join(dir, 'dana.yaml'),
      ],
      extraConfig: {
        kratix: { cache: { decisionSeconds: 0, entitySeconds: 0 } },
      },
    });
    alice = await backend.auth('alice');
    await eventually(async () => {
      const entity = await catalogEntity('component', 'handed-over');
      const user = await catalogEntity('user', 'dana');
      return relations(entity, 'ownedBy').includes(
        'group:default/team-checkout',
      ) && relations(user, 'memberOf').includes('group:default/team-checkout')
        ? true
        : undefined;
    }, 'the catalog to ingest the test entities');
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads the Resources of an entity, one of them, and its live stream, with every request decided afresh', async () => {
    const guest = await backend.auth('guest');
    // Several reads at once, each asking the catalog and the policy itself.
    const reads = await Promise.all(
      Array.from({ length: 5 }, () =>
        get(RESOURCES('checkout-service'), guest),
      ),
    );
    for (const res of reads) {
      expect(res.status).toBe(200);
      expect(names(res.body)).toEqual(['example', 'orders', 'slow-cache']);
    }
    const one = await get(
      `${RESOURCES('checkout-service')}/sandbox/default/redis/example`,
      guest,
    );
    expect(one.status).toBe(200);
    expect(one.body.resource.name).toBe('example');

    const stream = await openEventStream(
      backend.server,
      '/api/kratix/entities/component/default/checkout-service/events',
      guest,
    );
    try {
      expect(stream.status).toBe(200);
      expect(names(await stream.nextEvent('resources'))).toEqual([
        'example',
        'orders',
        'slow-cache',
      ]);
    } finally {
      stream.close();
    }
    // And what a user may not read stays refused.
    const bob = await backend.auth('bob');
    expect((await get(RESOURCES('checkout-service'), bob)).status).toBe(403);
  });

  it('refuses the former owners on the very next request once the catalog shows the entity has a new owner (entitySeconds: 0)', async () => {
    const guest = await backend.auth('guest');
    const created = await request(backend.server)
      .post('/api/kratix/resources')
      .set('Authorization', guest)
      .send({
        promise: 'redis',
        namespace: 'default',
        name: 'handed-over-cache',
        spec: { size: 'small' },
        entityRef: 'component:default/handed-over',
      });
    expect(created.status).toBe(201);
    // The watch delivers the new Resource (eventual: the create returns before the cache has it).
    await eventually(async () => {
      const res = await get(RESOURCES('handed-over'), guest);
      return names(res.body).includes('handed-over-cache') ? true : undefined;
    }, 'the new Resource to be read through its entity');
    // Read again, so anything that could be reused was just used.
    expect((await get(RESOURCES('handed-over'), guest)).status).toBe(200);

    writeFileSync(
      path.join(dir, 'handed-over.yaml'),
      handedOver('team-platform'),
    );
    // The signal: the catalog itself says the entity is team-platform's now.
    await eventually(async () => {
      const entity = await catalogEntity('component', 'handed-over');
      return entity?.spec?.owner === 'team-platform' &&
        relations(entity, 'ownedBy').join() === 'group:default/team-platform'
        ? true
        : undefined;
    }, 'the catalog to see the new owner');

    const refused = await get(RESOURCES('handed-over'), guest);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(
      'You may not read the Kratix Resources of component:default/handed-over',
    );
    // The new owners read it, on the very next request too.
    const allowed = await get(RESOURCES('handed-over'), alice);
    expect(allowed.status).toBe(200);
    expect(names(allowed.body)).toEqual(['handed-over-cache']);
  });

  it('refuses a user taken off a team on the first request with their new sign-in (decisionSeconds: 0)', async () => {
    const before = await backend.signIn('dana');
    const read = await get(RESOURCES('checkout-service'), `Bearer ${before}`);
    expect(read.status).toBe(200);
    expect(names(read.body)).toEqual(['example', 'orders', 'slow-cache']);

    writeFileSync(path.join(dir, 'dana.yaml'), dana([]));
    // The signal: the catalog no longer has dana on team-checkout, so a sign-in now says so.
    await eventually(async () => {
      const user = await catalogEntity('user', 'dana');
      return user && relations(user, 'memberOf').length === 0
        ? true
        : undefined;
    }, 'the catalog to take dana off team-checkout');
    const after = await backend.signIn('dana');

    const refused = await get(RESOURCES('checkout-service'), `Bearer ${after}`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(
      'You may not read the Kratix Resources of component:default/checkout-service',
    );
    expect(JSON.stringify(refused.body)).not.toContain('slow-cache');
  });
});
