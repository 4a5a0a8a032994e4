/*
 * The authorized read path. The entity is loaded from the catalog with the caller's credentials
 * (an entity they cannot see is a 404, like a missing one), then `kratix.resource.read` is decided
 * for that entity, and only then are clusters asked about the Resources it links to.
 */
import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  stringifyEntityRef,
  type CompoundEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  getKratixResourceRefs,
  toResourceView,
  type EntityResourcesResponse,
  type KratixClusterError,
  type KratixResourceRef,
  type KratixResourceRefError,
  type ResourceDetailsResponse,
} from '@kratix-backstage/plugin-kratix-common';
import {
  KratixClusterUnavailableError,
  type KratixClusterService,
  type ResolvedResource,
  type RefNotFoundReason,
} from '@kratix-backstage/plugin-kratix-node';
import type { HistoryStore } from '../history/HistoryStore';
import { mayReadKratixResources } from './readDecision';
import { buildTimeline } from './timeline';

export interface ResourceAddress {
  cluster: string;
  namespace: string;
  promise: string;
  name: string;
}

export const viewOf = ({ kind, object }: ResolvedResource) =>
  toResourceView(
    {
      cluster: kind.cluster,
      promise: kind.promise,
      group: kind.group,
      version: kind.version,
      kind: kind.kind,
      plural: kind.plural,
    },
    object,
  );

export class EntityResources {
  constructor(
    private readonly catalog: CatalogService,
    private readonly permissions: PermissionsService,
    private readonly clusters: KratixClusterService,
    private readonly history: HistoryStore,
  ) {}

  /** The entity, if the caller may see it and read its Kratix Resources. */
  async authorizedEntity(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entity = await this.catalog.getEntityByRef(ref, { credentials });
    if (!entity) {
      throw new NotFoundError(`No entity ${stringifyEntityRef(ref)}`);
    }
    if (
      !(await mayReadKratixResources(this.permissions, entity, credentials))
    ) {
      throw new NotAllowedError(
        `You may not read the Kratix Resources of ${stringifyEntityRef(
          entity,
        )}`,
      );
    }
    return entity;
  }

  /** Every Resource the entity links to, with per-link and per-cluster errors beside them. */
  async list(entity: Entity): Promise<EntityResourcesResponse> {
    const { refs, errors: annotationErrors } = getKratixResourceRefs(entity);
    const results = await Promise.all(refs.map(ref => this.resolve(ref)));
    const clusterErrors = new Map<string, KratixClusterError>();
    const refErrors: KratixResourceRefError[] = [];
    const items = [];
    for (const result of results) {
      if ('resolved' in result) {
        items.push(viewOf(result.resolved));
      } else {
        refErrors.push(result.error);
        if (result.clusterError) {
          clusterErrors.set(result.clusterError.cluster, result.clusterError);
        }
      }
    }
    return {
      items,
      refErrors,
      annotationErrors,
      clusters: this.clusters.clusters(),
      errors: [...clusterErrors.values()],
      observedAt: new Date().toISOString(),
    };
  }

  /** One of the entity's Resources with its timeline; 404 unless the entity links to it. */
  async details(
    entity: Entity,
    address: ResourceAddress,
  ): Promise<ResourceDetailsResponse> {
    const resolved = await this.findLinked(entity, address);
    const [jobs, events, transitions] = await Promise.all([
      this.clusters.listWorkflowJobs(resolved),
      this.clusters.listResourceEvents(resolved),
      this.history.transitions(address, resolved.object.metadata.uid),
    ]);
    return {
      resource: viewOf(resolved),
      object: resolved.object,
      timeline: buildTimeline(resolved.object, transitions, jobs, events),
    };
  }

  /** Whether a change on a cluster concerns one of the entity's links. */
  static concerns(
    refs: KratixResourceRef[],
    defaultCluster: string | undefined,
    change: {
      cluster: string;
      promise: string;
      kind: string;
      namespace: string;
      name: string;
    },
  ): boolean {
    return refs.some(
      ref =>
        (ref.cluster ?? defaultCluster) === change.cluster &&
        ref.namespace === change.namespace &&
        ref.name === change.name &&
        (ref.promise
          ? ref.promise === change.promise
          : ref.kind === change.kind),
    );
  }

  private async findLinked(entity: Entity, address: ResourceAddress) {
    const { refs } = getKratixResourceRefs(entity);
    const defaultCluster = this.clusters.defaultCluster();
    for (const ref of refs) {
      if (
        (ref.cluster ?? defaultCluster) !== address.cluster ||
        ref.namespace !== address.namespace ||
        ref.name !== address.name
      ) {
        continue;
      }
      const resolved = await this.clusters.resolveResource(ref);
      if (resolved.kind.promise === address.promise) return resolved;
    }
    throw new NotFoundError(
      `${stringifyEntityRef(entity)} links no Resource ${address.cluster}:${
        address.promise
      }/${address.namespace}/${address.name}`,
    );
  }

  private async resolve(
    ref: KratixResourceRef,
  ): Promise<
    | { resolved: ResolvedResource }
    | { error: KratixResourceRefError; clusterError?: KratixClusterError }
  > {
    try {
      return { resolved: await this.clusters.resolveResource(ref) };
    } catch (error) {
      if (error instanceof KratixClusterUnavailableError) {
        return {
          error: { ref, reason: 'cluster-error', message: error.message },
          clusterError: error.toJSON(),
        };
      }
      const reason = (error as { reason?: RefNotFoundReason }).reason;
      if (reason) {
        return { error: { ref, reason, message: (error as Error).message } };
      }
      throw error;
    }
  }
}
