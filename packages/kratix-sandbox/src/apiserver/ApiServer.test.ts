/*
 * The HTTP surface at the byte level: discovery, Table output, watch streams and Status errors,
 * over plain HTTP (tls: false) with node:http.
 */
import { request } from 'node:http';
import { createSandboxStore } from '../store';
import { CRD_KEY } from '../store/crdTypes';
import type { ObjectStore } from '../store/ObjectStore';
import { REDIS, redis, redisCrd } from '../store/testFixtures';
import { type RunningApiServer, startApiServer } from './ApiServer';

let store: ObjectStore;
let server: RunningApiServer;

interface Reply {
  status: number;
  type: string;
  body: any;
  text: string;
}

function call(
  method: string,
  path: string,
  options: {
    body?: string | Buffer;
    headers?: Record<string, string>;
    token?: string | null;
  } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const token = options.token === undefined ? server.token : options.token;
    const req = request(`${server.url}${path}`, {
      method,
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...options.headers,
      },
    });
    req.on('response', res => {
      const chunks: Buffer[] = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let body: any;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type']),
          body,
          text,
        });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const json = (value: unknown) => ({
  body: JSON.stringify(value),
  headers: { 'Content-Type': 'application/json' },
});
const TABLE_ACCEPT =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const BASE = '/apis/marketplace.kratix.io/v1alpha1/namespaces/default/redis';

beforeAll(async () => {
  store = createSandboxStore();
  store.create(CRD_KEY, redisCrd());
  server = await startApiServer({ store, tls: false, token: 'secret' });
});

afterAll(() => server?.close());

