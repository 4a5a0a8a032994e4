/**
 * @jest-environment node
 */
/*
 * The user's ID token on writes to clusters with `auth.type: oidc` (issue 26): the plugin's API
 * factory (both frontend systems install it; plugin.test.ts) wires Backstage's built-in sign-in providers by id; a write to a cluster whose
 * idTokenProvider (from the backend's cluster list) names one carries
 * `x-kratix-id-token-<provider>`, and no other request does.
 */
import { ResponseError } from '@backstage/errors';
import { MockFetchApi, mockApis } from '@backstage/test-utils';
import type { KratixClusterInfo } from '@kratix-backstage/plugin-kratix-common';
import { kratixApiFactory } from './apiFactory';
import type { KratixApi, KratixResourceKey } from './KratixApi';
import { KratixClient } from './KratixClient';

const BASE = 'http://localhost:7007/api/kratix';
const HEADER = 'x-kratix-id-token-okta';
const CLUSTERS: KratixClusterInfo[] = [
  { name: 'platform', sandbox: false },
  { name: 'platform-eu', sandbox: false, idTokenProvider: 'okta' },
];
const ENTITY = 'component:default/shop';
const resource = (cluster: string): KratixResourceKey => ({
  cluster,
  namespace: 'default',
  promise: 'redis',
  name: 'cache',
});

/** A Backstage auth API as the app gives it: here, one that always has a session. */
const fakeAuthApi = (token: string) => ({
  getIdToken: jest.fn(async () => token),
});

/** What the backend was sent, each request as a Request. */
function fakeBackend(respond?: (req: Request) => Response | undefined) {
  const requests: Request[] = [];
  const fetchApi = new MockFetchApi({
    baseImplementation: async (input: any, init?: any) => {
      const req = new Request(input, init);
      requests.push(req);
      const answer = respond?.(req);
      if (answer) return answer;
      const body = req.url.endsWith('/promises')
        ? { items: [], clusters: CLUSTERS, errors: [] }
        : {};
      return new Response(JSON.stringify(body), {
        headers: { 'content-type': 'application/json' },
      });
    },
  });
  const path = (req: Request) => req.url.slice(BASE.length);
  return { fetchApi, requests, path };
}

/** Every write of the API, to one cluster. */
const everyWrite = (api: KratixApi, cluster: string) => [
  () =>
    api.createResource({
      cluster,
      promise: 'redis',
      namespace: 'default',
      name: 'cache',
      spec: {},
    }),
  () => api.reconcileResource(ENTITY, resource(cluster)),
  () => api.pauseResource(ENTITY, resource(cluster)),
  () => api.resumeResource(ENTITY, resource(cluster)),
  () =>
    api.updateResource(ENTITY, resource(cluster), {
      spec: { size: 'large' },
      resourceVersion: '7',
    }),
  () => api.deleteResource(ENTITY, resource(cluster)),
];

