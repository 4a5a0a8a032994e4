/*
 * Requests to a cluster with Git delivery (issue 27): the create flow hands over a validated,
 * authorized manifest; this commits it (gitops) or pushes a branch and opens a pull request
 * (pull-request), authored as the requesting user, and records it in the request ledger, where the
 * tracker follows it until the platform has it. Updates and deletes from the tab are the same
 * delivery changing or removing the file.
 *
 * Conflicts: a Resource with an open (pending or stale) request is refused with a 409 that names
 * the request to the people who may see it (its requester, the owners of its entity) and says only
 * "already requested" to anyone else. The Git writer turns a moved branch into one retry, then 409,
 * and a rejected push into a 502 naming the repository.
 */
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef, type Entity } from '@backstage/catalog-model';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  KRATIX_ENTITY_REF_ANNOTATION,
  KRATIX_ENTITY_UID_ANNOTATION,
  type KratixRequestOperation,
  type KratixRequestView,
} from '@kratix-backstage/plugin-kratix-common';
import {
  manifestPath,
  type CreateContext,
  type KratixGitDeliveryTarget,
  type KratixRequestDelivery,
  type PreparedRequest,
  type ResolvedResource,
} from '@kratix-backstage/plugin-kratix-node';
import { randomUUID } from 'node:crypto';
import { stringify as toYaml } from 'yaml';
import type { RecordedRequest, RequestLedger } from '../requests';
import type { RequestWriter } from './requestWriter';
import { manifestFromLive } from './manifestFromLive';

export class GitRequestDelivery implements KratixRequestDelivery {
  constructor(
    private readonly deps: {
      writer: RequestWriter;
      ledger: RequestLedger;
      catalog: CatalogService;
    },
  ) {}

  async deliver(
    prepared: PreparedRequest & { delivery: KratixGitDeliveryTarget },
    context: CreateContext,
  ): Promise<KratixRequestView> {
    await this.refuseOpen(prepared.target, prepared.requestedBy);
    return this.commit({
      operation: 'create',
      requestId: prepared.requestId,
      delivery: prepared.delivery,
      target: prepared.target,
      kind: prepared.resolved.kind.kind,
      path: prepared.path,
      content: prepared.yaml,
      entityRef: prepared.target.entityRef,
      entityUid: prepared.entityUid,
      requestedBy: prepared.requestedBy,
      credentials: context.credentials,
    });
  }

  /**
   * An update (the new spec) or a delete of a live Resource, through its cluster's Git delivery:
   * the file is rewritten from the live object (Backstage's annotations, the author's labels, the
   * new spec and a new request id) or removed.
   */
  async change(
    operation: 'update' | 'delete',
    resolved: ResolvedResource,
    delivery: KratixGitDeliveryTarget,
    options: {
      spec?: Record<string, unknown>;
      requestedBy: string;
      credentials: BackstageCredentials;
    },
  ): Promise<KratixRequestView> {
    const { kind, object } = resolved;
    const target = {
      cluster: kind.cluster,
      promise: kind.promise,
      namespace: object.metadata.namespace ?? 'default',
      name: object.metadata.name,
    };
    await this.refuseOpen(target, options.requestedBy);
    const requestId = randomUUID();
    const annotations = object.metadata.annotations ?? {};
    const content =
      operation === 'delete'
        ? null
        : toYaml(
            manifestFromLive(object, {
              spec: options.spec ?? {},
              requestId,
            }),
          );
    try {
      return await this.commit({
        operation,
        requestId,
        delivery,
        target,
        kind: kind.kind,
        path: manifestPath(delivery, target),
        content,
        entityRef: annotations[KRATIX_ENTITY_REF_ANNOTATION],
        entityUid: annotations[KRATIX_ENTITY_UID_ANNOTATION],
        requestedBy: options.requestedBy,
        credentials: options.credentials,
      });
    } catch (error) {
      if (error instanceof NotFoundError) {
        // Created straight on the cluster (or by hand elsewhere): there is no file to change.
        throw new ConflictError(
          `${kind.kind} "${target.namespace}/${
            target.name
          }" has no manifest at ${manifestPath(delivery, target)} in ${
            delivery.repository
          }; it was not requested through Git, so it cannot be ${
            operation === 'delete' ? 'deleted' : 'changed'
          } through Git`,
        );
      }
      throw error;
    }
  }

