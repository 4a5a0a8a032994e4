/*
 * The one create flow, used by POST /resources, the scaffolder actions and the MCP actions: parse
 * the shared request shape, authorize as the caller against the target entity, stamp who asked and
 * for which entity, create through the cluster service (naming rules, bounds and the Promise's
 * schema are checked there before anything is sent), and audit the attempt.
 *
 * Authorization:
 *  - only users create; a service principal (another plugin, an external access token) may only read;
 *  - with an entityRef, the entity must be visible to the caller in the catalog (404 otherwise) and
 *    `kratix.resource.create` is decided on that entity;
 *  - without one, `kratix.resource.create.unlinked` decides (a platform-team power).
 *
 * As whom: on a cluster that acts as each user (auth.type impersonate or oidc) the create runs as
 * the caller (`CreateContext.caller`, else built from the credentials with kratixCallerServiceRef),
 * after Backstage's permission allowed it: both must allow it. The platform's 403 is a 403 saying
 * the platform refused, with Kubernetes' reason; nothing is created then.
 *
 * Git delivery (`kratix.clusters[].delivery` gitops or pull-request): validation and authorization
 * are the same; the manifest, with the same annotations plus `kratix.backstage.io/request-id`, then
 * goes to the request delivery (the Kratix plugin's: commit or pull request, and its ledger) instead
 * of the cluster. Where this flow runs outside the Kratix plugin (the scaffolder's), such a create is
 * forwarded to the Kratix plugin on behalf of the user, so one ledger holds every request.
 *
 * Adoption (`adoptExisting`, for steps that may be re-run): when the name is taken by a Resource
 * created for the same entity with the same spec, that Resource is returned instead of a 409, so a
 * retried step never creates a second one. Any other owner or spec is still a 409 that says which.
 */
import type {
  AuditorService,
  AuditorServiceCreateEventOptions,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  parseEntityRef,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  createResourceRequestSchema,
  describeFirstIssue,
  KRATIX_ENTITY_REF_ANNOTATION,
  KRATIX_ENTITY_UID_ANNOTATION,
  KRATIX_REQUESTED_BY_ANNOTATION,
  kratixResourceCreatePermission,
  kratixResourceCreateUnlinkedPermission,
  normalizeEntityRef,
  type CreateResourceResponse,
  type ParsedCreateResourceRequest,
} from '@kratix-backstage/plugin-kratix-common';
import { randomUUID } from 'node:crypto';
import {
  KRATIX_REQUEST_ID_ANNOTATION,
  type KratixRequestView,
  type KratixResourceObject,
} from '@kratix-backstage/plugin-kratix-common';
import { stringify as toYaml } from 'yaml';
import type { KratixGitDeliveryTarget } from '../clusterDetails';
import type {
  KratixClusterService,
  ResolvedResource,
} from '../KratixClusterService';
import { manifestPath } from './deliveryTarget';
import type { KratixCaller } from '../userAuth/clusterUserAuth';
import type { KratixCallerService } from './callerIdentity';
import { EntityBinding } from '../binding/EntityBinding';
import { resourceViewOf } from '../resourceView';
import { sameSpec } from './sameSpec';

/**
 * Who creates, and how.
 *
 * @public
 */
export interface CreateContext {
  credentials: BackstageCredentials;
  /** The HTTP request, when there is one, for the audit event. */
  request?: AuditorServiceCreateEventOptions['request'];
  /**
   * Return the existing Resource instead of a 409 when it was created for the same entity with the
   * same spec (safe retries of scaffolder steps and assistant calls).
   */
  adoptExisting?: boolean;
  /**
   * Who the cluster sees (kratixCallerServiceRef builds it, with the request's ID tokens). Omitted:
   * built from `credentials` without ID tokens when the target cluster acts as each user.
   */
  caller?: KratixCaller;
}

/**
 * What a create returned: the created (or adopted) Resource.
 *
 * @public
 */
export interface CreateResult extends CreateResourceResponse {
  /** True when an existing Resource of the same entity and spec was returned instead. */
  adopted: boolean;
  /**
   * The resolved Resource (its kind and object), for waiting on it; on Git delivery, the manifest
   * as delivered (no uid: wait for `request.id` to appear first).
   */
  resolved: ResolvedResource;
}