describe('KratixClient: ID tokens for oidc clusters', () => {
  it('through the plugin’s API factory, sends the provider’s ID token on every write to the oidc cluster and on nothing else', async () => {
    const backend = fakeBackend();
    const auth = {
      google: fakeAuthApi('google-token'),
      microsoft: fakeAuthApi('microsoft-token'),
      okta: fakeAuthApi('okta-token'),
      gitlab: fakeAuthApi('gitlab-token'),
      onelogin: fakeAuthApi('onelogin-token'),
    };
    // The client uses only getIdToken of the auth APIs.
    const api = kratixApiFactory.factory({
      discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
      fetchApi: backend.fetchApi,
      ...auth,
    } as unknown as Parameters<typeof kratixApiFactory.factory>[0]);

    for (const write of everyWrite(api, 'platform-eu')) await write();
    for (const write of everyWrite(api, 'platform')) await write();
    await api.getResourceDetails(ENTITY, resource('platform-eu'));

    const sent = backend.requests.map(req => ({
      request: `${req.method} ${backend.path(req)}`,
      token: req.headers.get(HEADER),
    }));
    const eu = 'entities/component/default/shop/resources/platform-eu';
    const plain = 'entities/component/default/shop/resources/platform';
    expect(sent).toEqual([
      // The first write learns each cluster's provider from the cluster list, once.
      { request: 'GET /promises', token: null },
      { request: 'POST /resources', token: 'okta-token' },
      {
        request: `POST /${eu}/default/redis/cache/reconcile`,
        token: 'okta-token',
      },
      { request: `POST /${eu}/default/redis/cache/pause`, token: 'okta-token' },
      {
        request: `POST /${eu}/default/redis/cache/resume`,
        token: 'okta-token',
      },
      { request: `PATCH /${eu}/default/redis/cache`, token: 'okta-token' },
      { request: `DELETE /${eu}/default/redis/cache`, token: 'okta-token' },
      { request: 'POST /resources', token: null },
      { request: `POST /${plain}/default/redis/cache/reconcile`, token: null },
      { request: `POST /${plain}/default/redis/cache/pause`, token: null },
      { request: `POST /${plain}/default/redis/cache/resume`, token: null },
      { request: `PATCH /${plain}/default/redis/cache`, token: null },
      { request: `DELETE /${plain}/default/redis/cache`, token: null },
      { request: `GET /${eu}/default/redis/cache`, token: null },
    ]);
    // No request carries any other provider's token, and only okta was asked, once per write.
    for (const req of backend.requests) {
      const names = [...req.headers.keys()].filter(h =>
        h.startsWith('x-kratix-id-token-'),
      );
      expect(names.filter(h => h !== HEADER)).toEqual([]);
    }
    expect(auth.okta.getIdToken).toHaveBeenCalledTimes(6);
    for (const other of [auth.google, auth.microsoft, auth.gitlab]) {
      expect(other.getIdToken).not.toHaveBeenCalled();
    }
    expect(auth.onelogin.getIdToken).not.toHaveBeenCalled();
    // The JSON body is still sent with its type beside the token.
    const update = backend.requests.find(r => r.method === 'PATCH')!;
    expect(update.headers.get('content-type')).toBe('application/json');
    expect(await update.json()).toEqual({
      spec: { size: 'large' },
      resourceVersion: '7',
    });
  });

  it('uses the clusters a page already listed, and a create without a cluster goes to the first listed', async () => {
    const backend = fakeBackend(req =>
      req.url.endsWith('/resources') && req.method === 'GET'
        ? new Response(
            JSON.stringify({
              items: [],
              refErrors: [],
              annotationErrors: [],
              // The oidc cluster first: it is the backend's default.
              clusters: [...CLUSTERS].reverse(),
              errors: [],
              observedAt: '2026-11-25T00:00:00Z',
            }),
          )
        : undefined,
    );
    const okta = fakeAuthApi('okta-token');
    const api = new KratixClient({
      discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
      fetchApi: backend.fetchApi,
      idTokenApis: { okta },
    });
    await api.getEntityResources(ENTITY);
    await api.createResource({
      promise: 'redis',
      namespace: 'default',
      name: 'cache',
      spec: {},
      dryRun: true,
    });
    expect(
      backend.requests.map(r => [
        `${r.method} ${backend.path(r)}`,
        r.headers.get(HEADER),
      ]),
    ).toEqual([
      ['GET /entities/component/default/shop/resources', null],
      ['POST /resources', 'okta-token'],
    ]);
  });

  it('sends the write without a token when the user does not sign in, so the backend’s 401 names the provider', async () => {
    const message =
      'The platform (cluster platform-eu) acts as the signed-in user: sign in with the "okta" provider and try again (no ID token was sent)';
    const backend = fakeBackend(req =>
      req.method === 'POST' && req.url.endsWith('/pause')
        ? new Response(
            JSON.stringify({
              error: { name: 'AuthenticationError', message },
              response: { statusCode: 401 },
            }),
            { status: 401, headers: { 'content-type': 'application/json' } },
          )
        : undefined,
    );
    const okta = {
      getIdToken: jest.fn(async (): Promise<string> => {
        throw new Error('Login failed, rejected by user');
      }),
    };
    const api = new KratixClient({
      discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
      fetchApi: backend.fetchApi,
      idTokenApis: { okta },
    });
    const error = await api
      .pauseResource(ENTITY, resource('platform-eu'))
      .catch(e => e);
    expect(okta.getIdToken).toHaveBeenCalledTimes(1);
    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(401);
    expect(error.body.error.message).toBe(message);
    const pause = backend.requests.find(r => r.url.endsWith('/pause'))!;
    expect(pause.headers.get(HEADER)).toBeNull();
  });

  it('without auth APIs, writes as before: no cluster lookup, no token', async () => {
    const backend = fakeBackend();
    const api = new KratixClient({
      discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
      fetchApi: backend.fetchApi,
    });
    await api.pauseResource(ENTITY, resource('platform-eu'));
    expect(backend.requests.map(r => `${r.method} ${backend.path(r)}`)).toEqual(
      [
        'POST /entities/component/default/shop/resources/platform-eu/default/redis/cache/pause',
      ],
    );
    expect(backend.requests[0].headers.get(HEADER)).toBeNull();
  });
});