  private async commit(input: {
    operation: KratixRequestOperation;
    requestId: string;
    delivery: KratixGitDeliveryTarget;
    target: {
      cluster: string;
      promise: string;
      namespace: string;
      name: string;
    };
    kind: string;
    path: string;
    content: string | null;
    entityRef?: string;
    entityUid?: string;
    requestedBy: string;
    credentials: BackstageCredentials;
  }): Promise<KratixRequestView> {
    const { delivery, target } = input;
    const what = `${input.kind} ${target.namespace}/${target.name}`;
    const verb = { create: 'Request', update: 'Update', delete: 'Delete' }[
      input.operation
    ];
    const title = `${verb} ${what}${
      input.entityRef ? ` for ${input.entityRef}` : ''
    }`;
    const body = [
      `${verb} of the ${target.promise} Resource ${what} on cluster ${target.cluster}, through Backstage.`,
      '',
      `Requested-by: ${input.requestedBy}`,
      ...(input.entityRef ? [`Entity: ${input.entityRef}`] : []),
      `Kratix-Request-Id: ${input.requestId}`,
    ].join('\n');
    const written = await this.deps.writer.write({
      mode: delivery.mode,
      repository: delivery.repository,
      branch: delivery.branch,
      filePath: input.path,
      content: input.content,
      message: `${title}\n\n${body}`,
      author: await this.authorOf(input.requestedBy, input.credentials),
      headBranch:
        delivery.mode === 'pull-request'
          ? `kratix/${target.namespace}-${target.name}-${input.requestId.slice(
              0,
              8,
            )}`
          : undefined,
      pullRequest:
        delivery.mode === 'pull-request' ? { title, body } : undefined,
      commitUrlTemplate: delivery.commitUrlTemplate,
    });
    return this.deps.ledger.record({
      id: input.requestId,
      operation: input.operation,
      mode: delivery.mode,
      ...target,
      entityRef: input.entityRef,
      entityUid: input.entityUid,
      requestedBy: input.requestedBy,
      repository: delivery.repository,
      branch: written.branch,
      path: input.path,
      commitSha: written.commitSha,
      commitUrl: written.commitUrl,
      pullRequestUrl: written.pullRequestUrl,
      pullRequestNumber: written.pullRequestNumber,
    });
  }

  /** 409 while the Resource has an open request; its details only for its requester. */
  private async refuseOpen(
    target: {
      cluster: string;
      promise: string;
      namespace: string;
      name: string;
    },
    caller: string,
  ) {
    const open: RecordedRequest | undefined = await this.deps.ledger.openFor(
      target,
    );
    if (!open) return;
    const where = `${target.promise} "${target.namespace}/${target.name}"`;
    if (open.requestedBy !== caller) {
      throw new ConflictError(
        `name: ${where} is already requested and not yet applied by the platform; choose another name`,
      );
    }
    const link = open.pullRequestUrl ?? open.commitUrl;
    throw new ConflictError(
      `name: ${where} already has an open request ${open.id} (${open.message}${
        link ? `: ${link}` : ''
      }); wait until the platform applies it`,
    );
  }

  /** The commit's author: the requesting user as the catalog (read as them) names them. */
  private async authorOf(
    userRef: string,
    credentials: BackstageCredentials,
  ): Promise<{ name: string; email: string }> {
    const user: Entity | undefined = await this.deps.catalog
      .getEntityByRef(userRef, { credentials })
      .catch(() => undefined);
    const profile = (user?.spec?.profile ?? {}) as {
      displayName?: string;
      email?: string;
    };
    const { name } = parseEntityRef(userRef);
    return {
      name: profile.displayName ?? name,
      // No address in the catalog: a stable one that names the user and reaches no one.
      email: profile.email ?? `${name}@users.noreply.backstage`,
    };
  }
}
