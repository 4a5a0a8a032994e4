/*
 * The routes under /api/kratix (the contract is in kratix-common's api.ts). Every route needs an
 * authenticated user or service; entity routes go through EntityResources (catalog as the caller,
 * then the permission); creation is decided by the permission framework and bounded by config.
 */
import type {
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  KRATIX_ENTITY_REF_ANNOTATION,
  KRATIX_REQUESTED_BY_ANNOTATION,
  kratixResourceCreatePermission,
  type CreateResourceResponse,
  type PromisesResponse,
} from '@kratix-backstage/plugin-kratix-common';
import type { KratixClusterService } from '@kratix-backstage/plugin-kratix-node';
import express, { type ErrorRequestHandler } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import {
  streamEntityResources,
  type EntityStreamOptions,
} from './live/entityStream';
import { EntityResources, viewOf } from './service/EntityResources';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  auditor: AuditorService;
  logger: LoggerService;
  clusters: KratixClusterService;
  reader: EntityResources;
  stream?: EntityStreamOptions;
}

/** Kubernetes objects are small; anything bigger than this is not a Resource request. */
const BODY_LIMIT = '64kb';

const createBody = z.object({
  cluster: z.string().min(1).optional(),
  promise: z.string().min(1),
  namespace: z.string().min(1),
  name: z.string().min(1),
  spec: z.record(z.string(), z.unknown()).default({}),
  entityRef: z.string().min(1).optional(),
  dryRun: z.boolean().optional(),
});

function parseBody(body: unknown) {
  const result = createBody.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.join('.') || 'body';
  throw new InputError(`${field}: ${issue.message}`);
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, catalog, auditor, logger, clusters, reader } =
    options;
  const router = Router();
  router.use(express.json({ limit: BODY_LIMIT }));

  const entityRefOf = (params: Record<string, string>) => ({
    kind: params.kind,
    namespace: params.namespace,
    name: params.name,
  });

  router.get('/promises', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const { items, errors } = await clusters.listPromises();
    const body: PromisesResponse = {
      items,
      clusters: clusters.clusters(),
      errors,
    };
    res.json(body);
  });

  router.get('/entities/:kind/:namespace/:name/resources', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entity = await reader.authorizedEntity(
      entityRefOf(req.params),
      credentials,
    );
    res.json(await reader.list(entity));
  });

  router.get(
    '/entities/:kind/:namespace/:name/resources/:cluster/:resourceNamespace/:promise/:resourceName',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      const entity = await reader.authorizedEntity(
        entityRefOf(req.params),
        credentials,
      );
      res.json(
        await reader.details(entity, {
          cluster: req.params.cluster,
          namespace: req.params.resourceNamespace,
          promise: req.params.promise,
          name: req.params.resourceName,
        }),
      );
    },
  );

  router.get('/entities/:kind/:namespace/:name/events', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entity = await reader.authorizedEntity(
      entityRefOf(req.params),
      credentials,
    );
    streamEntityResources(
      req,
      res,
      { entity, reader, clusters, logger },
      options.stream,
    );
  });

  router.post('/resources', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const input = parseBody(req.body);
    const target = {
      cluster: input.cluster ?? clusters.defaultCluster() ?? '',
      promise: input.promise,
      namespace: input.namespace,
      name: input.name,
      entityRef: input.entityRef ?? null,
      dryRun: input.dryRun ?? false,
    };
    const audit = await auditor.createEvent({
      eventId: 'resource-create',
      severityLevel: input.dryRun ? 'low' : 'medium',
      request: req,
      meta: { target },
    });
    try {
      let entityRef: string | undefined;
      if (input.entityRef) {
        let ref;
        try {
          ref = parseEntityRef(input.entityRef);
        } catch {
          throw new InputError(
            `entityRef: "${input.entityRef}" is not an entity reference`,
          );
        }
        // The entity must be visible to the caller; one they cannot see reads as missing.
        const entity = await catalog.getEntityByRef(ref, { credentials });
        if (!entity)
          throw new NotFoundError(`No entity ${stringifyEntityRef(ref)}`);
        entityRef = stringifyEntityRef(entity);
      }
      const [decision] = await permissions.authorize(
        [{ permission: kratixResourceCreatePermission }],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError('You may not create Kratix Resources');
      }
      const requestedBy = principalName(credentials.principal);
      const created = await clusters.createResource({
        cluster: input.cluster,
        promise: input.promise,
        namespace: input.namespace,
        name: input.name,
        spec: input.spec,
        dryRun: input.dryRun,
        annotations: {
          ...(requestedBy
            ? { [KRATIX_REQUESTED_BY_ANNOTATION]: requestedBy }
            : {}),
          ...(entityRef ? { [KRATIX_ENTITY_REF_ANNOTATION]: entityRef } : {}),
        },
      });
      const body: CreateResourceResponse = {
        dryRun: input.dryRun ?? false,
        resource: viewOf(created),
        object: created.object,
      };
      await audit.success({
        meta: { uid: created.object.metadata.uid ?? null },
      });
      res.status(input.dryRun ? 200 : 201).json(body);
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  });

  router.use(errorHandler(logger));
  return router;
}

function principalName(principal: unknown): string | undefined {
  const p = principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (p.type === 'user') return p.userEntityRef;
  if (p.type === 'service') return p.subject;
  return undefined;
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
