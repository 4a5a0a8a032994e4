/*
 * Every Kratix route needs a user or service token, and the router's one guard is what asks for it.
 * This walks the router's own route table (so a route added later is walked too) against the
 * plugin as Backstage mounts it, without credentials, and expects this plugin's 401 body from each:
 * no stack trace, no handler reached.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { kratixPlugin } from './plugin';
import { createRouter, declaredRoutes, type RouterOptions } from './router';

/** Method and path of every route the router declares, with each `:param` filled in. */
async function routeTable() {
  // Only the table is read: no handler runs, so the services behind it are never called.
  const router = await createRouter({
    httpAuth: mockServices.httpAuth(),
    logger: mockServices.logger.mock(),
    // Only its bounds are read when the logs routes are declared.
    logs: { settings: { maxFollowsPerUser: 1 } },
  } as unknown as RouterOptions);
  return declaredRoutes(router).map(({ method, path }) => ({
    method,
    path: path.replace(/:([A-Za-z]+)/g, 'x$1'),
  }));
}

describe('the Kratix routes without credentials', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        kratixPlugin,
        catalogServiceMock.factory(),
        actionsRegistryServiceMock.factory(),
        // The mock's default is a signed-in user; a request without a token must carry nothing.
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.rootConfig.factory({ data: { kratix: {} } }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
  });

  it('declares the routes the walk covers', async () => {
    const routes = await routeTable();
    // The reads, the stream, the manage actions and the create: if the table could not be read,
    // the walk below would pass vacuously.
    expect(routes.length).toBeGreaterThanOrEqual(11);
    expect(routes).toEqual(
      expect.arrayContaining([
        { method: 'get', path: '/promises' },
        { method: 'post', path: '/resources' },
        expect.objectContaining({
          method: 'get',
          path: expect.stringMatching(/\/runs$/),
        }),
        expect.objectContaining({
          method: 'get',
          path: expect.stringMatching(/\/logs$/),
        }),
        expect.objectContaining({ method: 'patch' }),
        expect.objectContaining({ method: 'delete' }),
      ]),
    );
  });

  it('answers 401 with the plugin body, no stack, from every route', async () => {
    const routes = await routeTable();
    for (const { method, path } of routes) {
      const url = `/api/kratix${path}`;
      const res = await (request(server) as any)
        [method](url)
        .send(method === 'get' ? undefined : { name: 'x' });
      expect({ method, url, status: res.status }).toEqual({
        method,
        url,
        status: 401,
      });
      expect(res.body.error).toEqual({
        name: 'AuthenticationError',
        message: expect.any(String),
      });
      expect(res.body.response).toEqual({ statusCode: 401 });
      expect(JSON.stringify(res.body)).not.toMatch(/\bat .*\.(ts|js):\d+/);
      expect(res.body.error).not.toHaveProperty('stack');
    }
  });

  it('answers 401, not 404, for a path no route declares', async () => {
    const res = await request(server).get('/api/kratix/entities/no-such-route');
    expect(res.status).toBe(401);
    expect(res.body.error.name).toBe('AuthenticationError');
  });

  it("leaves Backstage's own routes on the plugin (the MCP actions list) behind the barrier", async () => {
    const res = await request(server).get(
      '/api/kratix/.backstage/actions/v1/actions',
    );
    expect(res.status).toBe(401);
  });

  it('answers 401 for an invalid token as for none', async () => {
    const res = await request(server)
      .get('/api/kratix/promises')
      .set('Authorization', 'Bearer not-a-token');
    expect(res.status).toBe(401);
    expect(res.body.error.name).toBe('AuthenticationError');
  });
});
