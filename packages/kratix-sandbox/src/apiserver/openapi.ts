/*
 * OpenAPI v2 and v3 documents built from the served kinds' schemas, as the apiserver publishes them:
 *   /openapi/v3                       discovery: `paths` maps `apis/<group>/<version>` (`api/v1`) to
 *                                     `serverRelativeURL` with a `hash` of that document
 *   /openapi/v3/apis/<group>/<version> one OpenAPI 3 document per group-version
 *   /openapi/v2 (and /swagger.json)   one Swagger 2 document with every kind
 * kubectl explain (1.27+) reads v3. kubectl create/apply download v2 as protobuf for client-side
 * validation; encoding Swagger as gnostic protobuf is not emulated, so a protobuf-only request gets
 * an empty document ("no schema for this kind": kubectl skips client-side validation and the server
 * validates) and every other request gets JSON. Documents are cached per store and rebuilt when the
 * set of types changes (CRDs come and go at run time: the store replaces a type object on change).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resourceNotFound } from '../store/errors';
import type { ResourceType, Store } from '../store/types';
import { SERVER_VERSION } from './discovery';
import { sendError } from './http';
import { type Dialect, pathsOf } from './openapiPaths';
import {
  definitionName,
  kindSchema,
  listSchema,
  metaSchemas,
  type Schema,
} from './openapiSchemas';

const PROTOBUF_V2 =
  'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
const V3_PREFIX = '/openapi/v3/';

export function isOpenApiPath(pathname: string): boolean {
  return (
    pathname === '/openapi/v2' ||
    pathname === '/openapi/v3' ||
    pathname.startsWith(V3_PREFIX) ||
    pathname === '/swagger.json'
  );
}

const V3: Dialect = {
  ref: name => `#/components/schemas/${name}`,
  responses: name => ({
    '200': {
      description: 'OK',
      content: {
        'application/json': { schema: { $ref: V3.ref(name) } },
      },
    },
    '401': { description: 'Unauthorized' },
  }),
  body: (name, mediaTypes) => ({
    requestBody: {
      required: true,
      content: Object.fromEntries(
        mediaTypes.map(m => [
          m,
          { schema: name ? { $ref: V3.ref(name) } : { type: 'object' } },
        ]),
      ),
    },
  }),
  pathParameter: name => ({
    name,
    in: 'path',
    required: true,
    description: `${name} of the object`,
    schema: { type: 'string', uniqueItems: true },
  }),
};

const V2: Dialect = {
  ref: name => `#/definitions/${name}`,
  responses: name => ({
    '200': { description: 'OK', schema: { $ref: V2.ref(name) } },
    '401': { description: 'Unauthorized' },
  }),
  body: (name, mediaTypes) => ({
    consumes: mediaTypes,
    parameters: [
      {
        name: 'body',
        in: 'body',
        required: true,
        schema: name ? { $ref: V2.ref(name) } : { type: 'object' },
      },
    ],
  }),
  pathParameter: name => ({
    name,
    in: 'path',
    required: true,
    description: `${name} of the object`,
    type: 'string',
    uniqueItems: true,
  }),
};

/** `apis/<group>/<version>`, or `api/<version>` for the core group. */
const gvPath = (group: string, version: string) =>
  group ? `apis/${group}/${version}` : `api/${version}`;

function schemasOf(types: Array<[ResourceType, string]>, dialect: Dialect) {
  const schemas: Record<string, Schema> = metaSchemas();
  const paths: Record<string, unknown> = {};
  for (const [type, version] of types) {
    schemas[definitionName(type, version)] = kindSchema(
      type,
      version,
      dialect.ref,
    );
    schemas[definitionName(type, version, true)] = listSchema(
      type,
      version,
      dialect.ref,
    );
    Object.assign(paths, pathsOf(type, version, dialect));
  }
  return { schemas, paths };
}

