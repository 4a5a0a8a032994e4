/*
 * The one create flow, used by POST /resources (and by the scaffolder and MCP actions): parse the
 * shared request shape, authorize as the caller against the target entity, stamp who asked and for
 * which entity, create through the cluster service (naming rules, bounds and the Promise's schema are
 * checked there before anything is sent), and audit the attempt.
 *
 * Authorization:
 *  - only users create; a service principal (another plugin, an external access token) may only read;
 *  - with an entityRef, the entity must be visible to the caller in the catalog (404 otherwise) and
 *    `kratix.resource.create` is decided on that entity;
 *  - without one, `kratix.resource.create.unlinked` decides (a platform-team power).
 */
import type {
  AuditorService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  createResourceRequestSchema,
  describeFirstIssue,
  KRATIX_ENTITY_REF_ANNOTATION,
  KRATIX_REQUESTED_BY_ANNOTATION,
  kratixResourceCreatePermission,
  kratixResourceCreateUnlinkedPermission,
  type CreateResourceResponse,
  type ParsedCreateResourceRequest,
} from '@kratix-backstage/plugin-kratix-common';
import type { KratixClusterService } from '@kratix-backstage/plugin-kratix-node';
import type { Request } from 'express';
import { viewOf } from './EntityResources';

export interface CreateContext {
  credentials: BackstageCredentials;
  /** The HTTP request, when there is one, for the audit event. */
  request?: Request;
}

export class ResourceCreation {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      permissions: PermissionsService;
      clusters: KratixClusterService;
      auditor: AuditorService;
    },
  ) {}

  /** Parses untrusted input into a create request; InputError naming the field. */
  static parse(input: unknown): ParsedCreateResourceRequest {
    const result = createResourceRequestSchema.safeParse(input);
    if (!result.success) throw new InputError(describeFirstIssue(result.error));
    return result.data;
  }

  async create(
    input: unknown,
    context: CreateContext,
  ): Promise<CreateResourceResponse> {
    const request = ResourceCreation.parse(input);
    const { clusters, auditor } = this.deps;
    const target = {
      cluster: request.cluster ?? clusters.defaultCluster() ?? '',
      promise: request.promise,
      namespace: request.namespace,
      name: request.name,
      entityRef: request.entityRef ?? null,
      dryRun: request.dryRun ?? false,
    };
    const audit = await auditor.createEvent({
      eventId: 'resource-create',
      severityLevel: request.dryRun ? 'low' : 'medium',
      request: context.request,
      meta: { target },
    });
    try {
      const entityRef = await this.authorize(request, context.credentials);
      const requestedBy = userOf(context.credentials);
      const created = await clusters.createResource({
        cluster: request.cluster,
        promise: request.promise,
        namespace: request.namespace,
        name: request.name,
        spec: request.spec,
        dryRun: request.dryRun,
        annotations: {
          [KRATIX_REQUESTED_BY_ANNOTATION]: requestedBy,
          ...(entityRef ? { [KRATIX_ENTITY_REF_ANNOTATION]: entityRef } : {}),
        },
      });
      await audit.success({
        meta: { uid: created.object.metadata.uid ?? null },
      });
      return {
        dryRun: request.dryRun ?? false,
        resource: viewOf(created),
        object: created.object,
      };
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  }

  /** Decides the create as the caller; returns the canonical ref of the target entity, if any. */
  private async authorize(
    request: ParsedCreateResourceRequest,
    credentials: BackstageCredentials,
  ): Promise<string | undefined> {
    if (!userOf(credentials, false)) {
      throw new NotAllowedError(
        'Only signed-in users may create Kratix Resources; service principals may only read',
      );
    }
    const { catalog, permissions } = this.deps;
    if (!request.entityRef) {
      const [decision] = await permissions.authorize(
        [{ permission: kratixResourceCreateUnlinkedPermission }],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          'entityRef: required — you may not create Kratix Resources that belong to no entity',
        );
      }
      return undefined;
    }
    let ref;
    try {
      ref = parseEntityRef(request.entityRef);
    } catch {
      throw new InputError(
        `entityRef: "${request.entityRef}" is not an entity reference`,
      );
    }
    // The entity must be visible to the caller; one they cannot see reads as missing.
    const entity = await catalog.getEntityByRef(ref, { credentials });
    if (!entity)
      throw new NotFoundError(`No entity ${stringifyEntityRef(ref)}`);
    const entityRef = stringifyEntityRef(entity);
    const [decision] = await permissions.authorize(
      [{ permission: kratixResourceCreatePermission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not create Kratix Resources for ${entityRef}`,
      );
    }
    return entityRef;
  }
}

function userOf(credentials: BackstageCredentials): string;
function userOf(
  credentials: BackstageCredentials,
  required: false,
): string | undefined;
function userOf(credentials: BackstageCredentials, required = true) {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return principal.userEntityRef;
  }
  if (required) throw new NotAllowedError('Only users may create Resources');
  return undefined;
}
