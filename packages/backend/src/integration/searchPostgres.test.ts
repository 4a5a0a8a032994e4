/*
 * Portal search over Kratix on PostgreSQL (issue 28): two backend replicas on one PostgreSQL server,
 * each with the app's search engine module (Backstage's PostgreSQL engine on a pg database), the
 * Kratix collators, the real permission backend and the app's policy. One collation, run by
 * whichever replica claims the task, fills one index that both query. A Resource the caller may not
 * read never shows in a result, a count or a page cursor, and the decision is made when searching,
 * not when the index was written.
 * Needs KRATIX_TEST_POSTGRES_URL (`./run test` and scripts/postgres.sh provide one).
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import searchBackend from '@backstage/plugin-search-backend';
import searchModuleKratix from '@kratix-backstage/plugin-search-backend-module-kratix';
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import { scalePromise } from '@kratix-backstage/sandbox/testUtils';
import crypto from 'node:crypto';
import request from 'supertest';
import searchEngineModule from '../modules/searchEngine';
import { dropDatabases, testPostgresUrl } from './__testUtils__/postgres';
import {
  eventually,
  startKratixTestBackend,
  type KnexClient,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(240_000);

const postgresUrl = testPostgresUrl('PostgreSQL search integration test');

const PROMISES = { group: 'platform.kratix.io', plural: 'promises' };
const BENCH0 = { group: 'bench.kratix.io', plural: 'bench0s' };
const TASK = 'search_index_kratix_resource';
const COUNT = 30;
const PAGE = 3;

/**
 * Resource r-<j> of the load-test Promise bench0. Its text holds "needle" COUNT - j times, so the
 * engine ranks r-0 first and r-29 last (no ties: a tie's order may differ between two queries).
 * The guest reads r-0, r-3, …, r-24 (linked to search-service, team-search's): 9 Resources, 3 full
 * pages, ranked above the last three, which only the platform team reads.
 */
const guestReads = (j: number) => j % 3 === 0 && j < 27;
function benchResource(j: number) {
  const needles = Array.from({ length: COUNT - j }, () => 'needle');
  let link: [string, string] | undefined;
  if (guestReads(j)) link = ['search-service', 'team-search'];
  else if (j % 3 === 1) link = ['ci-platform', 'team-platform'];
  return {
    apiVersion: 'bench.kratix.io/v1alpha1',
    kind: 'bench0',
    metadata: {
      name: `r-${j}`,
      namespace: 'default',
      // Linked as the platform vouches for it: the entity named, and one of its owners.
      ...(link
        ? {
            annotations: {
              'kratix.backstage.io/entity-ref': `component:default/${link[0]}`,
              'kratix.backstage.io/owner': `group:default/${link[1]}`,
            },
          }
        : {}),
    },
    // Spec values are cut at 120 characters in the document: two fields hold up to 30 needles.
    spec: {
      size: 'small',
      a: needles.slice(0, 15).join(' '),
      b: needles.slice(15).join(' '),
    },
  };
}

interface Hit {
  type: string;
  document: Record<string, any>;
}
interface ResultSet {
  results: Hit[];
  numberOfResults?: number;
  nextPageCursor?: string;
  previousPageCursor?: string;
}

/** The search plugin's own database (the PostgreSQL engine's `documents` table is there). */
function searchDatabaseProbe(probe: { knex?: KnexClient }) {
  return createBackendModule({
    pluginId: 'search',
    moduleId: 'integration-test-database-probe',
    register(reg) {
      reg.registerInit({
        deps: { database: coreServices.database },
        async init({ database }) {
          probe.knex = await database.getClient();
        },
      });
    },
  });
}

