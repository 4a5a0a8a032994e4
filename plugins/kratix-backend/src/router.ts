/*
 * The routes under /api/kratix (the contract is in kratix-common's api.ts). Handlers parse and call
 * one service: ReadablePromises for the Promise list (`kratix.promise.read`), EntityResources for
 * reads (catalog as the caller, link trust, `kratix.resource.read`), ResourceCreation for creates
 * (decided on the target entity). One guard, ahead of every route,
 * needs a user or service token: a handler cannot forget it, and a 401 gets this plugin's error body
 * (never a stack trace) rather than the framework barrier's.
 */
import type {
  AuditorService,
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { PromisesResponse } from '@kratix-backstage/plugin-kratix-common';
import {
  resourceViewOf,
  type KratixCallerService,
  type KratixClusterService,
  type KratixResourceCreationService,
} from '@kratix-backstage/plugin-kratix-node';
import express, { type ErrorRequestHandler } from 'express';
import Router from 'express-promise-router';
import {
  streamEntityResources,
  type EntityStreamOptions,
} from './live/entityStream';
import { STREAM_DEFAULTS } from './live/streamConfig';
import { SharedSnapshots } from './live/sharedSnapshots';
import { StreamLimiter } from './live/streamLimiter';
import { EntityResources } from './service/EntityResources';
import {
  MANAGE_ACTIONS,
  ResourceManagement,
} from './service/ResourceManagement';
import type { ReadablePromises } from './service/ReadablePromises';
import type { StandaloneResourceReader } from './service/StandaloneResourceReader';
import type { ResourceTimeline } from './service/ResourceTimeline';
import { callerKey } from './service/callerKey';
import type { VerifiedTokens } from './cache/VerifiedTokens';
import { callerOfRequest } from './service/callerIdentity';
import { registerLogsRoutes } from './pipelineLogs/logsRoutes';
import type { PipelineLogs } from './service/PipelineLogs';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  logger: LoggerService;
  clusters: KratixClusterService;
  /** `kratix.promise.read`, decided as for the MCP action. */
  promises: ReadablePromises;
  reader: EntityResources;
  /** One Resource by its address, `kratix.resource.read` decided on the Resource itself. */
  standaloneReader: StandaloneResourceReader;
  /** Shapes the one-Resource answers: the timeline's first page, and older pages. */
  timeline: ResourceTimeline;
  creation: KratixResourceCreationService;
  management: ResourceManagement;
  stream?: EntityStreamOptions & {
    maxPerUser?: number;
    maxBufferedBytesPerUser?: number;
  };
  /** A Resource's workflow runs and pipeline logs (…/runs, …/logs); without it, no such routes. */
  logs?: PipelineLogs;
  /** Only for a router used without the plugin (tests); the plugin passes its own auditor. */
  auditor?: AuditorService;
  /**
   * Who a create runs as on clusters that act as each user (the request's user, and the ID tokens
   * in its `x-kratix-id-token-<provider>` headers); without it the create flow builds the caller.
   */
  callers?: KratixCallerService;
  /** Bearer tokens the guard verified, reused within their bound; without it, every request verifies. */
  tokens?: VerifiedTokens;
}

/** One Promise's count in `GET /promises/resource-counts`. */
interface PromiseResourceCount {
  cluster: string;
  promise: string;
  count: number;
}

/** Kubernetes objects are small; anything bigger than this is not a Resource request. */
const BODY_LIMIT = '64kb';

/** Method and path of each route a router declares (its own table, so nothing is listed twice). */
export function declaredRoutes(router: express.Router) {
  return (router.stack as RouteLayer[]).flatMap(layer =>
    layer.route
      ? Object.keys(layer.route.methods).map(method => ({
          method,
          path: layer.route!.path,
        }))
      : [],
  );
}

/**
 * The first segments of the router's paths (`/promises`, …): where the framework's barrier steps
 * aside for the router's guard. Everything else on the plugin's HTTP router (Backstage's actions
 * and permission routes) keeps the barrier.
 */
export function routePrefixes(router: express.Router): string[] {
  return [
    ...new Set(declaredRoutes(router).map(r => `/${r.path.split('/')[1]}`)),
  ];
}

