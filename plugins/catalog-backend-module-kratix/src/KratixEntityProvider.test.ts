/*
 * The provider against the sandbox platform through the real cluster service (HTTPS, watch-fed
 * caches). The catalog side is the provider contract itself (a connection that records mutations);
 * owners of named entities come from the catalog service's in-memory implementation.
 */
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { EntityProviderMutation } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { getKratixResourceRefs } from '@kratix-backstage/plugin-kratix-common';
import {
  DefaultKratixClusterService,
  EntityBinding,
} from '@kratix-backstage/plugin-kratix-node';
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { sandboxClusterDetails } from '@kratix-backstage/sandbox/backend';
import { InheritedOwners } from './InheritedOwners';
import {
  KratixEntityProvider,
  type KratixRefreshResult,
} from './KratixEntityProvider';
import {
  CuratedTemplates,
  type CuratedTemplateLookup,
} from './CuratedTemplates';
import { resourceEntityName } from './names';
import {
  DEFAULT_SCHEDULE,
  DEFAULT_TEMPLATE_RULES,
  type KratixProviderOptions,
} from './options';
import { RecordingConnection } from './__testUtils__/RecordingConnection';

jest.setTimeout(60_000);

const PROMISES = { group: 'platform.kratix.io', plural: 'promises' };
// The defaults of readProviderOptions: no status, no dependsOn, the `kratix` namespace.
const options: KratixProviderOptions = {
  defaultOwner: 'group:default/kratix-platform',
  schedule: DEFAULT_SCHEDULE,
  templates: true,
  namespace: 'kratix',
  publishStatus: false,
  dependsOn: false,
  entityDataParser: true,
};

const checkoutService: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout-service',
    namespace: 'default',
    uid: 'uid-of-checkout-service',
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-checkout' },
};

const entitiesOf = (m: EntityProviderMutation) =>
  m.type === 'full'
    ? m.entities.map(d => d.entity)
    : m.added.map(d => d.entity);
const refOf = (e: Entity) =>
  `${e.kind}:${e.metadata.namespace ?? 'default'}/${
    e.metadata.name
  }`.toLocaleLowerCase('en-US');
const find = (m: EntityProviderMutation, ref: string) =>
  entitiesOf(m).find(e => refOf(e) === ref);

/** Full runs, a poll interval apart, until one satisfies `done` or the deadline passes. */
async function refreshUntil(
  provider: KratixEntityProvider,
  done: (result: KratixRefreshResult) => boolean,
  timeoutMs = 20_000,
): Promise<KratixRefreshResult> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await provider.refresh();
    if (done(result) || Date.now() > deadline) return result;
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

async function start(sandbox: Sandbox) {
  const logger = mockServices.logger.mock();
  const clusterService = await DefaultKratixClusterService.create({
    clusters: [sandboxClusterDetails(sandbox, { requestTimeoutMs: 3000 })],
    bounds: { allowedNamespaces: ['default'] },
    logger,
    initialBackoffMs: 100,
  });
  clusterService.start();
  const provider = providerFor(clusterService, options);
  const connection = new RecordingConnection();
  await provider.connect(connection);
  return { clusterService, provider, connection };
}

function providerFor(
  clusterService: DefaultKratixClusterService,
  providerOptions: KratixProviderOptions,
  curated?: CuratedTemplateLookup,
) {
  const logger = mockServices.logger.mock();
  return new KratixEntityProvider({
    cluster: 'sandbox',
    primaryCluster: 'sandbox',
    clusterService,
    options: providerOptions,
    owners: new InheritedOwners(
      catalogServiceMock({ entities: [checkoutService] }),
      mockServices.auth(),
      logger,
      // No trusted location: only a recorded uid binds a Resource to checkout-service here.
      new EntityBinding([]),
    ),
    curated,
    logger,
    deltaBatchMs: 50,
  });
}

