/*
 * The read path of the plugin as Backstage starts it (__testUtils__/pluginBackend.ts): an entity's
 * linked Resources, one Resource through its entity and on its own, and the Promises — decided by
 * the real permission backend with the test policy, over the sandbox platform.
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

const CHECKOUT = '/api/kratix/entities/component/default/checkout-service';
const REDIS_EXAMPLE = `${CHECKOUT}/resources/sandbox/default/redis/example`;
/** What would name checkout-service's Resources: none of it may reach a caller who may not read them. */
const CHECKOUT_RESOURCE_NAMES =
  /slow-cache|orders|redis\/default\/example|"example"|"redis"/;

describe('the read routes', () => {
  let plugin: PluginBackend;
  const get = (path: string, user: string) =>
    request(plugin.server).get(path).set('Authorization', plugin.auth(user));

  beforeAll(async () => {
    plugin = await startPluginBackend();
  });

  afterAll(async () => {
    await plugin?.close();
  });

  it("lists an entity's confirmed links to a member of its owning team", async () => {
    const res = await get(`${CHECKOUT}/resources`, READER);
    expect(res.status).toBe(200);
    expect(
      res.body.items.map(
        (r: { promise: string; namespace: string; name: string }) =>
          `${r.promise}/${r.namespace}/${r.name}`,
      ),
    ).toEqual(
      expect.arrayContaining([
        'redis/default/example',
        'redis/default/slow-cache',
        'team-database/default/orders',
      ]),
    );
    expect(res.body.items).toHaveLength(3);
    // Every link is confirmed by the platform (seed owner + trusted location) and readable.
    expect(res.body.refErrors).toEqual([]);
    expect(res.body.errors).toEqual([]);
    const example = res.body.items.find(
      (r: { name: string; promise: string }) =>
        r.promise === 'redis' && r.name === 'example',
    );
    expect(example).toMatchObject({
      cluster: 'sandbox',
      entityRef: 'component:default/checkout-service',
    });
  });

  it('refuses the list with 403 to a user who sees the entity but owns none of its Resources', async () => {
    const res = await get(`${CHECKOUT}/resources`, OUTSIDER);
    expect(res.status).toBe(403);
    expect(res.body.error).toEqual({
      name: 'NotAllowedError',
      message:
        'You may not read the Kratix Resources of component:default/checkout-service',
    });
    expect(JSON.stringify(res.body)).not.toMatch(CHECKOUT_RESOURCE_NAMES);
  });

  it('answers 404 to a user refused everything, as for an entity that does not exist', async () => {
    const res = await get(`${CHECKOUT}/resources`, DENIED);
    expect(res.status).toBe(404);
    expect(res.body.error).toEqual({
      name: 'NotFoundError',
      message: 'No entity component:default/checkout-service',
    });
    expect(JSON.stringify(res.body)).not.toMatch(CHECKOUT_RESOURCE_NAMES);
    const missing = await get(
      '/api/kratix/entities/component/default/no-such-service/resources',
      READER,
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error.name).toBe('NotFoundError');
  });

  it('shows an entity the catalog policy hides to its owners only (catalog isEntityOwner), 404 to others', async () => {
    const path = '/api/kratix/entities/component/default/ci-platform/resources';
    const owner = await get(path, PLATFORM_MEMBER);
    expect(owner.status).toBe(200);
    expect(
      owner.body.items.map((r: { name: string }) => r.name).sort(),
    ).toEqual(['broken', 'example']);
    const res = await get(path, READER);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe(
      'No entity component:default/ci-platform',
    );
    expect(JSON.stringify(res.body)).not.toMatch(/jenkins|broken/);
  });

  it('shows one linked Resource with its timeline to the reader, and the same 404 to everyone else', async () => {
    const res = await get(REDIS_EXAMPLE, READER);
    expect(res.status).toBe(200);
    expect(res.body.resource).toMatchObject({
      cluster: 'sandbox',
      promise: 'redis',
      namespace: 'default',
      name: 'example',
    });
    expect(Array.isArray(res.body.timeline)).toBe(true);

    const outsider = await get(REDIS_EXAMPLE, OUTSIDER);
    const denied = await get(REDIS_EXAMPLE, DENIED);
    expect(outsider.status).toBe(404);
    expect(outsider.body.error.message).toMatch(
      /links no Resource .* that the platform confirms and you may read$/,
    );
    expect(denied.status).toBe(404);
    expect(denied.body.error.message).toBe(
      'No entity component:default/checkout-service',
    );
    expect(JSON.stringify(outsider.body.resource ?? null)).toBe('null');
    expect(JSON.stringify(denied.body)).not.toMatch(/"status":\{|conditions/);
  });

  it('shows a Resource on its own page to an owner (decided on the Resource), and 404 to others', async () => {
    const path = '/api/kratix/resources/sandbox/default/redis/example';
    const res = await get(path, READER);
    expect(res.status).toBe(200);
    expect(res.body.resource).toMatchObject({
      name: 'example',
      entityRef: 'component:default/checkout-service',
    });
    for (const user of [OUTSIDER, DENIED]) {
      const refused = await get(path, user);
      expect({ user, status: refused.status }).toEqual({ user, status: 404 });
      expect(refused.body.error.message).toBe(
        'No Kratix Resource sandbox:redis/default/example that you may read',
      );
    }
  });

  it('lists the Promises to a user allowed kratix.promise.read, and 403 to the denied user', async () => {
    const res = await get('/api/kratix/promises', READER);
    expect(res.status).toBe(200);
    expect(res.body.items.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['redis', 'jenkins', 'elastic-cloud']),
    );
    expect(res.body.clusters).toEqual([
      expect.objectContaining({ name: 'sandbox' }),
    ]);

    const denied = await get('/api/kratix/promises', DENIED);
    expect(denied.status).toBe(403);
    expect(denied.body.error).toEqual({
      name: 'NotAllowedError',
      message: 'You may not list Kratix Promises',
    });
    expect(denied.body).not.toHaveProperty('items');
  });
});
