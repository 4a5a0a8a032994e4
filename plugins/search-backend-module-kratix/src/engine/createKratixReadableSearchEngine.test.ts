/*
 * The public factory, wired from a search module's services: the policy's conditions reach the
 * plugin that owns the resource type (found by discovery), and the latency budget is read from
 * the search backend's own key. The paging itself is KratixReadableSearchEngine.test.ts's.
 */
import type { PermissionsService } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { SearchEngine } from '@backstage/plugin-search-backend-node';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createKratixReadableSearchEngine } from './createKratixReadableSearchEngine';

const resource = (name: string) => ({
  type: 'kratix-resource',
  document: {
    title: name,
    text: '',
    location: `/kratix/resources/sandbox/default/redis/${name}`,
    authorization: { resourceRef: `sandbox:redis/default/${name}` },
  },
});

/** One engine page holding every result, with a count the caller must not see. */
const engine: SearchEngine = {
  setTranslator() {},
  getIndexer: async () => {
    throw new Error('not indexed here');
  },
  query: async () => ({
    results: [resource('mine'), resource('theirs')],
    numberOfResults: 2,
  }),
};

const permissions = {
  authorizeConditional: async () => [
    {
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'kratix',
      resourceType: 'kratix-resource',
      conditions: { rule: 'IS_RESOURCE_OWNER', params: {} },
    },
  ],
} as unknown as PermissionsService;

describe('createKratixReadableSearchEngine', () => {
  let server: http.Server;
  const asked: string[][] = [];

  beforeAll(async () => {
    // The owning plugin's apply-conditions endpoint: reads only "mine".
    server = http.createServer((req, res) => {
      let text = '';
      req.on('data', chunk => (text += chunk));
      req.on('end', () => {
        const [item] = JSON.parse(text).items;
        asked.push(item.resourceRef);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            items: [
              {
                id: item.id,
                result: item.resourceRef.map((ref: string) =>
                  ref.endsWith('/mine') ? 'ALLOW' : 'DENY',
                ),
              },
            ],
          }),
        );
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise(resolve => server.close(resolve)));

  const create = (data: object = {}) => {
    const { port } = server.address() as AddressInfo;
    return createKratixReadableSearchEngine(engine, {
      permissions,
      discovery: mockServices.discovery.mock({
        getBaseUrl: async id => `http://127.0.0.1:${port}/api/${id}`,
      }),
      auth: mockServices.auth(),
      config: mockServices.rootConfig({ data }),
    });
  };

  it("filters a conditional caller's Resources through the owning plugin, and hides the count", async () => {
    const search = create({
      search: { permissions: { queryLatencyBudgetMs: 30_000 } },
    });
    const page = await search.query(
      { term: '', types: ['kratix-resource'] },
      { credentials: mockCredentials.user('user:default/guest') },
    );
    expect(page.results.map(r => r.document.title)).toEqual(['mine']);
    expect(page.numberOfResults).toBeUndefined();
    expect(page.nextPageCursor).toBeUndefined();
    expect(asked).toEqual([
      ['sandbox:redis/default/mine', 'sandbox:redis/default/theirs'],
    ]);
  });

  it('refuses a latency budget that is not a number', () => {
    expect(() =>
      create({ search: { permissions: { queryLatencyBudgetMs: 'soon' } } }),
    ).toThrow(/queryLatencyBudgetMs/);
  });
});
