/*
 * The OpenAPI documents over HTTP: v3 discovery pointing at per-group-version documents whose
 * schemas carry the kind's GVK, v2 as JSON unless only protobuf is accepted, and documents that
 * follow CRDs being added, changed and removed.
 */
import { createSandboxStore } from '../store';
import { NAMESPACE_TYPE } from '../store/builtinTypes';
import { CRD_KEY } from '../store/crdTypes';
import type { ObjectStore } from '../store/ObjectStore';
import { redisCrd } from '../store/testFixtures';
import { type RunningApiServer, startApiServer } from './ApiServer';
import { openApiDocuments } from './openapi';

let store: ObjectStore;
let server: RunningApiServer;

beforeEach(async () => {
  store = createSandboxStore();
  store.create(CRD_KEY, redisCrd());
  server = await startApiServer({ store, tls: false });
});
afterEach(async () => {
  await server?.close();
});

async function get(path: string, accept = 'application/json') {
  const res = await fetch(`${server.url}${path}`, {
    headers: { authorization: `Bearer ${server.token}`, accept },
  });
  return res;
}
const json = async (path: string) => (await get(path)).json() as any;

describe('OpenAPI v3', () => {
  it('lists one document per group-version, with a hash that names its content', async () => {
    const discovery = await json('/openapi/v3');
    expect(Object.keys(discovery.paths)).toEqual(
      expect.arrayContaining([
        'api/v1',
        'apis/apiextensions.k8s.io/v1',
        'apis/batch/v1',
        'apis/marketplace.kratix.io/v1alpha1',
      ]),
    );
    const url: string =
      discovery.paths['apis/marketplace.kratix.io/v1alpha1'].serverRelativeURL;
    expect(url).toMatch(
      /^\/openapi\/v3\/apis\/marketplace\.kratix\.io\/v1alpha1\?hash=[0-9A-F]{128}$/,
    );
    const res = await get(url);
    expect(res.headers.get('etag')).toBe(`"${url.split('hash=')[1]}"`);
    const doc = (await res.json()) as any;
    expect(doc.openapi).toBe('3.0.0');
    // A client holding this version (kubectl's HTTP cache) is told it is current.
    const again = await fetch(`${server.url}${url}`, {
      headers: {
        authorization: `Bearer ${server.token}`,
        'if-none-match': res.headers.get('etag')!,
      },
    });
    expect(again.status).toBe(304);
    const redis =
      doc.components.schemas['io.kratix.marketplace.v1alpha1.redis'];
    expect(redis['x-kubernetes-group-version-kind']).toEqual([
      { group: 'marketplace.kratix.io', kind: 'redis', version: 'v1alpha1' },
    ]);
    expect(redis.properties.spec.properties.size.enum).toEqual([
      'small',
      'large',
    ]);
    expect(redis.properties.metadata.allOf).toEqual([
      {
        $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
      },
    ]);
    expect(
      doc.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'],
    ).toBeDefined();
    // kubectl explain takes the kind from the GVK of the list path's get.
    expect(
      doc.paths['/apis/marketplace.kratix.io/v1alpha1/redis'].get[
        'x-kubernetes-group-version-kind'
      ],
    ).toEqual({
      group: 'marketplace.kratix.io',
      kind: 'redis',
      version: 'v1alpha1',
    });
    const item =
      doc.paths[
        '/apis/marketplace.kratix.io/v1alpha1/namespaces/{namespace}/redis/{name}'
      ];
    expect(Object.keys(item.patch.requestBody.content)).not.toContain(
      'application/strategic-merge-patch+json',
    );
    // Not advertised: the sandbox does not do server-side field validation.
    expect(item.patch.parameters ?? []).not.toContainEqual(
      expect.objectContaining({ name: 'fieldValidation' }),
    );
  });

  it('follows CRDs: a new group appears, a changed schema gets a new hash, a deleted one goes', async () => {
    const before = await json('/openapi/v3');
    const redisUrl = before.paths['apis/marketplace.kratix.io/v1alpha1']
      .serverRelativeURL as string;
    expect(before.paths['apis/other.example.io/v1']).toBeUndefined();

    const other = redisCrd();
    other.metadata.name = 'things.other.example.io';
    Object.assign(other.spec as object, {
      group: 'other.example.io',
      names: { kind: 'Thing', plural: 'things', singular: 'thing' },
    });
    (other.spec as any).versions[0].name = 'v1';
    store.create(CRD_KEY, other);
    const added = await json('/openapi/v3');
    expect(added.paths['apis/other.example.io/v1']).toBeDefined();
    expect(
      added.paths['apis/marketplace.kratix.io/v1alpha1'].serverRelativeURL,
    ).toBe(redisUrl);

    const crd = store.get(CRD_KEY, undefined, 'redis.marketplace.kratix.io')!;
    const changed = structuredClone(crd) as any;
    changed.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.size.enum.push(
      'huge',
    );
    store.update(CRD_KEY, changed);
    const after = await json('/openapi/v3');
    const newUrl = after.paths['apis/marketplace.kratix.io/v1alpha1']
      .serverRelativeURL as string;
    expect(newUrl).not.toBe(redisUrl);
    const doc = await json(newUrl);
    expect(
      doc.components.schemas['io.kratix.marketplace.v1alpha1.redis'].properties
        .spec.properties.size.enum,
    ).toContain('huge');

    store.delete(CRD_KEY, undefined, 'things.other.example.io');
    expect(
      (await json('/openapi/v3')).paths['apis/other.example.io/v1'],
    ).toBeUndefined();
    expect((await get('/openapi/v3/apis/other.example.io/v1')).status).toBe(
      404,
    );
  });

  it('reuses the documents while the types stay the same', () => {
    const first = openApiDocuments(store);
    expect(openApiDocuments(store)).toBe(first);
    // Writing an object is not a type change; deleting the CRD is.
    store.create(NAMESPACE_TYPE, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'other' },
    });
    expect(openApiDocuments(store)).toBe(first);
    store.delete(CRD_KEY, undefined, 'redis.marketplace.kratix.io');
    const second = openApiDocuments(store);
    expect(second).not.toBe(first);
    expect(
      second.groupVersions.has('apis/marketplace.kratix.io/v1alpha1'),
    ).toBe(false);
  });
});

describe('OpenAPI v2', () => {
  it('answers JSON with every kind in definitions', async () => {
    const doc = await json('/openapi/v2');
    expect(doc.swagger).toBe('2.0');
    const redis = doc.definitions['io.kratix.marketplace.v1alpha1.redis'];
    expect(redis['x-kubernetes-group-version-kind']).toEqual([
      { group: 'marketplace.kratix.io', kind: 'redis', version: 'v1alpha1' },
    ]);
    expect(redis.properties.metadata.allOf[0].$ref).toBe(
      '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
    );
    expect(doc.definitions['io.k8s.api.core.v1.Namespace']).toBeDefined();
    expect(JSON.stringify(doc)).not.toContain('#/components/');
  });

  it('answers a protobuf-only request (kubectl validation) with an empty protobuf document', async () => {
    const res = await get(
      '/openapi/v2',
      'application/com.github.proto-openapi.spec.v2@v1.0+protobuf',
    );
    expect(res.headers.get('content-type')).toBe(
      'application/com.github.proto-openapi.spec.v2.v1.0+protobuf',
    );
    expect((await res.arrayBuffer()).byteLength).toBe(0);
  });
});
