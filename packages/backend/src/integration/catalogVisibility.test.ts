/*
 * What the catalog and the scaffolder show, under the app's example policy and the Kratix catalog
 * module's defaults, performed as the attacks of issue 20 (a user of team-search and team-checkout
 * with a catalog file of their own):
 *  - another team's Resource entities cannot be read, and no Resource entity carries its status;
 *  - no relation names an entity its reader cannot see;
 *  - a catalog file cannot take the name of a provider entity, present or future;
 *  - another user's scaffolder tasks cannot be listed, read, followed or cancelled;
 *  - only the platform team deletes or refreshes entities and registers or removes locations.
 * Each refusal leaves everything as it was.
 */
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import catalogModuleLogs from '@backstage/plugin-catalog-backend-module-logs';
import scaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
import catalogModuleKratix from '@kratix-backstage/plugin-catalog-backend-module-kratix';
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { runScaffolderTask } from './__testUtils__/scaffolderTasks';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(120_000);

const REDIS = { group: 'marketplace.kratix.io', plural: 'redis' };
const RESOURCES =
  '/api/catalog/entities?filter=kind=resource,spec.type=kratix-resource';
const byName = (ref: string) => `/api/catalog/entities/by-name/${ref}`;

/** A catalog file of the attacker's: provider names, one taken today and one a Resource will take. */
const SQUAT = ['example-jenkins', 'future-cache-redis']
  .map(
    name => `---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: ${name}
  namespace: kratix
  annotations:
    kratix.io/type: resource
    kratix.io/promise-name: jenkins
    kratix.io/name: example
    kratix.io/namespace: default
spec:
  type: kratix-resource
  owner: team-search
`,
  )
  .join('');

/** A template whose log is its creator's business. */
const PROBE_TEMPLATE = `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: visibility-probe
spec:
  owner: team-platform
  type: service
  parameters: []
  steps:
    - id: log
      name: Log
      action: debug:log
      input:
        message: 'vault token of \${{ user.entity.metadata.name }}: s3cr3t'
`;

const relationTargets = (entity: any): string[] =>
  (entity.relations ?? []).map((r: any) => r.targetRef);

