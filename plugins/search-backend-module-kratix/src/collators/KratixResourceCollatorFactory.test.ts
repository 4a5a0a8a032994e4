/*
 * The Resource collator against sandbox platforms, read through a real cluster service: the
 * document shape, the permission metadata, and a cluster that fails in the middle of collation.
 */
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  KRATIX_RESOURCE_PARAM,
  kratixResourceReadPermission,
  parseKratixResourceKey,
  resourceState,
  statusMessage,
  type KratixResourceSearchDocument,
} from '@kratix-backstage/plugin-kratix-common';
import {
  DefaultKratixClusterService,
  EntityBinding,
} from '@kratix-backstage/plugin-kratix-node';
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import { sandboxClusterDetails } from '@kratix-backstage/sandbox/backend';
import type { KratixCollatorScope } from '../config';
import {
  clusterServiceFor,
  collect,
  ListeningLogger,
} from '../__testUtils__/clusters';
import { KratixResourceCollatorFactory } from './KratixResourceCollatorFactory';

jest.setTimeout(60_000);

/** The example catalog's entities the seeded Resources name (examples/entities.yaml, trimmed). */
/** The catalog's configured location, which the platform trusts (kratix.trustedLocations' default). */
const TRUSTED = 'file:/srv/catalog/entities.yaml';
const component = (
  name: string,
  owner: string,
  resources?: string,
  origin = TRUSTED,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      'backstage.io/managed-by-origin-location': origin,
      ...(resources ? { 'kratix.backstage.io/resources': resources } : {}),
    },
  },
  spec: { type: 'service', owner },
  relations: [{ type: 'ownedBy', targetRef: `group:default/${owner}` }],
});

const entities = [
  component('search-service', 'team-search', 'elastic-cloud/default/example'),
  component('ci-platform', 'team-platform', 'jenkins/default/example'),
  // checkout-service exists but claims nothing: the link is one-sided, so no tab shows its Resources.
  component('checkout-service', 'team-checkout'),
];

const RESOURCES = { group: 'workshop.kratix.io', plural: 'elastic-clouds' };

const stateOf = (sandbox: Sandbox, plural: string, name: string) => {
  const group =
    plural === 'elastic-clouds'
      ? 'workshop.kratix.io'
      : 'marketplace.kratix.io';
  const object = sandbox.store.get({ group, plural }, 'default', name);
  return object ? resourceState(object as any) : undefined;
};

/** A seeded sandbox whose finishing workflows have finished (redis/slow-cache never does). */
async function settledSandbox(): Promise<Sandbox> {
  const sandbox = await startSandbox({ stepDelayMs: 0 });
  await sandbox.ready;
  const settled = () =>
    stateOf(sandbox, 'elastic-clouds', 'example') === 'ready' &&
    stateOf(sandbox, 'jenkins', 'example') === 'ready' &&
    stateOf(sandbox, 'jenkins', 'broken') === 'failed' &&
    stateOf(sandbox, 'redis', 'example') === 'ready';
  if (!settled()) {
    await new Promise<void>(resolve => {
      const unsubscribe = sandbox.store.subscribe(() => {
        if (!settled()) return;
        unsubscribe();
        resolve();
      });
    });
  }
  return sandbox;
}

