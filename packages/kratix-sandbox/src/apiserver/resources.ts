/*
 * The resource endpoints: get, list, watch, create, update, patch, delete and deletecollection
 * on /api/v1/... and /apis/<group>/<version>/..., including the /status subresource.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  badRequest,
  KubeApiError,
  methodNotAllowed,
  notFound,
  resourceNotFound,
  unsupportedMediaType,
} from '../store/errors';
import type {
  DeleteOptions,
  KubeObject,
  PatchType,
  ResourceType,
  Store,
  WriteOptions,
} from '../store/types';
import {
  parseAccept,
  parseBody,
  readBody,
  readObjectBody,
  sendJson,
} from './http';
import { queryBool } from './queryBool';
import { apiVersionFor, presenter } from './presentation';
import type { Route } from './routes';
import {
  chooseRendering,
  partialObject,
  type Rendering,
  renderTable,
} from './table';
import { serveWatch } from './watch';

type ResourceRoute = Extract<Route, { kind: 'resource' }>;

const PATCH_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic-merge',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'apply',
};

interface Context {
  store: Store;
  req: IncomingMessage;
  res: ServerResponse;
  route: ResourceRoute;
  type: ResourceType;
  query: URLSearchParams;
  rendering: Rendering;
  present: (object: KubeObject) => KubeObject;
  open: Set<() => void>;
}

export async function handleResource(
  store: Store,
  req: IncomingMessage,
  res: ServerResponse,
  route: ResourceRoute,
  query: URLSearchParams,
  open: Set<() => void>,
): Promise<void> {
  const type = store.getType({ group: route.group, plural: route.resource });
  if (!type || !type.versions.includes(route.version)) throw resourceNotFound();
  // A namespaced kind is addressed inside a namespace (except list/watch across all of them).
  if (!type.namespaced && route.namespace !== undefined)
    throw resourceNotFound();
  if (
    route.subresource &&
    (route.subresource !== 'status' || !type.statusSubresource)
  )
    throw resourceNotFound();
  const rendering = chooseRendering(parseAccept(req.headers.accept));
  if (!rendering) {
    throw new KubeApiError(
      406,
      'NotAcceptable',
      'only the following media types are accepted: application/json',
      {},
    );
  }
  const ctx: Context = {
    store,
    req,
    res,
    route,
    type,
    query,
    rendering,
    present: presenter(type, route.version),
    open,
  };
  const method = req.method ?? 'GET';
  if (method !== 'GET' && type.readOnly) throw methodNotAllowed();
  if (
    type.namespaced &&
    route.namespace === undefined &&
    (route.name !== undefined || method !== 'GET')
  ) {
    throw resourceNotFound();
  }
  if (route.name === undefined) {
    if (method === 'GET') {
      if (queryBool(query, 'watch')) {
        serveWatch(req, res, {
          store,
          type,
          version: route.version,
          namespace: route.namespace,
          query,
          rendering,
          open,
        });
        return;
      }
      list(ctx);
      return;
    }
    if (method === 'POST') await create(ctx);
    else if (method === 'DELETE') await deleteCollection(ctx);
    else throw methodNotAllowed();
    return;
  }
  const handlers: Record<string, (c: Context) => void | Promise<void>> = {
    GET: get,
    PUT: update,
    PATCH: patch,
    DELETE: remove,
  };
  const handler = handlers[method];
  if (!handler) throw methodNotAllowed();
  await handler(ctx);
}

function writeOptions(ctx: Context): WriteOptions {
  const dryRun = ctx.query.getAll('dryRun');
  if (dryRun.some(v => v !== 'All')) {
    throw badRequest(
      `Invalid dryRun value: ${JSON.stringify(dryRun)}; supported values: All`,
    );
  }
  return {
    ...(dryRun.length ? { dryRun: true } : {}),
    ...(ctx.route.subresource === 'status'
      ? { subresource: 'status' as const }
      : {}),
  };
}

function listMeta(result: {
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}) {
  return {
    resourceVersion: result.resourceVersion,
    ...(result.continue ? { continue: result.continue } : {}),
    ...(result.remainingItemCount !== undefined
      ? { remainingItemCount: result.remainingItemCount }
      : {}),
  };
}

/** One object or a list, rendered as the client asked (JSON, Table or metadata only). */
function respond(
  ctx: Context,
  code: number,
  objects: KubeObject[],
  meta?: Record<string, unknown>,
): void {
  const { rendering, type } = ctx;
  if (rendering.as === 'Table') {
    sendJson(
      ctx.res,
      code,
      renderTable(type, objects, {
        tableVersion: rendering.version,
        version: ctx.route.version,
        includeObject: ctx.query.get('includeObject') ?? undefined,
        listMeta: meta ?? {},
        present: ctx.present,
      }),
    );
  } else if (rendering.as === 'PartialObjectMetadata') {
    const partials = objects.map(o => partialObject(o, rendering.version));
    sendJson(
      ctx.res,
      code,
      meta
        ? {
            kind: 'PartialObjectMetadataList',
            apiVersion: `meta.k8s.io/${rendering.version}`,
            metadata: meta,
            items: partials,
          }
        : partials[0],
    );
  } else if (meta) {
    sendJson(ctx.res, code, {
      kind: type.listKind,
      apiVersion: apiVersionFor(type, ctx.route.version),
      metadata: meta,
      items: objects.map(ctx.present),
    });
  } else {
    sendJson(ctx.res, code, ctx.present(objects[0]));
  }
}

