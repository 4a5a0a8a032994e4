/*
 * The manage actions on one of an entity's Resources: re-run the workflow, pause, resume, update the
 * spec, delete. Each is decided like every write: only users act; the entity is read as the caller;
 * the link must be confirmed by the platform and the Resource readable (404/403 otherwise, so a
 * caller learns nothing about Resources it may not see); then `kratix.resource.update` or
 * `kratix.resource.delete` is decided on the entity. Each attempt is audited; each success is
 * recorded for the Resource's timeline. A user's attempts are rate-limited
 * (`kratix.rateLimits.manageActions`): the manage actions write to the cluster, the audit log and
 * the journal, and nothing else bounds how often a user can repeat them.
 *
 * What each does on Kratix (the labels syntasso/kratix reads in `lib/resourceutil/util.go` and
 * `internal/controller/dynamic_resource_request_controller.go`): re-run sets `kratix.io/manual-reconciliation: "true"`
 * (Kratix runs the configure workflow and removes the label); pause/resume set or remove
 * `kratix.io/paused`; update replaces the spec (validated against the Promise's schema first,
 * optimistic concurrency on resourceVersion); delete deletes (Kratix runs the delete workflow).
 *
 * On a cluster with Git delivery (`kratix.clusters[].delivery`), update and delete are delivered like
 * a create: the Resource's file is rewritten or removed in a commit or a pull request
 * (GitRequestDelivery), after the same checks; the answer carries the pending request.
 *
 * As whom: on a cluster that acts as each user (auth.type impersonate or oidc) the write runs as the
 * caller (callerIdentity.ts: their user and groups, or the ID token the request carried), after
 * Backstage's permission allowed it, so both must allow it. The platform's 403 is a 403 saying the
 * platform refused, with Kubernetes' reason; nothing is changed or recorded then (the audit event
 * records the refusal).
 */
import type {
  AuditorService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  stringifyEntityRef,
  type CompoundEntityRef,
} from '@backstage/catalog-model';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  kratixResourceDeletePermission,
  kratixResourceUpdatePermission,
  type KratixManageAction,
  type ManageResourceResponse,
} from '@kratix-backstage/plugin-kratix-common';
import {
  resourceViewOf,
  type KratixCaller,
  type KratixCallerService,
  type KratixClusterService,
  type KratixGitDeliveryTarget,
  type ResolvedResource,
} from '@kratix-backstage/plugin-kratix-node';
import type { GitRequestDelivery } from '../delivery/GitRequestDelivery';
import type { Request } from 'express';
import { z } from 'zod';
import type { ResourceJournal } from '../journal/ResourceJournal';
import type { UserRateLimiter } from './rateLimit';
import type { EntityResources } from './EntityResources';
import type { ResourceAddress } from './types';
import { callerOfRequest } from './callerIdentity';

const MANUAL_RECONCILIATION = 'kratix.io/manual-reconciliation';
const PAUSED = 'kratix.io/paused';

const updateBody = z.object({
  spec: z.record(z.string(), z.unknown()),
  resourceVersion: z.string().min(1),
});

export const MANAGE_ACTIONS: readonly KratixManageAction[] = [
  'reconcile',
  'pause',
  'resume',
  'update',
  'delete',
];

export class ResourceManagement {
  constructor(
    private readonly deps: {
      reader: EntityResources;
      permissions: PermissionsService;
      clusters: KratixClusterService;
      auditor: AuditorService;
      journal: ResourceJournal;
      /** Manage actions per user (kratix.rateLimits.manageActions); unlimited when absent. */
      limiter?: UserRateLimiter;
      /** Who the cluster sees, where a cluster acts as each user (kratixCallerServiceRef). */
      callers?: KratixCallerService;
      /** Updates and deletes on clusters with Git delivery. */
      delivery?: GitRequestDelivery;
    },
  ) {}

