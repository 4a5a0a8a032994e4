/*
 * The wrapper's paging on a list engine (results in a fixed order, pages by number, as the
 * PostgreSQL and Lunr engines page) and a policy stand-in that reads a set of Resource refs. The
 * app's PostgreSQL integration test (packages/backend/src/integration/searchPostgres.test.ts) runs
 * it under the real search backend, permission backend, policy and Kratix plugin.
 */
import type { PermissionsService } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { SearchEngine } from '@backstage/plugin-search-backend-node';
import type { ConditionsApplier } from './conditionsApplier';
import {
  ENGINE_PAGE,
  KratixReadableSearchEngine,
} from './KratixReadableSearchEngine';

type Result = Awaited<ReturnType<SearchEngine['query']>>['results'][number];

const resource = (name: string, withRef = true): Result => ({
  type: 'kratix-resource',
  document: {
    title: name,
    text: '',
    location: `/kratix/resources/sandbox/default/redis/${name}`,
    ...(withRef
      ? { authorization: { resourceRef: `sandbox:redis/default/${name}` } }
      : {}),
  },
});
const entity = (name: string): Result => ({
  type: 'software-catalog',
  document: {
    title: name,
    text: '',
    location: `/catalog/default/component/${name}`,
    authorization: { resourceRef: `component:default/${name}` },
  },
});

/** Pages through `results` in order; cursors are page numbers, as the real engines' are. */
function listEngine(results: Result[]) {
  const pageLimits: number[] = [];
  const engine: SearchEngine = {
    setTranslator() {},
    getIndexer: async () => {
      throw new Error('not indexed here');
    },
    query: async query => {
      const size = query.pageLimit || 25;
      pageLimits.push(size);
      const page = query.pageCursor ? Number(atob(query.pageCursor)) : 0;
      const rows = results.filter(r => query.types!.includes(r.type));
      const hasNext = rows.length > (page + 1) * size;
      return {
        results: rows.slice(page * size, (page + 1) * size),
        numberOfResults: rows.length,
        nextPageCursor: hasNext ? btoa(String(page + 1)) : undefined,
        previousPageCursor: page > 0 ? btoa(String(page - 1)) : undefined,
      };
    },
  };
  return { engine, pageLimits };
}

/**
 * The policy stand-in: conditional (the Kratix plugin reads `readable`), or allowing or denying
 * every Resource. `asked` holds the refs of each conditions call.
 */
function policy(
  readable: Set<string>,
  decision: 'conditional' | 'allow' | 'deny' = 'conditional',
) {
  const asked: string[][] = [];
  const permissions = {
    authorizeConditional: async (requests: unknown[]) =>
      requests.map(() => {
        if (decision === 'allow') return { result: AuthorizeResult.ALLOW };
        if (decision === 'deny') return { result: AuthorizeResult.DENY };
        return {
          result: AuthorizeResult.CONDITIONAL,
          pluginId: 'kratix',
          resourceType: 'kratix-resource',
          conditions: { rule: 'IS_RESOURCE_OWNER', params: {} },
        };
      }),
    authorize: async () => {
      throw new Error('a result is decided by its conditions, not one by one');
    },
  } as unknown as PermissionsService;
  const applyConditions: ConditionsApplier = async (_decision, refs) => {
    asked.push(refs);
    return refs.map(ref => readable.has(ref));
  };
  return { permissions, asked, applyConditions };
}

/** The wrapper over `engine`, filtering with `policy(...)`. */
function wrap(engine: SearchEngine, stand: ReturnType<typeof policy>) {
  return new KratixReadableSearchEngine(engine, stand.permissions, {
    latencyBudgetMs: 60_000,
    applyConditions: stand.applyConditions,
  });
}

const options = { credentials: mockCredentials.user('user:default/guest') };
const names = (results: Result[]) => results.map(r => r.document.title);
const refOf = (name: string) => `sandbox:redis/default/${name}`;