/**
 * A validated, authorized request, ready to deliver: the manifest and where it belongs.
 *
 * @public
 */
export interface PreparedRequest {
  /** The kind and the manifest (annotations stamped, `kratix.backstage.io/request-id` included). */
  resolved: ResolvedResource;
  /** The manifest as YAML, as committed. */
  yaml: string;
  /** Where the manifest goes in the repository: `<path>/<cluster>/<namespace>/<promise>/<name>.yaml`. */
  path: string;
  requestId: string;
  target: {
    cluster: string;
    promise: string;
    namespace: string;
    name: string;
    entityRef?: string;
  };
  /** The entity's uid (the binding), when the request is for an entity. */
  entityUid?: string;
  requestedBy: string;
  /** The cluster's Git delivery for the Promise; undefined when it takes requests directly. */
  delivery?: KratixGitDeliveryTarget;
}

/**
 * Delivers a prepared request through Git and records it (the Kratix plugin's implementation).
 *
 * @public
 */
export interface KratixRequestDelivery {
  deliver(
    prepared: PreparedRequest & { delivery: KratixGitDeliveryTarget },
    context: CreateContext,
  ): Promise<KratixRequestView>;
}

/**
 * The create flow shared by every way of creating a Kratix Resource.
 *
 * @public
 */
export interface KratixResourceCreationService {
  create(input: unknown, context: CreateContext): Promise<CreateResult>;
  /**
   * Validates and authorizes exactly as `create` does and returns the manifest and its path,
   * sending and committing nothing (the scaffolder's `kratix:resource:manifest`).
   */
  prepare(input: unknown, context: CreateContext): Promise<PreparedRequest>;
}

/**
 * The default create flow.
 *
 * @public
 */