  async act(
    action: KratixManageAction,
    target: { entity: CompoundEntityRef; resource: ResourceAddress },
    body: unknown,
    context: { credentials: BackstageCredentials; request?: Request },
  ): Promise<ManageResourceResponse> {
    const { reader, auditor } = this.deps;
    // Parsed before anything else: bad input changes nothing and needs no lookup.
    const update = action === 'update' ? parseUpdate(body) : undefined;
    const audit = await auditor.createEvent({
      eventId: `resource-${action}`,
      severityLevel: action === 'delete' ? 'high' : 'medium',
      request: context.request,
      meta: {
        entityRef: stringifyEntityRef(target.entity),
        target: { ...target.resource },
      },
    });
    try {
      const actor = userOf(context.credentials);
      // Every attempt counts, refused ones too; one over the limit does nothing but this 429.
      this.deps.limiter?.take(actor);
      const decided = reader.decide(context.credentials);
      const entity = await reader.visibleEntity(
        target.entity,
        context.credentials,
        decided,
      );
      const resolved = await reader.linkedResource(
        entity,
        target.resource,
        context.credentials,
        decided,
      );
      const entityRef = stringifyEntityRef(entity);
      await this.authorize(action, entityRef, context.credentials);
      const git = this.gitDelivery(action, resolved);
      if (git) {
        const request = await this.deliverChange(
          action as 'update' | 'delete',
          resolved,
          git,
          update,
          { actor, credentials: context.credentials },
        );
        await this.deps.journal.recordAction({
          ...target.resource,
          resourceUid: resolved.object.metadata.uid ?? '',
          action,
          actor,
          message: `${
            action === 'delete' ? 'Deletion' : 'Spec change'
          } requested through Git (${
            request.pullRequestUrl ?? `commit ${request.commitSha.slice(0, 7)}`
          })`,
          actedAt: new Date().toISOString(),
        });
        await audit.success({
          meta: {
            uid: resolved.object.metadata.uid ?? null,
            requestId: request.id,
          },
        });
        return {
          action,
          resource: resourceViewOf(resolved),
          object: resolved.object,
          request,
        };
      }
      const caller = await this.callerFor(resolved, context);
      const result = await this.perform(action, resolved, update, caller);
      await this.deps.journal.recordAction({
        ...target.resource,
        resourceUid: resolved.object.metadata.uid ?? '',
        action,
        actor,
        message: describe(action, update?.resourceVersion),
        actedAt: new Date().toISOString(),
      });
      await audit.success({
        meta: { uid: resolved.object.metadata.uid ?? null },
      });
      return {
        action,
        resource: resourceViewOf(result),
        object: result.object,
      };
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  }

  /** The Git delivery an update or delete goes through; undefined when it goes to the cluster. */
  private gitDelivery(action: KratixManageAction, resolved: ResolvedResource) {
    if (action !== 'update' && action !== 'delete') return undefined;
    if (!this.deps.delivery) return undefined;
    return this.deps.clusters.deliveryFor(
      resolved.kind.cluster,
      resolved.kind.promise,
    );
  }

  /** Checked like a direct write (the version it is based on, the Promise's schema), then delivered. */
  private async deliverChange(
    action: 'update' | 'delete',
    resolved: ResolvedResource,
    git: KratixGitDeliveryTarget,
    update: z.infer<typeof updateBody> | undefined,
    who: { actor: string; credentials: BackstageCredentials },
  ) {
    const { object, kind } = resolved;
    const what = `${kind.kind} "${object.metadata.namespace}/${object.metadata.name}"`;
    if (object.metadata.deletionTimestamp) {
      throw new ConflictError(`${what} is already being deleted`);
    }
    if (update) {
      if (update.resourceVersion !== object.metadata.resourceVersion) {
        throw new ConflictError(
          `${what} changed since resourceVersion ${update.resourceVersion}; reload it and try again`,
        );
      }
      // The same checks as a create (the Promise's schema, the bounds); nothing is sent.
      await this.deps.clusters.prepareResource({
        cluster: kind.cluster,
        promise: kind.promise,
        namespace: object.metadata.namespace ?? 'default',
        name: object.metadata.name,
        spec: update.spec,
      });
    }
    return this.deps.delivery!.change(action, resolved, git, {
      spec: update?.spec,
      requestedBy: who.actor,
      credentials: who.credentials,
    });
  }

  private async authorize(
    action: KratixManageAction,
    entityRef: string,
    credentials: BackstageCredentials,
  ) {
    const permission =
      action === 'delete'
        ? kratixResourceDeletePermission
        : kratixResourceUpdatePermission;
    const [decision] = await this.deps.permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not ${
          action === 'delete' ? 'delete' : 'change'
        } the Kratix Resources of ${entityRef}`,
      );
    }
  }

  /**
   * The caller the write runs as, on a cluster that acts as each user: never the service account
   * for a user's write there.
   */
  private async callerFor(
    resolved: ResolvedResource,
    context: { credentials: BackstageCredentials; request?: Request },
  ): Promise<KratixCaller | undefined> {
    const { clusters, callers } = this.deps;
    if (!clusters.actsAsUser(resolved.kind.cluster)) return undefined;
    const caller =
      callers &&
      (await callerOfRequest(callers, context.credentials, context.request));
    if (!caller) {
      throw new Error(
        `Cluster ${resolved.kind.cluster} acts as each user, and no caller could be built`,
      );
    }
    return caller;
  }

  private async perform(
    action: KratixManageAction,
    resolved: ResolvedResource,
    update: z.infer<typeof updateBody> | undefined,
    caller: KratixCaller | undefined,
  ): Promise<ResolvedResource> {
    const { clusters } = this.deps;
    switch (action) {
      case 'reconcile':
        return clusters.setResourceLabels(
          resolved,
          { [MANUAL_RECONCILIATION]: 'true' },
          caller,
        );
      case 'pause':
        return clusters.setResourceLabels(
          resolved,
          { [PAUSED]: 'true' },
          caller,
        );
      case 'resume':
        return clusters.setResourceLabels(resolved, { [PAUSED]: null }, caller);
      case 'update':
        return clusters.updateResourceSpec(
          resolved,
          update!.spec,
          update!.resourceVersion,
          caller,
        );
      case 'delete':
        await clusters.deleteResource(resolved, caller);
        return resolved;
      default:
        throw new InputError(`action: unknown action "${action}"`);
    }
  }
}

function parseUpdate(body: unknown) {
  const result = updateBody.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new InputError(`${issue.path.join('.') || 'body'}: ${issue.message}`);
}

function describe(action: KratixManageAction, resourceVersion?: string) {
  if (action === 'update')
    return `Spec replaced (was resourceVersion ${resourceVersion})`;
  if (action === 'reconcile') return `Set ${MANUAL_RECONCILIATION}: "true"`;
  if (action === 'pause') return `Set ${PAUSED}: "true"`;
  if (action === 'resume') return `Removed ${PAUSED}`;
  return 'Deleted; Kratix runs the delete workflow';
}

function userOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return principal.userEntityRef;
  }
  throw new NotAllowedError(
    'Only signed-in users may change Kratix Resources; service principals may only read',
  );
}
