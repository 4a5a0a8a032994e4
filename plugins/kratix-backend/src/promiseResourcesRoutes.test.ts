/*
 * The Resources of a Promise as the Promise page and the /kratix index read them, through the
 * plugin as Backstage starts it (__testUtils__/pluginBackend.ts): each Resource decided as the
 * one-Resource read decides it, so a caller learns nothing (name, count) about one it may not read.
 * (routeGuard.test.ts walks these routes without a token too.)
 */
import request from 'supertest';
import {
  startPluginBackend,
  type PluginBackend,
} from './__testUtils__/pluginBackend';
import {
  DENIED,
  OUTSIDER,
  PLATFORM_MEMBER,
  READER,
} from './__testUtils__/seedCatalog';

jest.setTimeout(60_000);

const names = (body: { items: { namespace: string; name: string }[] }) =>
  body.items.map(r => `${r.namespace}/${r.name}`).sort();

describe('the Resources of a Promise', () => {
  let plugin: PluginBackend;
  const get = (path: string, user: string) =>
    request(plugin.server).get(path).set('Authorization', plugin.auth(user));

  beforeAll(async () => {
    plugin = await startPluginBackend();
  });

  afterAll(async () => {
    await plugin?.close();
  });

  it("lists a Promise's Resources the caller may read, and only those", async () => {
    const path = '/api/kratix/promises/sandbox/redis/resources';
    const reader = await get(path, READER);
    expect(reader.status).toBe(200);
    // team-checkout's three redis Resources, as views (state, message, conditions).
    expect(names(reader.body)).toEqual([
      'default/example',
      'default/paused-cache',
      'default/slow-cache',
    ]);
    expect(reader.body.items[0]).toMatchObject({
      cluster: 'sandbox',
      promise: 'redis',
    });
    expect(reader.body.items[0]).toHaveProperty('state');
    expect(reader.body.errors).toEqual([]);

    // team-search owns no redis Resource: an empty list, with nothing about the others.
    for (const user of [OUTSIDER, DENIED]) {
      const res = await get(path, user);
      expect({ user, status: res.status, items: res.body.items }).toEqual({
        user,
        status: 200,
        items: [],
      });
      expect(JSON.stringify(res.body)).not.toMatch(/slow-cache|paused|example/);
    }
  });

  it('lists nothing for a Promise or cluster that does not exist', async () => {
    for (const path of [
      '/api/kratix/promises/sandbox/no-such-promise/resources',
      '/api/kratix/promises/elsewhere/redis/resources',
    ]) {
      const res = await get(path, READER);
      expect({ path, status: res.status, items: res.body.items }).toEqual({
        path,
        status: 200,
        items: [],
      });
    }
  });

  it('counts per Promise only the Resources each caller may read', async () => {
    const counts = async (user: string) => {
      const res = await get('/api/kratix/promises/resource-counts', user);
      expect(res.status).toBe(200);
      expect(res.body.errors).toEqual([]);
      return Object.fromEntries(
        res.body.items.map(
          (c: { cluster: string; promise: string; count: number }) => [
            `${c.cluster}/${c.promise}`,
            c.count,
          ],
        ),
      );
    };
    expect(await counts(READER)).toEqual({
      'sandbox/redis': 3,
      'sandbox/team-database': 1,
    });
    expect(await counts(OUTSIDER)).toEqual({ 'sandbox/elastic-cloud': 1 });
    expect(await counts(PLATFORM_MEMBER)).toEqual({ 'sandbox/jenkins': 2 });
    expect(await counts(DENIED)).toEqual({});
  });
});
