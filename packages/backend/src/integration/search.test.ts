/*
 * Portal search over Kratix, end to end: the search backend (Lunr) with the Kratix module, the real
 * permission backend with the app's policy and the Kratix plugin's permission resource loader, the
 * sandbox as the cluster. A user finds a Resource only if they could open it.
 */
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import searchBackend from '@backstage/plugin-search-backend';
import searchModuleKratix from '@kratix-backstage/plugin-search-backend-module-kratix';
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import request from 'supertest';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(120_000);

const ELASTIC = { group: 'workshop.kratix.io', plural: 'elastic-clouds' };

interface Hit {
  type: string;
  document: Record<string, any>;
}

describe('search over Kratix', () => {
  let sandbox: Sandbox;
  let backend: KratixTestBackend;
  const auth: Record<string, string> = {};

  const search = async (user: string, term: string): Promise<Hit[]> => {
    const res = await request(backend.server)
      .get('/api/search/query')
      .query({ term })
      .set('Authorization', auth[user]);
    expect(res.status).toBe(200);
    return res.body.results;
  };
  const resourceHits = (hits: Hit[], name: string) =>
    hits.filter(h => h.type === 'kratix-resource' && h.document.name === name);

  beforeAll(async () => {
    sandbox = await startSandbox({ stepDelayMs: 0 });
    await sandbox.ready;
    // A Resource that names no entity: only the platform team may read it, so only it finds it.
    sandbox.store.create(ELASTIC, {
      apiVersion: 'workshop.kratix.io/v1alpha1',
      kind: 'elastic-cloud',
      metadata: { name: 'orphan', namespace: 'default' },
      spec: { enableDataCollection: false },
    });
    backend = await startKratixTestBackend({
      cluster: sandbox,
      features: [
        // The real scheduler: the test one runs each task once, at start-up, before the catalog is read.
        schedulerServiceFactory,
        searchBackend,
        searchModuleKratix,
      ],
      extraConfig: {
        // As app-config.yaml: the platform team reads every Resource, unlinked ones included.
        kratix: { platformTeam: 'group:default/team-platform' },
        search: {
          collators: {
            kratix: {
              // Often, so a collation soon follows the catalog's ingestion of the examples.
              schedule: { frequency: { seconds: 2 }, timeout: { minutes: 1 } },
            },
          },
        },
      },
    });
    for (const user of ['guest', 'alice', 'bob']) {
      auth[user] = await backend.auth(user);
    }
    // Wait for a collation that ran after the catalog was read: the platform team sees every
    // Resource, and the linked one points at its entity's tab.
    await eventually(async () => {
      const hits = await search('alice', 'elastic');
      const [example] = resourceHits(hits, 'example');
      return example?.document.location.startsWith('/catalog/')
        ? true
        : undefined;
    }, 'a Kratix collation after the catalog was read');
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  it("finds the tutorial's elastic-cloud/example for the guest, whose team owns it", async () => {
    const [hit] = resourceHits(await search('guest', 'elastic'), 'example');
    expect(hit).toBeDefined();
    // The search backend strips `authorization` from results; the module tests pin the resourceRef.
    expect(hit.document.authorization).toBeUndefined();
    expect(hit.document).toMatchObject({
      title: 'example (elastic-cloud)',
      cluster: 'sandbox',
      promise: 'elastic-cloud',
      namespace: 'default',
      owner: 'group:default/team-search',
      location:
        '/catalog/default/component/search-service/kratix?resource=sandbox%2Fdefault%2Felastic-cloud%2Fexample',
    });
  });

  it('does not show it to a user outside the owning team, and shows it to the platform team', async () => {
    expect(resourceHits(await search('bob', 'elastic'), 'example')).toEqual([]);
    expect(
      resourceHits(await search('alice', 'elastic'), 'example'),
    ).toHaveLength(1);
  });

  it('finds a Resource no entity links to only for the platform team', async () => {
    expect(resourceHits(await search('guest', 'orphan'), 'orphan')).toEqual([]);
    expect(resourceHits(await search('bob', 'orphan'), 'orphan')).toEqual([]);
    const [hit] = resourceHits(await search('alice', 'orphan'), 'orphan');
    expect(hit.document.location).toBe(
      '/kratix/resources/sandbox/default/elastic-cloud/orphan',
    );
  });

  it('finds Promises for every signed-in user', async () => {
    for (const user of ['guest', 'bob']) {
      const promise = (await search(user, 'elastic')).find(
        h => h.type === 'kratix-promise',
      );
      expect(promise?.document).toMatchObject({
        title: 'elastic-cloud',
        location: '/kratix/promises/sandbox/elastic-cloud',
        kind: 'elastic-cloud',
      });
      // No count of Resources, some of which the reader may not see (searchPromiseCount.test.ts).
      expect(promise?.document).not.toHaveProperty('resourceCount');
    }
  });

  describe('the Resource page route', () => {
    const page = (user: string, path: string) =>
      request(backend.server)
        .get(`/api/kratix/resources/${path}`)
        .set('Authorization', auth[user]);

    it('shows the Resource to those who may read it', async () => {
      const res = await page('guest', 'sandbox/default/elastic-cloud/example');
      expect(res.status).toBe(200);
      const stored = sandbox.store.get(ELASTIC, 'default', 'example')!;
      expect(res.body.resource.message).toBe(
        (stored.status as { message?: string } | undefined)?.message ??
          'Pending',
      );
      expect(res.body.resource.entityRef).toBe(
        'component:default/search-service',
      );
      expect(
        (await page('alice', 'sandbox/default/elastic-cloud/orphan')).status,
      ).toBe(200);
    });

    it('answers 404, as for a Resource that does not exist, to those who may not', async () => {
      const missing = await page('guest', 'sandbox/default/elastic-cloud/nope');
      const forbidden = await page(
        'bob',
        'sandbox/default/elastic-cloud/example',
      );
      const unlinked = await page(
        'guest',
        'sandbox/default/elastic-cloud/orphan',
      );
      for (const res of [missing, forbidden, unlinked]) {
        expect(res.status).toBe(404);
        expect(res.body.error.name).toBe('NotFoundError');
      }
      expect(forbidden.body.error.message).not.toContain('team');
    });
  });
});