(postgresUrl ? describe : describe.skip)(
  'search over Kratix on PostgreSQL, two replicas',
  () => {
    const prefix = `kratix_search_${crypto.randomBytes(4).toString('hex')}_`;
    let sandbox: Sandbox;
    const replicas: KratixTestBackend[] = [];
    const probe: { knex?: KnexClient } = {};
    const auth = new Map<string, string>();

    /** GET /api/search/query on a replica, as the user. */
    const search = async (
      replica: KratixTestBackend,
      user: string,
      query: Record<string, unknown>,
    ): Promise<ResultSet> => {
      const res = await request(replica.server)
        .get('/api/search/query')
        .query({ types: ['kratix-resource'], ...query })
        .set('Authorization', auth.get(user)!);
      expect(res.status).toBe(200);
      return res.body;
    };
    const benchNames = (set: ResultSet) =>
      set.results
        .filter(h => h.document.promise === 'bench0')
        .map(h => h.document.name as string);
    /** Every page, following nextPageCursor, each request on the next replica in turn. */
    const allPages = async (user: string, term: string) => {
      const pages: ResultSet[] = [];
      let cursor: string | undefined;
      do {
        const replica = replicas[pages.length % replicas.length];
        const page = await search(replica, user, {
          term,
          pageLimit: PAGE,
          ...(cursor ? { pageCursor: cursor } : {}),
        });
        pages.push(page);
        cursor = page.nextPageCursor;
      } while (cursor && pages.length < 50);
      return pages;
    };

    /** Runs the Kratix Resource collation now (the schedule is manual here) and waits for its end. */
    const collate = async (replica: KratixTestBackend) => {
      const tasks = async () => {
        const res = await request(replica.server)
          .get('/api/search/.backstage/scheduler/v1/tasks')
          .set('Authorization', auth.get('alice')!);
        expect(res.status).toBe(200);
        return res.body.tasks.find((t: any) => t.taskId === TASK).taskState;
      };
      const before = (await tasks())?.lastRunEndedAt;
      const triggered = await request(replica.server)
        .post(`/api/search/.backstage/scheduler/v1/tasks/${TASK}/trigger`)
        .set('Authorization', auth.get('alice')!);
      expect(triggered.status).toBe(200);
      const state = await eventually(async () => {
        const now = await tasks();
        return now?.status === 'idle' && now.lastRunEndedAt !== before
          ? now
          : undefined;
      }, 'the Kratix collation to end');
      expect(state.lastRunError).toBeUndefined();
    };
    const indexed = (name: string) =>
      probe.knex!('documents')
        .where({ type: 'kratix-resource' })
        .whereRaw(`document->>'promise' = 'bench0' AND document->>'name' = ?`, [
          name,
        ])
        .select('document');

    beforeAll(async () => {
      sandbox = await startSandbox({ stepDelayMs: 0 });
      await sandbox.ready;
      // The load-test Promise bench0, its spec with the two text fields (unknown ones are pruned).
      const promise = scalePromise(0) as any;
      promise.spec.api.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties =
        {
          size: { type: 'string' },
          a: { type: 'string' },
          b: { type: 'string' },
        };
      sandbox.store.create(PROMISES, promise);
      await eventually(
        async () => sandbox.store.getType(BENCH0),
        "bench0's CRD to be served",
      );
      for (let j = 0; j < COUNT; j++) {
        sandbox.store.create(BENCH0, benchResource(j));
      }
      const start = (features: any[] = []) =>
        startKratixTestBackend({
          cluster: sandbox,
          database: { client: 'pg', connection: postgresUrl!, prefix },
          features: [
            // The real scheduler, whose locks on the database let one replica run each collation.
            schedulerServiceFactory,
            searchBackend,
            searchEngineModule,
            searchModuleKratix,
            ...features,
          ],
          extraConfig: {
            search: {
              // Search stops paging a filtered query after this long (default 1 s), answering what
              // it has without a next page: a slow machine, not a rule. These tests are about rules.
              permissions: { queryLatencyBudgetMs: 30_000 },
              collators: {
                kratix: {
                  // Collations run when the test says (collate): each step sees a known index.
                  schedule: {
                    frequency: { trigger: 'manual' },
                    timeout: { minutes: 2 },
                  },
                },
              },
            },
          },
        });
      // One after the other, as a rolling deployment would (the first one creates the databases).
      replicas.push(await start([searchDatabaseProbe(probe)]));
      replicas.push(await start());
      for (const user of ['guest', 'alice', 'bob']) {
        auth.set(user, await replicas[0].auth(user));
      }
      // The cluster service's caches hold bench0's Resources before the collation reads them.
      await eventually(async () => {
        const res = await request(replicas[0].server)
          .get(`/api/kratix/resources/sandbox/default/bench0/r-${COUNT - 1}`)
          .set('Authorization', auth.get('alice')!);
        return res.status === 200 ? true : undefined;
      }, 'bench0 Resources in the cluster caches');
      await collate(replicas[1]);
    });

    afterAll(async () => {
      await Promise.all(replicas.map(r => r.stop()));
      await sandbox?.close();
      if (postgresUrl) await dropDatabases(postgresUrl, prefix);
    });

    it('indexes every Resource once into the PostgreSQL engine, which both replicas query', async () => {
      // The engine's table, in the search plugin's database: not an in-memory Lunr index.
      const rows = await probe.knex!('documents')
        .where({ type: 'kratix-resource' })
        .whereRaw(`document->>'promise' = 'bench0'`)
        .select('document');
      expect(rows.map(r => r.document.name).sort()).toEqual(
        Array.from({ length: COUNT }, (_, j) => `r-${j}`).sort(),
      );
      // The permission ref rides along in the stored document, for search's filter.
      expect(rows[0].document.authorization.resourceRef).toMatch(
        /^sandbox:bench0\/default\/r-\d+$/,
      );
      // The platform team reads every Resource: no filtering, the engine's own count and order.
      for (const replica of replicas) {
        const set = await search(replica, 'alice', {
          term: 'needle',
          pageLimit: 100,
        });
        expect(set.numberOfResults).toBe(COUNT);
        expect(benchNames(set)).toEqual(
          Array.from({ length: COUNT }, (_, j) => `r-${j}`),
        );
      }
    });

    it('never shows the guest a Resource they may not read, in any page or count', async () => {
      const pages = await allPages('guest', 'needle');
      const seen = pages.flatMap(benchNames);
      expect(seen).toEqual(
        Array.from({ length: 27 }, (_, j) => j)
          .filter(guestReads)
          .map(j => `r-${j}`),
      );
      for (const page of pages) {
        // No count at all: the engine's would include what the guest may not read.
        expect(page.numberOfResults ?? seen.length).toBe(seen.length);
        expect(page.results.length).toBeGreaterThan(0);
      }
      // Three full pages and no fourth: a cursor to an empty page would tell that more matched.
      expect(pages.map(p => p.results.length)).toEqual([PAGE, PAGE, PAGE]);
      expect(pages[2].nextPageCursor).toBeUndefined();
    });

    it('goes back with previousPageCursor to the same readable page, on either replica', async () => {
      const [first, second] = await allPages('guest', 'needle');
      expect(first.previousPageCursor).toBeUndefined();
      const back = await search(replicas[1], 'guest', {
        term: 'needle',
        pageLimit: PAGE,
        pageCursor: second.previousPageCursor,
      });
      expect(benchNames(back)).toEqual(benchNames(first));
    });

    it('gives a user who reads none of them no result, count or cursor', async () => {
      for (const replica of replicas) {
        const set = await search(replica, 'bob', {
          term: 'needle',
          pageLimit: PAGE,
        });
        expect(set.results).toEqual([]);
        expect(set.numberOfResults ?? 0).toBe(0);
        expect(set.nextPageCursor).toBeUndefined();
        expect(set.previousPageCursor).toBeUndefined();
      }
    });

    it('hides a Resource whose link moved away at once, before the index is rewritten', async () => {
      sandbox.store.patch(BENCH0, 'default', 'r-0', 'merge', {
        metadata: {
          annotations: {
            'kratix.backstage.io/entity-ref': 'component:default/ci-platform',
            'kratix.backstage.io/owner': 'group:default/team-platform',
          },
        },
      });
      // Both replicas' caches have the change when the guest can no longer open the Resource.
      for (const replica of replicas) {
        await eventually(async () => {
          const res = await request(replica.server)
            .get('/api/kratix/resources/sandbox/default/bench0/r-0')
            .set('Authorization', auth.get('guest')!);
          return res.status === 404 ? true : undefined;
        }, 'the guest to lose r-0');
      }
      // The index still says team-search owns it; search asks the policy, not the index.
      const [stale] = await indexed('r-0');
      expect(stale.document.owner).toBe('group:default/team-search');
      for (const replica of replicas) {
        const set = await search(replica, 'guest', {
          term: 'needle',
          pageLimit: 100,
        });
        expect(benchNames(set)).not.toContain('r-0');
        expect(benchNames(set)).toContain('r-3');
      }

      // The next collation (on the other replica) rewrites the document for everyone.
      await collate(replicas[0]);
      const [fresh] = await indexed('r-0');
      expect(fresh.document.owner).toBe('group:default/team-platform');
    });

    it('drops a deleted Resource from the shared index at the next collation', async () => {
      sandbox.store.delete(BENCH0, 'default', `r-${COUNT - 1}`);
      await eventually(async () => {
        const res = await request(replicas[0].server)
          .get(`/api/kratix/resources/sandbox/default/bench0/r-${COUNT - 1}`)
          .set('Authorization', auth.get('alice')!);
        return res.status === 404 ? true : undefined;
      }, 'the deletion in the cluster caches');
      await collate(replicas[1]);
      expect(await indexed(`r-${COUNT - 1}`)).toEqual([]);
      for (const replica of replicas) {
        const set = await search(replica, 'alice', {
          term: 'needle',
          pageLimit: 100,
        });
        expect(set.numberOfResults).toBe(COUNT - 1);
      }
    });
  },
);