describe('KratixEntityProvider on the sandbox', () => {
  let sandbox: Sandbox;
  let ctx: Awaited<ReturnType<typeof start>>;

  beforeAll(async () => {
    sandbox = await startSandbox({ stepDelayMs: 20 });
    await sandbox.ready;
    ctx = await start(sandbox);
  });

  afterAll(async () => {
    ctx?.provider.close();
    await ctx?.clusterService.stop();
    await sandbox?.close();
  });

  it('ingests every Promise, its template and every Resource in a full run', async () => {
    const result = await ctx.provider.refresh();
    expect(result).toEqual({
      status: 'applied',
      promises: 4,
      resources: 7,
      entities: 15,
    });
    const full = ctx.connection.mutations.at(-1)!;
    expect(full.type).toBe('full');
    const refs = entitiesOf(full).map(refOf).sort();
    expect(refs).toEqual(
      [
        'component:kratix/elastic-cloud-promise',
        'component:kratix/jenkins-promise',
        'component:kratix/redis-promise',
        'component:kratix/teamdatabase-promise',
        'template:kratix/elastic-cloud-promise-template',
        'template:kratix/jenkins-promise-template',
        'template:kratix/redis-promise-template',
        'template:kratix/teamdatabase-promise-template',
        'resource:kratix/example-elastic-cloud',
        'resource:kratix/example-jenkins',
        'resource:kratix/broken-jenkins',
        'resource:kratix/example-redis',
        'resource:kratix/slow-cache-redis',
        'resource:kratix/paused-cache-redis',
        'resource:kratix/orders-teamdatabase',
      ].sort(),
    );
    // Every entity is marked as produced from the platform, with a per-cluster location key.
    for (const deferred of (full as any).entities) {
      expect(deferred.locationKey).toBe('kratix-platform:sandbox');
      expect(deferred.entity.metadata.annotations).toMatchObject({
        'backstage.io/managed-by-location': 'kratix-platform:sandbox',
        'backstage.io/managed-by-origin-location': 'kratix-platform:sandbox',
      });
    }
  });

  it('links a Resource entity to its own Resource only, owned like the entity it was created for', async () => {
    const full = await ctx.connection.waitFor(m => m.type === 'full');
    const redis = find(full, 'resource:kratix/example-redis')!;
    expect(redis.spec).toMatchObject({
      type: 'kratix-resource',
      // checkout-service (kratix.backstage.io/entity-ref on the seeded Resource) is team-checkout's.
      owner: 'group:default/team-checkout',
    });
    expect(getKratixResourceRefs(redis)).toEqual({
      refs: [
        {
          cluster: 'sandbox',
          promise: 'redis',
          group: 'marketplace.kratix.io',
          version: 'v1alpha1',
          kind: 'redis',
          namespace: 'default',
          name: 'example',
        },
      ],
      errors: [],
    });
    // An owner named on the Resource (the seed's kratix.backstage.io/owner) wins over its entity's.
    const search = find(full, 'resource:kratix/example-elastic-cloud')!;
    expect(search.spec).toMatchObject({ owner: 'group:default/team-search' });
  });

  it('keeps status and dependsOn out of Resource entities unless configured', async () => {
    const full = await ctx.connection.waitFor(m => m.type === 'full');
    const resources = entitiesOf(full).filter(e => e.kind === 'Resource');
    expect(resources).toHaveLength(7);
    for (const entity of resources) {
      // Readable by whoever reads the entity; and a relation names this entity on its target.
      expect(entity.metadata.annotations).not.toHaveProperty(
        'kratix.io/status',
      );
      expect(entity.spec).not.toHaveProperty('dependsOn');
    }

    const optedIn = providerFor(ctx.clusterService, {
      ...options,
      publishStatus: true,
      dependsOn: true,
    });
    const connection = new RecordingConnection();
    await optedIn.connect(connection);
    await optedIn.refresh();
    const redis = find(
      connection.mutations.at(-1)!,
      'resource:kratix/example-redis',
    )!;
    expect(redis.spec?.dependsOn).toEqual([
      'component:kratix/redis-promise',
      'component:default/checkout-service',
    ]);
    expect(
      JSON.parse(redis.metadata.annotations!['kratix.io/status']),
    ).toMatchObject({ state: expect.any(String) });
    optedIn.close();
  });

  it('names a Resource outside the default namespace with a prefix no Kubernetes name has', () => {
    expect(
      resourceEntityName(
        { cluster: 'sandbox', namespace: 'kratix', primaryCluster: 'sandbox' },
        { name: 'orders', kind: 'TeamDatabase', namespace: 'team-checkout' },
      ),
    ).toBe('team-checkout_orders-teamdatabase');
  });

  it('describes each Promise: kind, status, required Promises, template', async () => {
    const full = await ctx.connection.waitFor(m => m.type === 'full');
    const teamDb = find(full, 'component:kratix/teamdatabase-promise')!;
    expect(teamDb.spec).toMatchObject({
      type: 'kratix-promise',
      owner: 'group:default/kratix-platform',
      // Required but not installed: named by the Promise's name.
      dependsOn: ['component:kratix/postgresql-promise'],
    });
    expect(teamDb.metadata.annotations).toMatchObject({
      'kratix.io/type': 'promise',
      'kratix.io/promise-name': 'team-database',
      'kratix.io/api-name': 'TeamDatabase',
      'kratix.io/api-group': 'sandbox.kratix.io',
      'kratix.io/backstage-promise-template': 'teamdatabase-promise-template',
    });
    expect(
      JSON.parse(teamDb.metadata.annotations!['kratix.io/status']).status,
    ).toBe('Unavailable');
  });

  it('inherits the owner of the entity a Resource is bound to, never of a name alone', async () => {
    const from = ctx.connection.mutations.length;
    const create = (name: string, uid: string) =>
      ctx.clusterService.createResource({
        promise: 'redis',
        namespace: 'default',
        name,
        spec: { size: 'small' },
        annotations: {
          'kratix.backstage.io/entity-ref':
            'component:default/checkout-service',
          'kratix.backstage.io/entity-uid': uid,
        },
      });
    await create('bound-cache', 'uid-of-checkout-service');
    // Recorded for an earlier checkout-service (another uid): a name someone else now holds.
    await create('orphan-cache', 'uid-of-a-deleted-entity');
    const ownerOf = async (name: string) => {
      const m = await ctx.connection.waitFor(
        mutation => Boolean(find(mutation, `resource:kratix/${name}-redis`)),
        from,
      );
      return find(m, `resource:kratix/${name}-redis`)!.spec?.owner;
    };
    expect(await ownerOf('bound-cache')).toBe('group:default/team-checkout');
    expect(await ownerOf('orphan-cache')).toBe('group:default/kratix-platform');
  });

  it('adds and removes Resource entities as the watch reports creations and deletions', async () => {
    const from = ctx.connection.mutations.length;
    await ctx.clusterService.createResource({
      promise: 'redis',
      namespace: 'default',
      name: 'fresh-cache',
      spec: { size: 'large' },
      annotations: { 'kratix.backstage.io/owner': 'group:default/team-search' },
    });
    const added = await ctx.connection.waitFor(
      m =>
        m.type === 'delta' &&
        Boolean(find(m, 'resource:kratix/fresh-cache-redis')),
      from,
    );
    expect(find(added, 'resource:kratix/fresh-cache-redis')!.spec?.owner).toBe(
      'group:default/team-search',
    );

    const beforeDelete = ctx.connection.mutations.length;
    sandbox.store.delete(
      { group: 'marketplace.kratix.io', plural: 'redis' },
      'default',
      'fresh-cache',
    );
    const removed = await ctx.connection.waitFor(
      m =>
        m.type === 'delta' &&
        m.removed.some(
          r =>
            'entity' in r &&
            refOf(r.entity) === 'resource:kratix/fresh-cache-redis',
        ),
      beforeDelete,
    );
    expect(removed.type === 'delta' && removed.removed).toHaveLength(1);
  });

  it('sends a Resource again only when its entity changes, not for a status update', async () => {
    const redis = { group: 'marketplace.kratix.io', plural: 'redis' };
    await ctx.clusterService.createResource({
      promise: 'redis',
      namespace: 'default',
      name: 'steady-cache',
      spec: { size: 'small' },
      annotations: { 'kratix.backstage.io/owner': 'group:default/team-search' },
    });
    await ctx.connection.waitFor(m =>
      Boolean(find(m, 'resource:kratix/steady-cache-redis')),
    );
    // A status-only update (publishStatus is off), applied on its own (the watch reported it, the
    // provider flushed), then an owner change: only the owner change is sent.
    const from = ctx.connection.mutations.length;
    const statusSeen = new Promise<void>(resolve => {
      const stop = ctx.clusterService.onResourceChange(change => {
        if (
          change.object.metadata.name === 'steady-cache' &&
          (change.object.status as any)?.message === 'nothing the entity shows'
        ) {
          stop();
          resolve();
        }
      });
    });
    sandbox.store.patch(
      redis,
      'default',
      'steady-cache',
      'merge',
      { status: { message: 'nothing the entity shows' } },
      { subresource: 'status' },
    );
    await statusSeen;
    await ctx.provider.flush();
    sandbox.store.patch(redis, 'default', 'steady-cache', 'merge', {
      metadata: {
        annotations: {
          'kratix.backstage.io/owner': 'group:default/team-checkout',
        },
      },
    });
    const changed = await ctx.connection.waitFor(
      m =>
        find(m, 'resource:kratix/steady-cache-redis')?.spec?.owner ===
        'group:default/team-checkout',
      from,
    );
    const sent = ctx.connection.mutations
      .slice(from)
      .filter(m => m.type === 'delta')
      .flatMap(m => entitiesOf(m))
      .filter(e => refOf(e) === 'resource:kratix/steady-cache-redis');
    expect(sent.map(e => e.spec?.owner)).toEqual([
      'group:default/team-checkout',
    ]);
    expect(changed.type).toBe('delta');
  });

  describe('generated templates', () => {
    // The example catalog's curated Redis template, as the catalog holds it.
    const curatedRedis: Entity = {
      ...parse(
        fs.readFileSync(
          path.resolve(__dirname, '../../../examples/templates/redis.yaml'),
          'utf8',
        ),
      ),
    };
    curatedRedis.metadata.namespace = 'default';

    async function fullRunWith(
      providerOptions: KratixProviderOptions,
      curated?: CuratedTemplateLookup,
    ) {
      const provider = providerFor(
        ctx.clusterService,
        providerOptions,
        curated,
      );
      const connection = new RecordingConnection();
      await provider.connect(connection);
      try {
        expect(await provider.refresh()).toMatchObject({ status: 'applied' });
        return connection.mutations.at(-1)!;
      } finally {
        provider.close();
      }
    }
    const curatedFromCatalog = () =>
      new CuratedTemplates(
        catalogServiceMock({ entities: [curatedRedis, checkoutService] }),
        mockServices.auth(),
        mockServices.logger.mock(),
        { namespace: 'kratix', defaultCluster: 'sandbox' },
      );

    it('yield to a curated template for the same Promise, unless configured not to', async () => {
      const full = await fullRunWith(options, curatedFromCatalog());
      expect(
        find(full, 'template:kratix/redis-promise-template'),
      ).toBeUndefined();
      // The Promise entity and the Resource entities name no template that is not there.
      const promise = find(full, 'component:kratix/redis-promise')!;
      expect(
        promise.metadata.annotations!['kratix.io/backstage-promise-template'],
      ).toBeUndefined();
      const resource = find(full, 'resource:kratix/example-redis')!;
      expect(
        resource.metadata.annotations!['kratix.io/backstage-promise-template'],
      ).toBeUndefined();
      // Promises no curated template requests keep theirs.
      expect(
        find(full, 'template:kratix/jenkins-promise-template'),
      ).toBeDefined();

      const kept = await fullRunWith(
        {
          ...options,
          templateRules: { ...DEFAULT_TEMPLATE_RULES, yieldToCurated: false },
        },
        curatedFromCatalog(),
      );
      expect(
        find(kept, 'template:kratix/redis-promise-template'),
      ).toBeDefined();
    });

    it("mark an Unavailable Promise's template with its reason, or leave it out", async () => {
      const full = await fullRunWith(options);
      const teamDb = find(
        full,
        'template:kratix/teamdatabase-promise-template',
      )!;
      expect(teamDb.metadata.title).toBe('TeamDatabase (Unavailable)');
      expect(teamDb.metadata.tags).toContain('unavailable');
      expect(teamDb.metadata.description).toMatch(
        /^Unavailable: Requirements not fulfilled; it requires postgresql\./,
      );
      const redis = find(full, 'template:kratix/redis-promise-template')!;
      expect(redis.metadata.title).toBe('redis');
      expect(redis.metadata.tags).not.toContain('unavailable');

      const omitted = await fullRunWith({
        ...options,
        templateRules: { ...DEFAULT_TEMPLATE_RULES, unavailable: 'omit' },
      });
      expect(
        find(omitted, 'template:kratix/teamdatabase-promise-template'),
      ).toBeUndefined();
      expect(
        find(omitted, 'component:kratix/teamdatabase-promise'),
      ).toBeDefined();
    });

    it('offer only the configured owner kinds in the entity picker', async () => {
      const full = await fullRunWith(options);
      const template = find(full, 'template:kratix/jenkins-promise-template')!;
      const picker = (template.spec as any).parameters[0].properties.entityRef;
      expect(picker['ui:options'].catalogFilter).toEqual([
        { kind: ['Component'] },
      ]);
    });
  });

  it('adds a newly installed Promise and its template at the next full run', async () => {
    const redis = sandbox.store.get(PROMISES, undefined, 'redis')!;
    const api = structuredClone((redis as any).spec.api);
    api.metadata.name = 'queues.example.kratix.io';
    api.spec.group = 'example.kratix.io';
    api.spec.names = { kind: 'Queue', plural: 'queues', singular: 'queue' };
    sandbox.store.create(PROMISES, {
      apiVersion: 'platform.kratix.io/v1alpha1',
      kind: 'Promise',
      metadata: { name: 'queue' },
      spec: { api },
    });
    // The watch-fed cache learns of it shortly: each full run until then still has the old set.
    const result = await refreshUntil(
      ctx.provider,
      r => r.status !== 'applied' || r.promises >= 5,
    );
    expect(result).toMatchObject({ status: 'applied', promises: 5 });
    const full = ctx.connection.mutations.at(-1)!;
    expect(find(full, 'component:kratix/queue-promise')).toBeDefined();
    const template = find(full, 'template:kratix/queue-promise-template')!;
    expect((template.spec as any).steps[0].input.promise).toBe('queue');
  });
});

describe('a cluster that becomes unreachable', () => {
  it('keeps its entities: the full run is skipped, nothing is removed', async () => {
    const sandbox = await startSandbox({ stepDelayMs: 20 });
    await sandbox.ready;
    const ctx = await start(sandbox);
    try {
      const first = await ctx.provider.refresh();
      expect(first).toMatchObject({ status: 'applied', entities: 15 });
      const entities = entitiesOf(ctx.connection.mutations.at(-1)!)
        .map(refOf)
        .sort();

      await sandbox.close();
      // Until the watch notices, a run still sees the cached (same) entities; then it is skipped.
      const result = await refreshUntil(
        ctx.provider,
        r => r.status === 'skipped',
      );
      expect(result.status).toBe('skipped');
      const fulls = ctx.connection.mutations.filter(m => m.type === 'full');
      const removed = ctx.connection.mutations.flatMap(m =>
        m.type === 'delta' ? m.removed : [],
      );
      for (const mutation of fulls) {
        expect(entitiesOf(mutation).map(refOf).sort()).toEqual(entities);
      }
      expect(removed).toEqual([]);
    } finally {
      ctx.provider.close();
      await ctx.clusterService.stop();
    }
  });
});