interface RouteLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** Where the router keeps the guard's credentials for the handlers. */
const CREDENTIALS = 'kratixCredentials';

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, logger, clusters, reader, creation } = options;
  const streams = new StreamLimiter({
    maxPerCaller: options.stream?.maxPerUser ?? STREAM_DEFAULTS.maxPerUser,
    maxBufferedBytesPerCaller:
      options.stream?.maxBufferedBytesPerUser ??
      STREAM_DEFAULTS.maxBufferedBytesPerUser,
  });
  // A caller's streams on an entity share one read per change (live/sharedSnapshots.ts). Made
  // on the first stream, so its change listener is subscribed before any stream's and a router
  // that never streams never listens.
  let snapshots: SharedSnapshots | undefined;
  const router = Router();
  // The guard: before the body is parsed and before any route, for every path under /api/kratix.
  router.use(async (req, res) => {
    const verify = () =>
      httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.locals[CREDENTIALS] = await (options.tokens
      ? options.tokens.credentials(req, verify)
      : verify());
    return 'next';
  });
  router.use(express.json({ limit: BODY_LIMIT }));

  const caller = (
    res: express.Response,
  ): BackstageCredentials<BackstageUserPrincipal | BackstageServicePrincipal> =>
    res.locals[CREDENTIALS];
  const entityRefOf = (params: Record<string, string>) => ({
    kind: params.kind,
    namespace: params.namespace,
    name: params.name,
  });

  router.get('/promises', async (_req, res) => {
    const { items, errors } = await options.promises.list(caller(res));
    const body: PromisesResponse = {
      items,
      clusters: clusters.clusters(),
      errors,
    };
    res.json(body);
  });

  // The Resources the caller may read, per Promise: how many (the /kratix index) and which (one
  // Promise's page). Decided on each Resource as GET /resources/… decides it.
  router.get('/promises/resource-counts', async (_req, res) => {
    const { items, errors } = await options.standaloneReader.readableResources(
      caller(res),
    );
    const counts = new Map<string, PromiseResourceCount>();
    for (const { kind } of items) {
      const key = JSON.stringify([kind.cluster, kind.promise]);
      const entry = counts.get(key) ?? {
        cluster: kind.cluster,
        promise: kind.promise,
        count: 0,
      };
      entry.count += 1;
      counts.set(key, entry);
    }
    res.json({ items: [...counts.values()], errors });
  });
  router.get('/promises/:cluster/:name/resources', async (req, res) => {
    const { items, errors } = await options.standaloneReader.readableResources(
      caller(res),
      { cluster: req.params.cluster, promise: req.params.name },
    );
    res.json({ items: items.map(resourceViewOf), errors });
  });

  router.get('/entities/:kind/:namespace/:name/resources', async (req, res) => {
    const credentials = caller(res);
    // The caller's decisions asked once for the entity and its Resources.
    const decided = reader.decide(credentials);
    const entity = await reader.visibleEntity(
      entityRefOf(req.params),
      credentials,
      decided,
    );
    res.json(await reader.list(entity, credentials, decided));
  });

  // One of the entity's Resources with its timeline's newest page; older pages from …/timeline.
  const linkedResourceOf = async (
    req: express.Request,
    credentials: BackstageCredentials,
  ) => {
    const decided = reader.decide(credentials);
    const entity = await reader.visibleEntity(
      entityRefOf(req.params),
      credentials,
      decided,
    );
    const address = {
      cluster: req.params.cluster,
      namespace: req.params.resourceNamespace,
      promise: req.params.promise,
      name: req.params.resourceName,
    };
    return {
      address,
      resolved: await reader.linkedResource(
        entity,
        address,
        credentials,
        decided,
      ),
    };
  };
  router.get(
    '/entities/:kind/:namespace/:name/resources/:cluster/:resourceNamespace/:promise/:resourceName',
    async (req, res) => {
      const credentials = caller(res);
      const page = options.timeline.parse(req.query);
      const { address, resolved } = await linkedResourceOf(req, credentials);
      res.json(await options.timeline.details(address, resolved, page));
    },
  );
  router.get(
    '/entities/:kind/:namespace/:name/resources/:cluster/:resourceNamespace/:promise/:resourceName/timeline',
    async (req, res) => {
      const credentials = caller(res);
      const page = options.timeline.parse(req.query);
      const { address, resolved } = await linkedResourceOf(req, credentials);
      res.json(await options.timeline.page(address, resolved, page));
    },
  );

  router.get('/entities/:kind/:namespace/:name/events', async (req, res) => {
    const credentials = caller(res);
    const ref = entityRefOf(req.params);
    const decided = reader.decide(credentials);
    const entity = await reader.visibleEntity(ref, credentials, decided);
    // Decided before the stream opens, so a caller without access gets a plain 403.
    await reader.list(entity, credentials, decided);
    const slot = streams.acquire(callerKey(credentials));
    if (!slot) {
      logger.debug('Kratix event stream refused: too many open', {
        caller: callerKey(credentials),
      });
      throw Object.assign(
        new Error(
          `Too many open Kratix event streams (at most ${streams.maxPerCaller} per user)`,
        ),
        { name: 'TooManyRequestsError', statusCode: 429 },
      );
    }
    // From here every path releases the slot: the stream on close (also when the client left
    // while the checks above ran), this on a throw before the stream took it over.
    try {
      streamEntityResources(
        req,
        res,
        {
          ref,
          entity,
          credentials,
          reader,
          clusters,
          logger,
          slot,
          snapshots: (snapshots ??= new SharedSnapshots(reader, clusters)).read,
        },
        options.stream,
      );
    } catch (error) {
      slot.release();
      throw error;
    }
  });

  router.get(
    '/resources/:cluster/:namespace/:promise/:name',
    async (req, res) => {
      const credentials = caller(res);
      const page = options.timeline.parse(req.query);
      const { cluster, namespace, promise, name } = req.params;
      res.json(
        await options.standaloneReader.details(
          { cluster, namespace, promise, name },
          credentials,
          page,
        ),
      );
    },
  );
  router.get(
    '/resources/:cluster/:namespace/:promise/:name/timeline',
    async (req, res) => {
      const credentials = caller(res);
      const page = options.timeline.parse(req.query);
      const { cluster, namespace, promise, name } = req.params;
      res.json(
        await options.standaloneReader.timelinePage(
          { cluster, namespace, promise, name },
          credentials,
          page,
        ),
      );
    },
  );

  const RESOURCE_PATH =
    '/entities/:kind/:namespace/:name/resources/:cluster/:resourceNamespace/:promise/:resourceName';
  const manageTarget = (params: Record<string, string>) => ({
    entity: entityRefOf(params),
    resource: {
      cluster: params.cluster,
      namespace: params.resourceNamespace,
      promise: params.promise,
      name: params.resourceName,
    },
  });
  router.post(`${RESOURCE_PATH}/:action`, async (req, res) => {
    const credentials = caller(res);
    const action = req.params.action as (typeof MANAGE_ACTIONS)[number];
    if (!['reconcile', 'pause', 'resume'].includes(action)) {
      throw new InputError(
        `action: unknown action "${req.params.action}" (reconcile, pause or resume)`,
      );
    }
    res.status(202).json(
      await options.management.act(action, manageTarget(req.params), req.body, {
        credentials,
        request: req,
      }),
    );
  });
  router.patch(RESOURCE_PATH, async (req, res) => {
    const credentials = caller(res);
    res.json(
      await options.management.act(
        'update',
        manageTarget(req.params),
        req.body,
        {
          credentials,
          request: req,
        },
      ),
    );
  });
  router.delete(RESOURCE_PATH, async (req, res) => {
    const credentials = caller(res);
    res.status(202).json(
      await options.management.act(
        'delete',
        manageTarget(req.params),
        req.body,
        {
          credentials,
          request: req,
        },
      ),
    );
  });

  if (options.logs) {
    registerLogsRoutes(router, {
      reader,
      clusters,
      logs: options.logs,
      logger,
      caller,
    });
  }

  router.post('/resources', async (req, res) => {
    const credentials = caller(res);
    const { dryRun, resource, object, request } = await creation.create(
      req.body,
      {
        credentials,
        request: req,
        caller:
          options.callers &&
          (await callerOfRequest(options.callers, credentials, req)),
      },
    );
    // A request delivered through Git is accepted, not created: the platform applies it later.
    let status = request ? 202 : 201;
    if (dryRun) status = 200;
    res
      .status(status)
      .json({ dryRun, resource, object, ...(request ? { request } : {}) });
  });

  router.use(errorHandler(logger));
  return router;
}

