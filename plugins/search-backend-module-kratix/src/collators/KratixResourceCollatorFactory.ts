/*
 * Indexes every Kratix Resource of the configured clusters, streamed from the cluster service's
 * watch-fed caches (no cluster round trips) in batches: only one batch and the entities it names are
 * held at a time. Each document carries its `kratix-resource` permission ref, so search's permission
 * filter decides `kratix.resource.read` on the Resource itself, with the same policy as the entity tab.
 * A cluster that fails is logged and skipped; the others are still indexed. A cluster that acts as
 * each user is left out unless configured (its RBAC could hide a Resource that the policy shows).
 */
import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { DocumentCollatorFactory } from '@backstage/plugin-search-common';
import {
  KRATIX_ENTITY_REF_ANNOTATION,
  KRATIX_RESOURCE_SEARCH_TYPE,
  kratixEntityTabPath,
  kratixResourcePagePath,
  kratixResourceReadPermission,
  stringifyKratixPermissionRef,
  type KratixResourceSearchDocument,
} from '@kratix-backstage/plugin-kratix-common';
import {
  EntityBinding,
  resourceViewOf,
  type KratixClusterService,
  type ResolvedResource,
} from '@kratix-backstage/plugin-kratix-node';
import { Readable } from 'node:stream';
import type { KratixCollatorScope } from '../config';
import { EntityLinks, type LinkedEntity } from './entityLinks';
import { flattenToLines } from './flatten';

/** Resources per catalog lookup. */
const BATCH_SIZE = 500;

/** @public */
export interface KratixResourceCollatorFactoryOptions {
  clusters: KratixClusterService;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  scope?: KratixCollatorScope;
  /**
   * Decides whether a Resource is bound to the entity it names (not merely to its name); only then
   * does its document carry that entity's owner and tab. Default: `EntityBinding` with no trusted
   * locations (a recorded uid binds; the module passes `EntityBinding.fromConfig`).
   */
  binding?: EntityBinding;
}

/**
 * Collates Kratix Resources into `kratix-resource` search documents.
 * @public
 */
export class KratixResourceCollatorFactory implements DocumentCollatorFactory {
  readonly type = KRATIX_RESOURCE_SEARCH_TYPE;
  readonly visibilityPermission = kratixResourceReadPermission;

  private readonly binding: EntityBinding;

  constructor(private readonly options: KratixResourceCollatorFactoryOptions) {
    this.binding = options.binding ?? new EntityBinding([]);
  }

  async getCollator(): Promise<Readable> {
    return Readable.from(this.execute());
  }

  /** The documents, cluster by cluster. */
  async *execute(): AsyncGenerator<KratixResourceSearchDocument> {
    const { clusters, logger, scope } = this.options;
    const links = new EntityLinks(this.options.catalog, this.options.auth);
    const names = clusters
      .clusters()
      .map(c => c.name)
      .filter(name => !scope?.clusters || scope.clusters.includes(name))
      .filter(name => {
        if (scope?.includeClustersActingAsUser || !clusters.actsAsUser(name)) {
          return true;
        }
        logger.info(
          `Kratix search: cluster ${name} acts as each user, so its Resources are not indexed (search.collators.kratix.includeClustersActingAsUser)`,
        );
        return false;
      });
    for (const cluster of names) {
      let count = 0;
      try {
        for await (const batch of batches(this.resourcesOf(cluster))) {
          for (const doc of await this.documents(batch, links)) {
            count += 1;
            yield doc;
          }
        }
        logger.debug(`Kratix search: ${count} Resources of cluster ${cluster}`);
      } catch (error) {
        logger.warn(
          `Kratix search: cluster ${cluster} failed after ${count} Resources; the index keeps the other clusters`,
          error instanceof Error ? error : { error: String(error) },
        );
      }
    }
  }

  private async *resourcesOf(cluster: string) {
    const promises = this.options.scope?.promises;
    for await (const resource of this.options.clusters.resources(cluster)) {
      if (!promises || promises.includes(resource.kind.promise)) {
        yield resource;
      }
    }
  }

  private async documents(
    batch: ResolvedResource[],
    links: EntityLinks,
  ): Promise<KratixResourceSearchDocument[]> {
    const refs = batch.flatMap(r => {
      const ref = r.object.metadata.annotations?.[KRATIX_ENTITY_REF_ANNOTATION];
      return ref ? [ref] : [];
    });
    try {
      await links.load(refs);
    } catch (error) {
      // Without the catalog, documents still index, pointing at the Resources' own pages.
      this.options.logger.warn(
        'Kratix search: could not read the linked entities from the catalog',
        error instanceof Error ? error : { error: String(error) },
      );
    }
    const defaultCluster = this.options.clusters.defaultCluster();
    return batch.map(resource => {
      const entityRef =
        resource.object.metadata.annotations?.[KRATIX_ENTITY_REF_ANNOTATION];
      const linked = entityRef ? links.get(entityRef) : undefined;
      // A Resource bound to an entity's name only (an entity that took the name later) links to nothing.
      const entity =
        linked && this.binding.check(linked.entity, resource.object).bound
          ? linked
          : undefined;
      return toDocument(resource, entity, defaultCluster);
    });
  }
}

async function* batches<T>(items: AsyncIterable<T>): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= BATCH_SIZE) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

function toDocument(
  resource: ResolvedResource,
  entity: LinkedEntity | undefined,
  defaultCluster: string | undefined,
): KratixResourceSearchDocument {
  // The view the routes, actions and scaffolder show, so a document says what the tab says.
  const view = resourceViewOf(resource);
  const address = {
    cluster: view.cluster,
    promise: view.promise,
    namespace: view.namespace,
    name: view.name,
  };
  const resourceRef = stringifyKratixPermissionRef(address);
  const claimed =
    entity?.claims.some(
      ref =>
        (ref.cluster ?? defaultCluster) === view.cluster &&
        ref.namespace === view.namespace &&
        ref.name === view.name &&
        (ref.promise ? ref.promise === view.promise : ref.kind === view.kind),
    ) ?? false;
  // Lunr keys documents by location, so the entity tab link names the Resource to stay unique.
  const location =
    entity && claimed
      ? kratixEntityTabPath(getCompoundEntityRef(entity.entity), address)
      : kratixResourcePagePath(address);
  // What no other field says: the status message and the state are fields of their own (shown
  // in the result, and searched as fields), so the text does not repeat them; Lunr would index
  // each word twice, with its positions, for every Resource.
  const text = [
    ...flattenToLines(view.extraStatus, 20),
    ...flattenToLines(resource.object.spec, 10),
  ].join('\n');
  return {
    title: `${view.name} (${view.promise})`,
    text,
    location,
    ...address,
    state: view.state,
    message: view.message,
    owner: entity?.owner ?? '',
    entityRef: entity?.ref ?? '',
    authorization: { resourceRef },
  };
}