describe('API server HTTP surface', () => {
  it('requires the bearer token everywhere', async () => {
    for (const path of ['/version', '/api', BASE]) {
      const reply = await call('GET', path, { token: null });
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        details: {},
        code: 401,
      });
    }
    expect((await call('GET', '/version', { token: 'wrong' })).status).toBe(
      401,
    );
  });

  it('serves discovery that follows CRDs', async () => {
    expect((await call('GET', '/version')).body.gitVersion).toBe(
      'v1.33.0-kratix-sandbox',
    );
    expect((await call('GET', '/api')).body.versions).toEqual(['v1']);
    const groups = (await call('GET', '/apis')).body.groups.map(
      (g: any) => g.name,
    );
    // The built-in groups, RBAC and the access reviews included, and the CRD's.
    expect(groups).toEqual([
      'apiextensions.k8s.io',
      'authentication.k8s.io',
      'authorization.k8s.io',
      'batch',
      'marketplace.kratix.io',
      'rbac.authorization.k8s.io',
    ]);
    const resources = (
      await call('GET', '/apis/marketplace.kratix.io/v1alpha1')
    ).body.resources;
    expect(resources).toEqual([
      expect.objectContaining({
        name: 'redis',
        kind: 'redis',
        namespaced: true,
        singularName: 'redis',
        categories: ['kratix'],
      }),
      expect.objectContaining({
        name: 'redis/status',
        verbs: ['get', 'patch', 'update'],
      }),
    ]);
    const core = (await call('GET', '/api/v1')).body.resources.find(
      (r: any) => r.name === 'events',
    );
    expect(core.verbs).toEqual(['get', 'list', 'watch']);
    store.delete(CRD_KEY, undefined, 'redis.marketplace.kratix.io');
    expect(
      (await call('GET', '/apis/marketplace.kratix.io/v1alpha1')).status,
    ).toBe(404);
    expect((await call('GET', BASE)).body).toMatchObject({
      reason: 'NotFound',
      message: 'the server could not find the requested resource',
    });
    store.create(CRD_KEY, redisCrd());
  });

  it('renders Tables with printer columns and the requested includeObject', async () => {
    store.create(REDIS, redis('t1'));
    store.patch(
      REDIS,
      'default',
      't1',
      'merge',
      {
        status: {
          message: 'hi',
          conditions: [{ type: 'Reconciled', message: 'done' }],
        },
      },
      { subresource: 'status' },
    );
    const table = (
      await call('GET', BASE, { headers: { Accept: TABLE_ACCEPT } })
    ).body;
    expect(table.kind).toBe('Table');
    expect(table.apiVersion).toBe('meta.k8s.io/v1');
    expect(table.columnDefinitions.map((c: any) => c.name)).toEqual([
      'Name',
      'MESSAGE',
      'STATUS',
    ]);
    expect(table.rows[0].cells).toEqual(['t1', 'hi', 'done']);
    expect(table.rows[0].object).toMatchObject({
      kind: 'PartialObjectMetadata',
      metadata: { name: 't1' },
    });
    const full = (
      await call('GET', `${BASE}/t1?includeObject=Object`, {
        headers: { Accept: TABLE_ACCEPT },
      })
    ).body;
    expect(full.rows[0].object.spec).toEqual({ size: 'small', replicas: 1 });
    const jobs = (
      await call('GET', '/apis/batch/v1/jobs', {
        headers: { Accept: TABLE_ACCEPT },
      })
    ).body;
    expect(jobs.columnDefinitions.map((c: any) => c.name)).toEqual([
      'Name',
      'Status',
      'Completions',
      'Duration',
      'Age',
    ]);
    const events = (
      await call('GET', '/api/v1/events', { headers: { Accept: TABLE_ACCEPT } })
    ).body;
    expect(events.columnDefinitions.map((c: any) => c.name)).toEqual([
      'Last Seen',
      'Type',
      'Reason',
      'Object',
      'Message',
    ]);
  });

  it('creates with 201, honours dryRun, rejects mismatched namespaces', async () => {
    const dry = await call('POST', `${BASE}?dryRun=All`, json(redis('dry')));
    expect(dry.status).toBe(201);
    expect(store.get(REDIS, 'default', 'dry')).toBeUndefined();
    const created = await call('POST', BASE, json(redis('c1')));
    expect(created.status).toBe(201);
    expect(created.body.metadata.generation).toBe(1);
    const again = await call('POST', BASE, json(redis('c1')));
    expect(again.status).toBe(409);
    expect(again.body.reason).toBe('AlreadyExists');
    const elsewhere = await call('POST', BASE, json(redis('c2', {}, 'other')));
    expect(elsewhere.status).toBe(400);
  });

  it('answers 405, 415, 413 and 404 like the apiserver', async () => {
    const readOnly = await call(
      'POST',
      '/apis/batch/v1/namespaces/default/jobs',
      json({ metadata: { name: 'j' } }),
    );
    expect(readOnly.status).toBe(405);
    expect(readOnly.body.reason).toBe('MethodNotAllowed');
    store.create(REDIS, redis('p1'));
    const badPatch = await call('PATCH', `${BASE}/p1`, {
      body: '{}',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(badPatch.status).toBe(415);
    const huge = await call('POST', BASE, {
      body: Buffer.alloc(3 * 1024 * 1024 + 10, ' '),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(huge.status).toBe(413);
    const unknown = await call('GET', '/apis/nope.io/v1/things');
    expect(unknown.status).toBe(404);
    expect((await call('GET', '/something/else')).body.reason).toBe('NotFound');
    const missing = await call('GET', `${BASE}/missing`);
    expect(missing.body).toMatchObject({
      code: 404,
      reason: 'NotFound',
      details: {
        name: 'missing',
        group: 'marketplace.kratix.io',
        kind: 'redis',
      },
    });
  });

  it('applies server-side apply patches as create-or-merge', async () => {
    const yaml =
      'apiVersion: marketplace.kratix.io/v1alpha1\nkind: redis\nmetadata:\n  name: ssa\nspec:\n  size: large\n';
    const headers = { 'Content-Type': 'application/apply-patch+yaml' };
    const first = await call('PATCH', `${BASE}/ssa?fieldManager=test`, {
      body: yaml,
      headers,
    });
    expect(first.status).toBe(201);
    const second = await call('PATCH', `${BASE}/ssa?fieldManager=test`, {
      body: yaml.replace('large', 'small'),
      headers,
    });
    expect(second.status).toBe(200);
    expect(second.body.metadata.generation).toBe(2);
  });

  it('streams watch events and ends with timeoutSeconds', async () => {
    const rv = store.currentResourceVersion();
    const pending = call(
      'GET',
      `${BASE}?watch=true&resourceVersion=${rv}&timeoutSeconds=1`,
    );
    store.create(REDIS, redis('w1'));
    store.delete(REDIS, 'default', 'w1');
    const reply = await pending;
    const events = reply.text
      .trim()
      .split('\n')
      .map(line => JSON.parse(line));
    expect(events.map(e => `${e.type} ${e.object.metadata.name}`)).toEqual([
      'ADDED w1',
      'DELETED w1',
    ]);
    const bad = await call(
      'GET',
      `${BASE}?watch=true&labelSelector=${encodeURIComponent('a in b')}`,
    );
    expect(bad.status).toBe(400);
  });
});