describe('catalog and scaffolder visibility under the example policy', () => {
  let sandbox: Sandbox;
  let backend: KratixTestBackend;
  let dir: string;
  let guest: string;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ stepDelayMs: 20 });
    await sandbox.ready;
    // team-checkout's Redis, which the platform made for the hidden platform-vault.
    sandbox.store.create(REDIS, {
      apiVersion: 'marketplace.kratix.io/v1alpha1',
      kind: 'redis',
      metadata: {
        name: 'vault-cache',
        namespace: 'default',
        annotations: {
          'kratix.backstage.io/owner': 'team-checkout',
          'kratix.backstage.io/entity-ref': 'component:default/platform-vault',
          'kratix.backstage.io/depends-on': 'component:default/platform-vault',
        },
      },
      spec: { size: 'small' },
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kratix-visibility-'));
    const squat = path.join(dir, 'squat.yaml');
    fs.writeFileSync(squat, SQUAT);
    const probe = path.join(dir, 'probe-template.yaml');
    fs.writeFileSync(probe, PROBE_TEMPLATE);
    backend = await startKratixTestBackend({
      cluster: sandbox,
      features: [
        // The real scheduler: the provider's full runs repeat, as in the app.
        schedulerServiceFactory,
        catalogModuleKratix,
        catalogModuleLogs,
        scaffolderEntityModel,
        scaffolderBackend,
      ],
      extraLocations: [squat, probe],
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
    [guest, alice, bob] = await Promise.all([
      backend.auth('guest'),
      backend.auth('alice'),
      backend.auth('bob'),
    ]);
    // Every Resource in the catalog, the one made for platform-vault included.
    await eventually(async () => {
      const res = await request(backend.server)
        .get(RESOURCES)
        .set('Authorization', alice);
      const names: string[] = res.body.map((e: any) => e.metadata.name);
      return names.includes('vault-cache-redis') && names.length === 8
        ? true
        : undefined;
    }, 'the provider to ingest the sandbox Resources');
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const get = (url: string, authorization: string) =>
    request(backend.server).get(url).set('Authorization', authorization);

  it('shows Resource entities to their owners and the platform team only', async () => {
    const names = async (authorization: string) =>
      (await get(RESOURCES, authorization)).body
        .map((e: any) => `${e.metadata.namespace}/${e.metadata.name}`)
        .sort();
    expect(await names(guest)).toEqual([
      'kratix/example-elastic-cloud',
      'kratix/example-redis',
      'kratix/orders-teamdatabase',
      'kratix/paused-cache-redis',
      'kratix/slow-cache-redis',
      'kratix/vault-cache-redis',
    ]);
    expect(await names(bob)).toEqual([]);
    expect(await names(alice)).toHaveLength(8);

    // The attack: team-platform's Jenkins, by name, through the catalog and the Kratix tab.
    for (const url of [
      byName('resource/kratix/example-jenkins'),
      '/api/kratix/entities/resource/kratix/example-jenkins/resources',
    ]) {
      expect((await get(url, guest)).status).toBe(404);
    }
    // The generated templates share the type, and stay for everyone to request with.
    expect(
      (await get(byName('template/kratix/jenkins-promise-template'), guest))
        .status,
    ).toBe(200);
    const jenkins = await get(byName('resource/kratix/example-jenkins'), alice);
    expect(jenkins.status).toBe(200);
    expect(jenkins.body.spec.owner).toBe('group:default/team-platform');
    // Owners still get their Resource's tab.
    const tab = await eventually(async () => {
      const res = await get(
        '/api/kratix/entities/resource/kratix/example-redis/resources',
        guest,
      );
      return res.status === 200 && res.body.items.length === 1
        ? res.body
        : undefined;
    }, "the owner's Kratix tab");
    expect(tab.items[0]).toMatchObject({ promise: 'redis', name: 'example' });
  });

  it('keeps Resource status out of the catalog', async () => {
    const all: any[] = (await get(RESOURCES, alice)).body;
    expect(all).toHaveLength(8);
    for (const entity of all) {
      expect(entity.metadata.annotations).not.toHaveProperty(
        'kratix.io/status',
      );
    }
  });

  it('names no hidden entity in a relation, and no Resource entity on the entities others read', async () => {
    // team-checkout's Resource, made for the platform's hidden platform-vault.
    const vaultCache = await get(
      byName('resource/kratix/vault-cache-redis'),
      guest,
    );
    expect(vaultCache.status).toBe(200);
    expect(vaultCache.body.spec).not.toHaveProperty('dependsOn');
    expect(JSON.stringify(vaultCache.body)).not.toContain('platform-vault');
    expect(
      (await get(byName('component/default/platform-vault'), guest)).status,
    ).toBe(404);

    // The Promise's entity and the entity the Jenkins Resources were made for are public: their
    // relations must not name team-platform's Resource entities.
    for (const ref of [
      'component/kratix/jenkins-promise',
      'component/default/ci-platform',
    ]) {
      const res = await get(byName(ref), guest);
      expect(res.status).toBe(200);
      expect(
        relationTargets(res.body).filter(t => t.startsWith('resource:')),
      ).toEqual([]);
    }
  });

  it('refuses a catalog file that defines entities in the provider namespace: the names stay the provider’s', async () => {
    const refusal = await eventually(
      async () =>
        backend.logs.find(l =>
          l.message.includes('reserved for the Kratix entity provider'),
        ),
      'the catalog to refuse the squatting file',
    );
    expect(refusal.message).toContain(
      'Resource:kratix/example-jenkins at file:',
    );
    const jenkins = (
      await get(byName('resource/kratix/example-jenkins'), alice)
    ).body;
    expect(jenkins.spec.owner).toBe('group:default/team-platform');
    expect(
      jenkins.metadata.annotations['backstage.io/managed-by-location'],
    ).toBe('kratix-platform:sandbox');

    // A name the file claimed before its Resource existed: the provider gets it when it comes.
    expect(
      (await get(byName('resource/kratix/future-cache-redis'), alice)).status,
    ).toBe(404);
    sandbox.store.create(REDIS, {
      apiVersion: 'marketplace.kratix.io/v1alpha1',
      kind: 'redis',
      metadata: {
        name: 'future-cache',
        namespace: 'default',
        annotations: { 'kratix.backstage.io/owner': 'team-checkout' },
      },
      spec: { size: 'small' },
    });
    const future = await eventually(async () => {
      const res = await get(
        byName('resource/kratix/future-cache-redis'),
        alice,
      );
      return res.status === 200 ? res.body : undefined;
    }, 'the provider to add the new Resource');
    expect(future.spec.owner).toBe('group:default/team-checkout');
    expect(
      future.metadata.annotations['backstage.io/managed-by-location'],
    ).toBe('kratix-platform:sandbox');
  });

  it("refuses another user's scaffolder tasks: not listed, not read, not followed, not cancelled", async () => {
    await eventually(async () => {
      const res = await get(
        '/api/scaffolder/v2/templates/default/template/visibility-probe/parameter-schema',
        alice,
      );
      return res.status === 200 ? true : undefined;
    }, 'the probe template');
    const run = await runScaffolderTask(backend.server, alice, {
      templateRef: 'template:default/visibility-probe',
      values: {},
    });
    expect(run.status).toBe('completed');
    expect(run.logs.join('\n')).toContain('vault token of alice');

    const listed = async (authorization: string, query = '') =>
      (
        await get(`/api/scaffolder/v2/tasks${query}`, authorization)
      ).body.tasks.map((t: any) => t.id);
    expect(await listed(alice)).toContain(run.id);
    expect(await listed(guest)).not.toContain(run.id);
    expect(await listed(guest, '?createdBy=user:default/alice')).toEqual([]);
    for (const url of [
      `/api/scaffolder/v2/tasks/${run.id}`,
      `/api/scaffolder/v2/tasks/${run.id}/events`,
    ]) {
      const res = await get(url, guest);
      expect(res.status).toBe(403);
      expect(JSON.stringify(res.body)).not.toContain('s3cr3t');
    }
    const cancel = await request(backend.server)
      .post(`/api/scaffolder/v2/tasks/${run.id}/cancel`)
      .set('Authorization', guest);
    expect(cancel.status).toBe(403);
    expect(
      (await get(`/api/scaffolder/v2/tasks/${run.id}`, alice)).body.status,
    ).toBe('completed');

    // The guest's own task is theirs to read.
    const own = await runScaffolderTask(backend.server, guest, {
      templateRef: 'template:default/visibility-probe',
      values: {},
    });
    expect(await listed(guest)).toEqual([own.id]);
  });

  it('lets only the platform team delete or refresh entities and register or remove locations', async () => {
    const ciPlatform = (
      await get(byName('component/default/ci-platform'), guest)
    ).body;
    // The platform team may register a location (configured locations are not listed here).
    const registered = await request(backend.server)
      .post('/api/catalog/locations')
      .set('Authorization', alice)
      .send({ type: 'url', target: 'https://example.com/platform.yaml' });
    expect(registered.status).toBe(201);
    const locationsBefore = (await get('/api/catalog/locations', alice)).body;
    expect(locationsBefore.map((l: any) => l.data.id)).toContain(
      registered.body.location.id,
    );

    for (const user of [guest, bob]) {
      // Deleting an entity frees its name for whoever registers it next.
      const del = await request(backend.server)
        .delete(`/api/catalog/entities/by-uid/${ciPlatform.metadata.uid}`)
        .set('Authorization', user);
      expect(del.status).toBe(403);
      for (const dryRun of [false, true]) {
        const register = await request(backend.server)
          .post(`/api/catalog/locations${dryRun ? '?dryRun=true' : ''}`)
          .set('Authorization', user)
          .send({
            type: 'url',
            target: 'https://example.com/ci-platform/catalog-info.yaml',
          });
        expect(register.status).toBe(403);
      }
      const removeLocation = await request(backend.server)
        .delete(`/api/catalog/locations/${registered.body.location.id}`)
        .set('Authorization', user);
      expect(removeLocation.status).toBe(403);
      const refresh = await request(backend.server)
        .post('/api/catalog/refresh')
        .set('Authorization', user)
        .send({ entityRef: 'component:default/ci-platform' });
      expect(refresh.status).toBe(403);
    }

    // Nothing changed: the same entity (same uid), the same locations.
    expect(
      (await get(byName('component/default/ci-platform'), alice)).body.metadata
        .uid,
    ).toBe(ciPlatform.metadata.uid);
    expect((await get('/api/catalog/locations', alice)).body).toEqual(
      locationsBefore,
    );
    // The platform team may.
    const refresh = await request(backend.server)
      .post('/api/catalog/refresh')
      .set('Authorization', alice)
      .send({ entityRef: 'component:default/ci-platform' });
    expect(refresh.status).toBe(200);
  });
});