/** Swagger 2 has no nullable / oneOf / anyOf / not, and refers to #/definitions. */
function toSwagger(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toSwagger);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (['nullable', 'oneOf', 'anyOf', 'not'].includes(k)) continue;
    out[k] =
      k === '$ref' && typeof v === 'string'
        ? v.replace('#/components/schemas/', '#/definitions/')
        : toSwagger(v);
  }
  return out;
}

interface Served {
  body: string;
  hash: string;
}

const served = (document: unknown): Served => {
  const body = JSON.stringify(document);
  const hash = createHash('sha512').update(body).digest('hex').toUpperCase();
  return { body, hash };
};

interface Documents {
  discovery: Served;
  groupVersions: Map<string, Served>;
  v2: Served;
}

function buildDocuments(types: ResourceType[]): Documents {
  const byGv = new Map<string, Array<[ResourceType, string]>>();
  for (const type of types) {
    for (const version of type.versions) {
      const key = gvPath(type.group, version);
      byGv.set(key, [...(byGv.get(key) ?? []), [type, version]]);
    }
  }
  const info = { title: 'Kubernetes', version: SERVER_VERSION.gitVersion };
  const groupVersions = new Map<string, Served>();
  for (const [key, members] of [...byGv].sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    const { schemas, paths } = schemasOf(members, V3);
    groupVersions.set(
      key,
      served({ openapi: '3.0.0', info, paths, components: { schemas } }),
    );
  }
  const discovery = served({
    paths: Object.fromEntries(
      [...groupVersions].map(([key, doc]) => [
        key,
        { serverRelativeURL: `${V3_PREFIX}${key}?hash=${doc.hash}` },
      ]),
    ),
  });
  const all = schemasOf(
    types.flatMap(type =>
      type.versions.map(v => [type, v] as [ResourceType, string]),
    ),
    V2,
  );
  const v2 = served({
    swagger: '2.0',
    info,
    paths: all.paths,
    definitions: toSwagger(all.schemas),
  });
  return { discovery, groupVersions, v2 };
}

const cache = new WeakMap<Store, { types: ResourceType[]; docs: Documents }>();

/** The store's documents, rebuilt only when a type was defined, redefined or removed. */
export function openApiDocuments(store: Store): Documents {
  const types = store.listTypes();
  const cached = cache.get(store);
  if (
    cached &&
    cached.types.length === types.length &&
    cached.types.every((t, i) => t === types[i])
  ) {
    return cached.docs;
  }
  const docs = buildDocuments(types);
  cache.set(store, { types, docs });
  return docs;
}

function send(req: IncomingMessage, res: ServerResponse, doc: Served) {
  const etag = `"${doc.hash}"`;
  const headers = {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    ETag: etag,
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, {
    ...headers,
    'Content-Length': Buffer.byteLength(doc.body),
  });
  res.end(doc.body);
}

export function serveOpenApi(
  store: Store,
  pathname: string,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  if (pathname === '/openapi/v3') {
    send(req, res, openApiDocuments(store).discovery);
    return;
  }
  if (pathname.startsWith(V3_PREFIX)) {
    // The hash only busts caches: whatever it says, the current document is the answer.
    const key = pathname.slice(V3_PREFIX.length).replace(/\/+$/, '');
    const doc = openApiDocuments(store).groupVersions.get(key);
    if (doc) send(req, res, doc);
    else sendError(res, resourceNotFound());
    return;
  }
  const accept = req.headers.accept ?? '';
  if (accept.includes(PROTOBUF_V2) && !accept.includes('application/json')) {
    // An openapi_v2.Document with no fields set is an empty protobuf message.
    // The apiserver answers with `.v1.0` for `@v1.0`: Go's mime parser rejects the '@'.
    res.writeHead(200, {
      'Content-Type':
        'application/com.github.proto-openapi.spec.v2.v1.0+protobuf',
      'Content-Length': 0,
    });
    res.end();
    return;
  }
  send(req, res, openApiDocuments(store).v2);
}