const STATUS_BY_NAME: Record<string, number> = {
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  ServiceUnavailableError: 503,
};

/**
 * Backstage's default handler includes stack traces in development; this one never does, and hides
 * the text of unexpected errors (which could carry a cluster URL) behind a generic message.
 */
function errorHandler(logger: LoggerService): ErrorRequestHandler {
  return (error, req, res, next) => {
    const fromField = [error?.statusCode, error?.status].find(
      s => Number.isInteger(s) && s >= 400 && s <= 599,
    );
    const status: number = fromField ?? STATUS_BY_NAME[error?.name] ?? 500;
    if (res.headersSent) {
      next(error);
      return;
    }
    if (status >= 500 && !fromField)
      logger.error(`Kratix request failed: ${error?.stack ?? error}`);
    // A rate limit's 429 says when to come back.
    if (status === 429 && Number.isInteger(error?.retryAfterSeconds))
      res.setHeader('Retry-After', String(error.retryAfterSeconds));
    const known = status < 500 || fromField !== undefined;
    res.status(status).json({
      error: {
        name: known ? error.name ?? 'Error' : 'Error',
        message: known ? String(error.message) : 'Internal error',
      },
      request: { method: req.method, url: req.originalUrl },
      response: { statusCode: status },
    });
  };
}