function list(ctx: Context): void {
  const q = ctx.query;
  const limit = q.get('limit');
  const result = ctx.store.list(ctx.type, {
    namespace: ctx.route.namespace,
    labelSelector: q.get('labelSelector') ?? undefined,
    fieldSelector: q.get('fieldSelector') ?? undefined,
    limit: limit ? Number(limit) : undefined,
    continue: q.get('continue') ?? undefined,
  });
  respond(ctx, 200, result.items, listMeta(result));
}

function get(ctx: Context): void {
  const name = ctx.route.name!;
  const object = ctx.store.get(ctx.type, ctx.route.namespace, name);
  if (!object) throw notFound(ctx.type, name);
  respond(ctx, 200, [object]);
}

async function readObject(ctx: Context): Promise<KubeObject> {
  const body = await readObjectBody(ctx.req);
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('the body of the request must be a JSON object');
  }
  const object = body as KubeObject;
  if (!object.metadata || typeof object.metadata !== 'object')
    object.metadata = { name: '' };
  const ns = ctx.route.namespace;
  if (ns !== undefined) {
    if (object.metadata.namespace && object.metadata.namespace !== ns) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    object.metadata.namespace = ns;
  }
  return object;
}

async function create(ctx: Context): Promise<void> {
  const object = await readObject(ctx);
  const created = ctx.store.create(ctx.type, object, writeOptions(ctx));
  respond(ctx, 201, [created]);
}

async function update(ctx: Context): Promise<void> {
  const object = await readObject(ctx);
  const name = ctx.route.name!;
  if (object.metadata.name && object.metadata.name !== name) {
    throw badRequest(
      `the name of the object (${object.metadata.name}) does not match the name on the URL (${name})`,
    );
  }
  object.metadata.name = name;
  respond(ctx, 200, [ctx.store.update(ctx.type, object, writeOptions(ctx))]);
}

async function patch(ctx: Context): Promise<void> {
  const contentType = (ctx.req.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  const patchType = PATCH_TYPES[contentType];
  if (!patchType) throw unsupportedMediaType(contentType);
  const body = parseBody(await readBody(ctx.req), contentType);
  const { route, type, store } = ctx;
  const existed = store.get(type, route.namespace, route.name!) !== undefined;
  const patched = store.patch(
    type,
    route.namespace,
    route.name!,
    patchType,
    body,
    writeOptions(ctx),
  );
  respond(ctx, existed ? 200 : 201, [patched]);
}

async function deleteOptions(ctx: Context): Promise<DeleteOptions> {
  const text = await readBody(ctx.req);
  const body = (parseBody(text, 'application/json') ?? {}) as Record<
    string,
    any
  >;
  const dryRun = [
    ...ctx.query.getAll('dryRun'),
    ...(Array.isArray(body.dryRun) ? body.dryRun : []),
  ];
  const policy = ctx.query.get('propagationPolicy') ?? body.propagationPolicy;
  return {
    ...(dryRun.includes('All') ? { dryRun: true } : {}),
    ...(policy ? { propagationPolicy: policy } : {}),
    ...(body.preconditions?.resourceVersion
      ? { resourceVersion: body.preconditions.resourceVersion }
      : {}),
    ...(body.preconditions?.uid ? { uid: body.preconditions.uid } : {}),
  };
}

async function remove(ctx: Context): Promise<void> {
  const { store, type, route } = ctx;
  const options = await deleteOptions(ctx);
  const deleted = store.delete(type, route.namespace, route.name!, options);
  // 202 while finalizers hold the object back, 200 once it is gone.
  const pending =
    !options.dryRun &&
    store.get(type, route.namespace, route.name!) !== undefined;
  respond(ctx, pending ? 202 : 200, [deleted]);
}

async function deleteCollection(ctx: Context): Promise<void> {
  const { store, type, route, query } = ctx;
  const options = await deleteOptions(ctx);
  const victims = store.list(type, {
    namespace: route.namespace,
    labelSelector: query.get('labelSelector') ?? undefined,
    fieldSelector: query.get('fieldSelector') ?? undefined,
  });
  const deleted: KubeObject[] = [];
  for (const o of victims.items) {
    try {
      deleted.push(
        store.delete(type, o.metadata.namespace, o.metadata.name, options),
      );
    } catch (error) {
      // Gone already: garbage collection of an earlier victim took it.
      if ((error as KubeApiError).code !== 404) throw error;
    }
  }
  respond(ctx, 200, deleted, {
    resourceVersion: store.currentResourceVersion(),
  });
}