export class ResourceCreation implements KratixResourceCreationService {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      permissions: PermissionsService;
      clusters: KratixClusterService;
      auditor: AuditorService;
      /** Builds the caller when the context brings none (kratixCallerServiceRef). */
      callers?: KratixCallerService;
      /** Git delivery and its ledger; only the Kratix plugin has them. */
      delivery?: KratixRequestDelivery;
      /** Sends a Git-delivered create to the Kratix plugin, where `delivery` is absent. */
      forward?: (
        input: unknown,
        context: CreateContext,
      ) => Promise<CreateResourceResponse>;
    },
  ) {}

  /** Parses untrusted input into a create request; InputError naming the field. */
  static parse(input: unknown): ParsedCreateResourceRequest {
    const result = createResourceRequestSchema.safeParse(input);
    if (!result.success) throw new InputError(describeFirstIssue(result.error));
    return result.data;
  }

  async create(input: unknown, context: CreateContext): Promise<CreateResult> {
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
    const git = this.gitDelivery(target.cluster, request.promise);
    if (git && !this.deps.delivery) {
      // Audited and decided where it is delivered, by the Kratix plugin.
      return this.forward(input, context);
    }
    try {
      const entity = await this.authorize(request, context.credentials);
      const requestedBy = userOf(context.credentials);
      if (git) {
        const result = await this.deliver(
          request,
          entity,
          requestedBy,
          context,
        );
        await audit.success({
          meta: { requestId: result.request?.id ?? null, adopted: false },
        });
        return result;
      }
      const caller = await this.callerFor(target.cluster, context);
      let resolved: ResolvedResource;
      let adopted = false;
      try {
        resolved = await clusters.createResource({
          cluster: request.cluster,
          promise: request.promise,
          namespace: request.namespace,
          name: request.name,
          spec: request.spec,
          dryRun: request.dryRun,
          caller,
          annotations: {
            [KRATIX_REQUESTED_BY_ANNOTATION]: requestedBy,
            // The entity's identity, not just its name: see binding/EntityBinding.ts.
            ...(entity ? EntityBinding.annotationsFor(entity) : {}),
          },
        });
      } catch (error) {
        if ((error as { reason?: string }).reason === 'unknown-cluster') {
          throw new InputError(`cluster: ${(error as Error).message}`);
        }
        if (!(error instanceof ConflictError) || !context.adoptExisting) {
          throw error;
        }
        resolved = await this.adoptable(request, entity, requestedBy, caller);
        adopted = true;
      }
      await audit.success({
        meta: { uid: resolved.object.metadata.uid ?? null, adopted },
      });
      return {
        dryRun: request.dryRun ?? false,
        adopted,
        resource: resourceViewOf(resolved),
        object: resolved.object,
        resolved,
      };
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  }

  async prepare(
    input: unknown,
    context: CreateContext,
  ): Promise<PreparedRequest> {
    const request = ResourceCreation.parse(input);
    const audit = await this.deps.auditor.createEvent({
      eventId: 'resource-manifest',
      severityLevel: 'low',
      request: context.request,
      meta: {
        target: {
          cluster: request.cluster ?? this.deps.clusters.defaultCluster() ?? '',
          promise: request.promise,
          namespace: request.namespace,
          name: request.name,
          entityRef: request.entityRef ?? null,
        },
      },
    });
    try {
      const entity = await this.authorize(request, context.credentials);
      const prepared = await this.prepared(
        request,
        entity,
        userOf(context.credentials),
      );
      await audit.success({ meta: { requestId: prepared.requestId } });
      return prepared;
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  }

  /** The Git delivery for a create; undefined for direct, or for a cluster that does not exist. */
  private gitDelivery(cluster: string, promise: string) {
    const known = this.deps.clusters.clusters().some(c => c.name === cluster);
    return known ? this.deps.clusters.deliveryFor(cluster, promise) : undefined;
  }

  /** The manifest, validated as a direct create is, with its request id, YAML and path. */
  private async prepared(
    request: ParsedCreateResourceRequest,
    entity: Entity | undefined,
    requestedBy: string,
  ): Promise<PreparedRequest> {
    const { clusters } = this.deps;
    const requestId = randomUUID();
    let resolved: ResolvedResource;
    try {
      resolved = await clusters.prepareResource({
        cluster: request.cluster,
        promise: request.promise,
        namespace: request.namespace,
        name: request.name,
        spec: request.spec,
        annotations: {
          [KRATIX_REQUESTED_BY_ANNOTATION]: requestedBy,
          ...(entity ? EntityBinding.annotationsFor(entity) : {}),
          [KRATIX_REQUEST_ID_ANNOTATION]: requestId,
        },
      });
    } catch (error) {
      if ((error as { reason?: string }).reason === 'unknown-cluster') {
        throw new InputError(`cluster: ${(error as Error).message}`);
      }
      throw error;
    }
    const target = {
      cluster: resolved.kind.cluster,
      promise: request.promise,
      namespace: request.namespace,
      name: request.name,
      ...(entity ? { entityRef: stringifyEntityRef(entity) } : {}),
    };
    const delivery = clusters.deliveryFor(target.cluster, target.promise);
    const { metadata, ...rest } = resolved.object;
    // Only what the author decides goes into Git: no empty labels, no server fields.
    const manifest = {
      ...rest,
      metadata: Object.fromEntries(
        Object.entries(metadata).filter(([, v]) => v !== undefined),
      ),
    };
    return {
      resolved: {
        kind: resolved.kind,
        object: manifest as KratixResourceObject,
      },
      yaml: toYaml(manifest),
      path: manifestPath(delivery ?? { path: 'kratix-requests' }, target),
      requestId,
      target,
      entityUid: entity?.metadata.uid,
      requestedBy,
      delivery,
    };
  }

  /**
   * A create on a cluster with Git delivery: refused like a direct one when the name is taken on
   * the cluster; a dry run stops after validation; otherwise the delivery commits and records it.
   */
  private async deliver(
    request: ParsedCreateResourceRequest,
    entity: Entity | undefined,
    requestedBy: string,
    context: CreateContext,
  ): Promise<CreateResult> {
    const prepared = await this.prepared(request, entity, requestedBy);
    const live = await this.deps.clusters
      .resolveResource({
        cluster: prepared.target.cluster,
        promise: request.promise,
        namespace: request.namespace,
        name: request.name,
      })
      .catch(error => {
        if ((error as Error).name === 'NotFoundError') return undefined;
        throw error;
      });
    if (live) {
      const adopted = context.adoptExisting
        ? await this.adoptable(request, entity, requestedBy, undefined)
        : undefined;
      if (!adopted) {
        throw new ConflictError(
          `name: ${live.kind.kind} "${request.namespace}/${request.name}" already exists; choose another name`,
        );
      }
      return {
        dryRun: request.dryRun ?? false,
        adopted: true,
        resource: resourceViewOf(adopted),
        object: adopted.object,
        resolved: adopted,
      };
    }
    const base = {
      dryRun: request.dryRun ?? false,
      adopted: false,
      resource: resourceViewOf(prepared.resolved),
      object: prepared.resolved.object,
      resolved: prepared.resolved,
    };
    if (request.dryRun) return base;
    const view = await this.deps.delivery!.deliver(
      { ...prepared, delivery: prepared.delivery! },
      context,
    );
    return { ...base, request: view };
  }

  private async forward(
    input: unknown,
    context: CreateContext,
  ): Promise<CreateResult> {
    if (!this.deps.forward) {
      throw new Error(
        'This cluster takes requests through Git, and only the Kratix plugin delivers them; install @kratix-backstage/plugin-kratix-backend',
      );
    }
    const response = await this.deps.forward(input, context);
    const request = ResourceCreation.parse(input);
    // The kind, for waiting on the Resource (the Kratix plugin accepted the same spec).
    const { kind } = await this.deps.clusters.prepareResource({
      cluster: request.cluster,
      promise: request.promise,
      namespace: request.namespace,
      name: request.name,
      spec: request.spec,
    });
    return {
      ...response,
      adopted: false,
      resolved: { kind, object: response.object },
    };
  }

  /**
   * Who the cluster sees: the context's caller, else one built from the credentials, on a cluster
   * that acts as each user; never the service account for a user's write there.
   */
  private async callerFor(
    cluster: string,
    context: CreateContext,
  ): Promise<KratixCaller | undefined> {
    if (!this.deps.clusters.actsAsUser(cluster)) return context.caller;
    const caller =
      context.caller ??
      (await this.deps.callers?.forCredentials(context.credentials));
    if (!caller) {
      throw new Error(
        `Cluster ${cluster} acts as each user, and the create was given no caller`,
      );
    }
    return caller;
  }

  /** The existing Resource when it is this request's own; a ConflictError saying why not otherwise. */
  private async adoptable(
    request: ParsedCreateResourceRequest,
    entity: Entity | undefined,
    requestedBy: string,
    caller: KratixCaller | undefined,
  ): Promise<ResolvedResource> {
    const entityRef = entity ? stringifyEntityRef(entity) : undefined;
    const existing = await this.deps.clusters.resolveResource({
      cluster: request.cluster,
      promise: request.promise,
      namespace: request.namespace,
      name: request.name,
    });
    const where = `${existing.kind.kind} "${request.namespace}/${request.name}"`;
    const annotations = existing.object.metadata.annotations ?? {};
    const owner = annotations[KRATIX_ENTITY_REF_ANNOTATION];
    // The same entity, not just the same name: a later entity that took the name adopts nothing.
    const sameOwner = entity
      ? owner !== undefined &&
        sameRef(owner, entityRef!) &&
        annotations[KRATIX_ENTITY_UID_ANNOTATION] === entity.metadata.uid
      : owner === undefined &&
        annotations[KRATIX_REQUESTED_BY_ANNOTATION] === requestedBy;
    // One the cluster would not let the caller get is not theirs to be shown: someone else's.
    const visible =
      !caller || (await this.deps.clusters.userMayGet(existing, caller));
    if (!sameOwner || !visible) {
      throw new ConflictError(
        `name: ${where} already exists and belongs to ${
          entityRef ? 'another entity' : 'someone else'
        }; choose another name`,
      );
    }
    if (!sameSpec(existing.kind.schema, existing.object.spec, request.spec)) {
      throw new ConflictError(
        `spec: ${where} already exists for ${
          entityRef ?? requestedBy
        } with a different spec; choose another name or request the same spec`,
      );
    }
    return existing;
  }

  /** Decides the create as the caller; returns the target entity (as the caller read it), if any. */
  private async authorize(
    request: ParsedCreateResourceRequest,
    credentials: BackstageCredentials,
  ): Promise<Entity | undefined> {
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
    return entity;
  }
}

function sameRef(a: string, b: string): boolean {
  const ref = normalizeEntityRef(a);
  return ref !== undefined && ref === normalizeEntityRef(b);
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
