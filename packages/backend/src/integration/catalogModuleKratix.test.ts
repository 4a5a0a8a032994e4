/*
 * The Kratix catalog module on the real catalog: the sandbox's Promises, Resources and templates are
 * ingested, Resource creations and deletions follow within seconds, and the Kratix tab of an
 * ingested Resource entity shows its status under the default (strict, "platform") link trust —
 * while a hand-written entity claiming the same Resource is not believed.
 */
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import scaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import catalogModuleKratix from '@kratix-backstage/plugin-catalog-backend-module-kratix';
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(120_000);

const RESOURCES =
  '/api/catalog/entities?filter=kind=resource,spec.type=kratix-resource';
const TEMPLATES = '/api/catalog/entities?filter=kind=template';

describe('the Kratix catalog module', () => {
  let sandbox: Sandbox;
  let backend: KratixTestBackend;
  let guest: string;
  let alice: string;
  let dir: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ stepDelayMs: 50 });
    await sandbox.ready;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kratix-catalog-'));
    // A hand-written entity claiming a Resource it has no platform agreement for.
    const impostor = path.join(dir, 'impostor.yaml');
    fs.writeFileSync(
      impostor,
      JSON.stringify({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name: 'impostor',
          annotations: {
            'kratix.io/type': 'resource',
            'kratix.io/promise-name': 'redis',
            'kratix.io/name': 'example',
            'kratix.io/namespace': 'default',
            'kratix.backstage.io/cluster': 'sandbox',
            // Ignored: the catalog overwrites this for entities read from files.
            'backstage.io/managed-by-location': 'kratix-platform:sandbox',
          },
        },
        spec: { type: 'database', owner: 'team-checkout' },
      }),
    );
    backend = await startKratixTestBackend({
      cluster: sandbox,
      // The real scheduler: the full runs repeat, as in the app (the test backend's mock runs once).
      features: [
        schedulerServiceFactory,
        scaffolderEntityModel,
        catalogModuleKratix,
      ],
      extraLocations: [impostor],
      extraConfig: {
        catalog: {
          providers: {
            kratix: {
              defaultOwner: 'group:default/team-platform',
              schedule: {
                frequency: { seconds: 2 },
                timeout: { seconds: 60 },
              },
            },
          },
        },
      },
    });
    guest = await backend.auth('guest');
    // The platform team: the example policy shows Resource entities to their owners and to it.
    alice = await backend.auth('alice');
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const get = (url: string, authorization = guest) =>
    request(backend.server).get(url).set('Authorization', authorization);

  it('ingests every sandbox Resource as a kratix-resource entity, owned like the entity it was created for', async () => {
    const names = await eventually(async () => {
      const res = await get(RESOURCES, alice);
      const items: any[] = res.body;
      const redis = items.find(e => e.metadata.name === 'example-redis');
      // The owner is read from checkout-service, which the catalog may ingest after the first run.
      return items.length === 7 &&
        redis?.spec.owner === 'group:default/team-checkout'
        ? items.map(e => e.metadata.name).sort()
        : undefined;
    }, 'the sandbox Resources in the catalog');
    expect(names).toEqual([
      'broken-jenkins',
      'example-elastic-cloud',
      'example-jenkins',
      'example-redis',
      'orders-teamdatabase',
      'paused-cache-redis',
      'slow-cache-redis',
    ]);
    // In the provider's own catalog namespace, without status or dependsOn (both opt-in).
    const redis = (
      await get('/api/catalog/entities/by-name/resource/kratix/example-redis')
    ).body;
    expect(redis.metadata.annotations['backstage.io/managed-by-location']).toBe(
      'kratix-platform:sandbox',
    );
    expect(redis.metadata.annotations).not.toHaveProperty('kratix.io/status');
    expect(
      redis.relations.map((r: any) => `${r.type} ${r.targetRef}`).sort(),
    ).toEqual(['ownedBy group:default/team-checkout']);
  });

  it('lists one template per installed Promise', async () => {
    const templates = await eventually(async () => {
      const items: any[] = (await get(TEMPLATES)).body;
      return items.length === 4 ? items : undefined;
    }, 'the templates');
    expect(templates.map(t => t.spec.steps[0].input.promise).sort()).toEqual([
      'elastic-cloud',
      'jenkins',
      'redis',
      'team-database',
    ]);
  });

  it('shows the status of an ingested Resource entity on its Kratix tab, and not a hand-written claim', async () => {
    const body = await eventually(async () => {
      const res = await get(
        '/api/kratix/entities/resource/kratix/example-redis/resources',
      );
      return res.status === 200 && res.body.items.length === 1
        ? res.body
        : undefined;
    }, 'the Kratix tab of the ingested entity');
    expect(body.refErrors).toEqual([]);
    expect(body.items[0]).toMatchObject({
      cluster: 'sandbox',
      promise: 'redis',
      namespace: 'default',
      name: 'example',
    });
    expect(typeof body.items[0].message).toBe('string');
    expect(body.items[0].conditions.length).toBeGreaterThan(0);

    const impostor = await eventually(async () => {
      const res = await get(
        '/api/kratix/entities/resource/default/impostor/resources',
      );
      return res.status === 200 ? res.body : undefined;
    }, 'the hand-written entity');
    expect(impostor.items).toEqual([]);
    expect(impostor.refErrors.map((e: any) => e.reason)).toEqual([
      'not-confirmed',
    ]);
  });

  it('adds a created Resource within seconds and removes it when it is deleted', async () => {
    const created = await request(backend.server)
      .post('/api/kratix/resources')
      .set('Authorization', guest)
      .send({
        promise: 'redis',
        namespace: 'default',
        name: 'catalog-cache',
        spec: { size: 'small' },
        entityRef: 'component:default/checkout-service',
      });
    expect(created.status).toBe(201);
    const entity = await eventually(
      async () => {
        const res = await get(
          '/api/catalog/entities/by-name/resource/kratix/catalog-cache-redis',
        );
        return res.status === 200 ? res.body : undefined;
      },
      'the created Resource in the catalog',
      15_000,
    );
    expect(entity.spec.owner).toBe('group:default/team-checkout');

    sandbox.store.delete(
      { group: 'marketplace.kratix.io', plural: 'redis' },
      'default',
      'catalog-cache',
    );
    await eventually(
      async () => {
        const res = await get(
          '/api/catalog/entities/by-name/resource/kratix/catalog-cache-redis',
        );
        return res.status === 404 ? true : undefined;
      },
      'the deleted Resource to leave the catalog',
      15_000,
    );
  });
});