describe('KratixReadableSearchEngine', () => {
  it('offers no next page when the readable Resources end at a page end and unreadable ones follow', async () => {
    const all = Array.from({ length: 10 }, (_, i) => resource(`r-${i}`));
    const readable = new Set(['r-0', 'r-1', 'r-2', 'r-3', 'r-4', 'r-5']);
    const { engine } = listEngine(all);
    const search = wrap(engine, policy(new Set([...readable].map(refOf))));
    const query = { term: '', types: ['kratix-resource'], pageLimit: 3 };

    const first = await search.query(query, options);
    expect(names(first.results)).toEqual(['r-0', 'r-1', 'r-2']);
    expect(first.numberOfResults).toBeUndefined();
    expect(first.nextPageCursor).toBeDefined();
    const second = await search.query(
      { ...query, pageCursor: first.nextPageCursor },
      options,
    );
    expect(names(second.results)).toEqual(['r-3', 'r-4', 'r-5']);
    // r-6..r-9 match too; the caller may read none of them, so nothing says they exist.
    expect(second.nextPageCursor).toBeUndefined();
    // Decided here: the search backend does not ask again about these results.
    for (const result of [...first.results, ...second.results]) {
      expect(result.document.authorization).toBeUndefined();
    }
  });

  it('reads the engine ENGINE_PAGE results at a time, one conditions call each, across engine pages', async () => {
    // 2.5 engine pages of matches, every 25th readable: one full page of 25 (the last one in the
    // third engine page), and nothing more to offer.
    const total = ENGINE_PAGE * 2 + ENGINE_PAGE / 2;
    const all = Array.from({ length: total }, (_, i) => resource(`r-${i}`));
    const readable = new Set(
      all.map(r => r.document.title).filter((_, i) => i % (total / 25) === 0),
    );
    const { engine, pageLimits } = listEngine(all);
    const stand = policy(new Set([...readable].map(refOf)));
    const search = wrap(engine, stand);

    const page = await search.query(
      { term: '', types: ['kratix-resource'], pageLimit: 25 },
      options,
    );
    expect(names(page.results)).toEqual([...readable]);
    expect(page.nextPageCursor).toBeUndefined();
    expect(readable.size).toBe(25);
    expect(pageLimits).toEqual([ENGINE_PAGE, ENGINE_PAGE, ENGINE_PAGE]);
    expect(stand.asked.map(refs => refs.length)).toEqual([
      ENGINE_PAGE,
      ENGINE_PAGE,
      ENGINE_PAGE / 2,
    ]);
  });

  it('resumes inside an engine page where the previous page stopped', async () => {
    const all = Array.from({ length: 30 }, (_, i) => resource(`r-${i}`));
    const readable = new Set(
      all.map(r => r.document.title).filter((_, i) => i % 2 === 0),
    );
    const { engine } = listEngine(all);
    const search = wrap(engine, policy(new Set([...readable].map(refOf))));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await search.query(
        {
          term: '',
          types: ['kratix-resource'],
          pageLimit: 4,
          pageCursor: cursor,
        },
        options,
      );
      expect(page.results.length).toBeGreaterThan(0);
      seen.push(...names(page.results));
      cursor = page.nextPageCursor;
    } while (cursor);
    expect(seen).toEqual([...readable]);
  });

  it('leaves other types and their authorization to the search backend, and drops a Resource without a ref', async () => {
    const { engine } = listEngine([
      entity('search-service'),
      resource('mine'),
      resource('no-ref', false),
      resource('theirs'),
    ]);
    const search = wrap(engine, policy(new Set([refOf('mine')])));
    const page = await search.query(
      { term: '', types: ['software-catalog', 'kratix-resource'] },
      options,
    );
    expect(names(page.results)).toEqual(['search-service', 'mine']);
    expect(page.results[0].document.authorization).toEqual({
      resourceRef: 'component:default/search-service',
    });
  });

  it("gives a caller allowed every Resource the engine's own answer, count and cursors", async () => {
    const all = Array.from({ length: 5 }, (_, i) => resource(`r-${i}`));
    const { engine } = listEngine(all);
    const stand = policy(new Set(), 'allow');
    const search = wrap(engine, stand);
    const query = { term: '', types: ['kratix-resource'], pageLimit: 2 };
    expect(await search.query(query, options)).toEqual(
      await engine.query(query, options),
    );
    expect(stand.asked).toEqual([]);
  });

  it('shows a caller denied every Resource none of them, and the other types', async () => {
    const { engine } = listEngine([resource('r-0'), entity('search-service')]);
    const search = wrap(engine, policy(new Set(), 'deny'));
    const page = await search.query(
      { term: '', types: ['kratix-resource', 'software-catalog'] },
      options,
    );
    expect(names(page.results)).toEqual(['search-service']);
    expect(page.numberOfResults).toBeUndefined();
  });

  it('refuses a cursor it did not give', async () => {
    const { engine } = listEngine([resource('r-0')]);
    const search = wrap(engine, policy(new Set()));
    await expect(
      search.query(
        { term: '', types: ['kratix-resource'], pageCursor: 'MQ==' },
        options,
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: 'Invalid page cursor',
    });
  });
});