describe('KratixResourceCollatorFactory', () => {
  const sandboxes: Sandbox[] = [];
  const services: DefaultKratixClusterService[] = [];
  afterAll(async () => {
    await Promise.all(services.map(s => s.stop()));
    await Promise.all(sandboxes.map(s => s.close()));
  });

  function factoryFor(
    clusters: DefaultKratixClusterService,
    logger: ListeningLogger,
    scope?: KratixCollatorScope,
    catalogEntities: Entity[] = entities,
  ) {
    return new KratixResourceCollatorFactory({
      clusters,
      catalog: catalogServiceMock({ entities: catalogEntities }),
      auth: mockServices.auth(),
      logger,
      scope,
      binding: new EntityBinding([TRUSTED]),
    });
  }

  describe('on one sandbox', () => {
    let sandbox: Sandbox;
    let platform: DefaultKratixClusterService;
    let docs: KratixResourceSearchDocument[];
    const logger = new ListeningLogger();

    beforeAll(async () => {
      sandbox = await settledSandbox();
      sandboxes.push(sandbox);
      platform = await clusterServiceFor({ platform: sandbox }, logger);
      services.push(platform);
      docs = await collect(await factoryFor(platform, logger).getCollator());
    });

    it('gives no owner or tab from an entity that only holds the name (a user’s own location)', async () => {
      const squatter = component(
        'search-service',
        'team-search',
        'elastic-cloud/default/example',
        'url:https://git.example.com/someone/catalog-info.yaml',
      );
      const squatted = await collect<KratixResourceSearchDocument>(
        await factoryFor(platform, logger, undefined, [squatter]).getCollator(),
      );
      const example = squatted.find(
        d => d.promise === 'elastic-cloud' && d.name === 'example',
      )!;
      expect(example).toMatchObject({
        owner: '',
        entityRef: '',
        location: '/kratix/resources/platform/default/elastic-cloud/example',
      });
    });

    const doc = (promise: string, name: string) => {
      const found = docs.find(d => d.promise === promise && d.name === name);
      if (!found) throw new Error(`no document for ${promise}/${name}`);
      return found;
    };

    it('indexes every Resource on the cluster, each once', () => {
      const seeded = sandbox.store
        .list({ group: 'platform.kratix.io', plural: 'promises' })
        .items.flatMap(p => {
          const api = (p.spec as any).api.spec;
          return sandbox.store.list({
            group: api.group,
            plural: api.names.plural,
          }).items;
        })
        .map(r => `${r.metadata.namespace}/${r.metadata.name}/${r.kind}`);
      expect(seeded.length).toBeGreaterThanOrEqual(7);
      expect(docs).toHaveLength(seeded.length);
      expect(new Set(docs.map(d => d.location)).size).toBe(docs.length);
    });

    it('describes a Resource by name, Promise, status message, extra status, spec and state', () => {
      const stored = sandbox.store.get(RESOURCES, 'default', 'example')!;
      const example = doc('elastic-cloud', 'example');
      expect(example.title).toBe('example (elastic-cloud)');
      expect(example.message).toBe(statusMessage(stored.status));
      expect(example.message).toBe(
        'Instance example provisioned with preconfigured system metrics',
      );
      expect(example.state).toBe(resourceState(stored as any));
      expect(example.state).toBe('ready');
      const lines = example.text.split('\n');
      expect(lines).toContain('initialLoginDetails.username: elastic');
      expect(lines).toContain(
        'initialLoginDetails.passwordSecretName: example-es-elastic-user',
      );
      expect(lines).toContain('enableDataCollection: true');
      expect(doc('jenkins', 'broken').state).toBe('failed');
      expect(doc('redis', 'paused-cache').state).toBe('paused');
    });

    it('says nothing twice: the text holds neither the message nor the state, which are fields', () => {
      const repeats = docs.filter(d => {
        const lines = d.text.split('\n');
        return (
          (d.message && lines.includes(d.message)) || lines.includes(d.state)
        );
      });
      expect(repeats.map(d => d.location)).toEqual([]);
      expect(docs.filter(d => d.message).length).toBeGreaterThan(0);
      expect(doc('elastic-cloud', 'example').text).not.toContain(
        'provisioned with preconfigured system metrics',
      );
    });

    it('carries cluster, Promise, namespace, state and owner as fields', () => {
      expect(doc('elastic-cloud', 'example')).toMatchObject({
        cluster: 'platform',
        promise: 'elastic-cloud',
        namespace: 'default',
        name: 'example',
        owner: 'group:default/team-search',
        entityRef: 'component:default/search-service',
      });
      // Every document has the same keys: Lunr takes its fields from the first one.
      const keys = Object.keys(docs[0]).sort();
      for (const d of docs) expect(Object.keys(d).sort()).toEqual(keys);
    });

    it('links to the Kratix tab of the entity when the entity claims the Resource and the Resource names it', () => {
      expect(doc('elastic-cloud', 'example').location).toBe(
        '/catalog/default/component/search-service/kratix?resource=platform%2Fdefault%2Felastic-cloud%2Fexample',
      );
      expect(doc('jenkins', 'example').location).toMatch(
        /^\/catalog\/default\/component\/ci-platform\/kratix\?resource=/,
      );
      // The tab reads the link back as this Resource, with the same helper.
      const param = new URL(
        doc('jenkins', 'example').location,
        'http://app',
      ).searchParams.get(KRATIX_RESOURCE_PARAM);
      expect(parseKratixResourceKey(param!)).toEqual({
        cluster: 'platform',
        promise: 'jenkins',
        namespace: 'default',
        name: 'example',
      });
    });

    it("links to the Resource's own page otherwise", () => {
      // ci-platform does not claim jenkins/broken here, checkout-service claims nothing, and
      // session-cache is not in this catalog.
      expect(doc('jenkins', 'broken').location).toBe(
        '/kratix/resources/platform/default/jenkins/broken',
      );
      expect(doc('redis', 'example')).toMatchObject({
        location: '/kratix/resources/platform/default/redis/example',
        owner: 'group:default/team-checkout',
      });
      expect(doc('redis', 'paused-cache')).toMatchObject({
        location: '/kratix/resources/platform/default/redis/paused-cache',
        owner: '',
        entityRef: '',
      });
    });

    it('declares kratix.resource.read and gives each document the Resource as its permission ref', async () => {
      const clusters = await clusterServiceFor({ platform: sandbox }, logger);
      services.push(clusters);
      const factory = factoryFor(clusters, logger);
      expect(factory.type).toBe('kratix-resource');
      expect(factory.visibilityPermission).toBe(kratixResourceReadPermission);
      expect(factory.visibilityPermission.name).toBe('kratix.resource.read');
      for (const d of docs) {
        expect(d.authorization.resourceRef).toBe(
          `platform:${d.promise}/${d.namespace}/${d.name}`,
        );
      }
    });

    it('indexes only the configured Promises', async () => {
      const clusters = await clusterServiceFor({ platform: sandbox }, logger);
      services.push(clusters);
      const only = await collect<KratixResourceSearchDocument>(
        await factoryFor(clusters, logger, {
          promises: ['jenkins'],
        }).getCollator(),
      );
      expect(only.map(d => d.name).sort()).toEqual(['broken', 'example']);
      expect(only.every(d => d.promise === 'jenkins')).toBe(true);
    });

    it('leaves out a cluster that acts as each user, unless configured to index it', async () => {
      // The same platform, reached with auth.type impersonate: its RBAC may hide a Resource that
      // Backstage's policy would show, and search cannot ask it per user.
      const asUser = await DefaultKratixClusterService.create({
        clusters: [
          {
            ...sandboxClusterDetails(sandbox, { name: 'platform' }),
            auth: { type: 'impersonate', token: sandbox.token },
          },
        ],
        bounds: { allowedNamespaces: ['default'] },
        logger,
        initialBackoffMs: 50,
      });
      asUser.start();
      services.push(asUser);
      expect(asUser.actsAsUser('platform')).toBe(true);
      const left = await collect<KratixResourceSearchDocument>(
        await factoryFor(asUser, logger).getCollator(),
      );
      expect(left).toEqual([]);
      expect(
        logger.lines.some(l =>
          l.message.includes('cluster platform acts as each user'),
        ),
      ).toBe(true);
      const included = await collect<KratixResourceSearchDocument>(
        await factoryFor(asUser, logger, {
          includeClustersActingAsUser: true,
        }).getCollator(),
      );
      expect(included.map(d => `${d.promise}/${d.name}`).sort()).toEqual(
        docs.map(d => `${d.promise}/${d.name}`).sort(),
      );
    });
  });

  describe('with a cluster that fails in the middle of collation', () => {
    it('logs the failed cluster and indexes the clusters before and after it', async () => {
      const [first, failing, last] = await Promise.all([
        settledSandbox(),
        settledSandbox(),
        settledSandbox(),
      ]);
      sandboxes.push(first, last);
      const logger = new ListeningLogger();
      const clusters = await clusterServiceFor(
        { first, failing, last },
        logger,
      );
      services.push(clusters);
      const factory = factoryFor(clusters, logger);

      // Warm: all three clusters answer.
      const before = await collect<KratixResourceSearchDocument>(
        await factory.getCollator(),
      );
      const perCluster = before.filter(d => d.cluster === 'first').length;
      expect(perCluster).toBeGreaterThan(0);
      expect(before.filter(d => d.cluster === 'failing')).toHaveLength(
        perCluster,
      );

      // The middle cluster stops; its watches report it before the next collation starts.
      await failing.close();
      await logger.waitFor(
        l =>
          l.level === 'warn' && l.message.startsWith('Kratix cluster failing'),
      );

      const after = await collect<KratixResourceSearchDocument>(
        await factory.getCollator(),
      );
      expect(after.filter(d => d.cluster === 'first')).toHaveLength(perCluster);
      expect(after.filter(d => d.cluster === 'last')).toHaveLength(perCluster);
      expect(after.filter(d => d.cluster === 'failing')).toHaveLength(0);
      expect(
        logger.lines.some(
          l =>
            l.level === 'warn' &&
            l.message.startsWith('Kratix search: cluster failing failed'),
        ),
      ).toBe(true);
    });
  });
});
