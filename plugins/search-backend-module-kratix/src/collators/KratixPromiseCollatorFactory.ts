/*
 * Indexes every Kratix Promise of the configured clusters: its description, API kind and spec
 * fields, and how many Resources it has (counted from the watch-fed caches). Promises are the
 * platform's catalogue of offerings, readable by anyone the policy grants the basic permission
 * `kratix.promise.read` — the same permission the Kratix backend's GET /promises checks.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { DocumentCollatorFactory } from '@backstage/plugin-search-common';
import {
  KRATIX_PROMISE_SEARCH_TYPE,
  kratixPromisePagePath,
  kratixPromiseReadPermission,
  type KratixPromiseSearchDocument,
  type KratixPromiseView,
} from '@kratix-backstage/plugin-kratix-common';
import type { KratixClusterService } from '@kratix-backstage/plugin-kratix-node';
import { Readable } from 'node:stream';
import type { KratixCollatorScope } from '../config';

/** @public */
export interface KratixPromiseCollatorFactoryOptions {
  clusters: KratixClusterService;
  logger: LoggerService;
  scope?: KratixCollatorScope;
}

/**
 * Collates Kratix Promises into `kratix-promise` search documents.
 * @public
 */
export class KratixPromiseCollatorFactory implements DocumentCollatorFactory {
  readonly type = KRATIX_PROMISE_SEARCH_TYPE;
  readonly visibilityPermission = kratixPromiseReadPermission;

  constructor(private readonly options: KratixPromiseCollatorFactoryOptions) {}

  async getCollator(): Promise<Readable> {
    return Readable.from(this.execute());
  }

  async *execute(): AsyncGenerator<KratixPromiseSearchDocument> {
    const { clusters, logger, scope } = this.options;
    const { items, errors } = await clusters.listPromises();
    for (const error of errors) {
      logger.warn(
        `Kratix search: cluster ${error.cluster} failed (${error.type}): ${error.message}; its Promises are not indexed`,
      );
    }
    const inScope = items.filter(
      p =>
        (!scope?.clusters || scope.clusters.includes(p.cluster)) &&
        (!scope?.promises || scope.promises.includes(p.name)),
    );
    for (const cluster of new Set(inScope.map(p => p.cluster))) {
      const counts = await this.countResources(cluster);
      for (const promise of inScope.filter(p => p.cluster === cluster)) {
        yield toDocument(promise, counts?.get(promise.name));
      }
    }
  }

  /** Resources per Promise; undefined when the cluster fails while counting. */
  private async countResources(
    cluster: string,
  ): Promise<Map<string, number> | undefined> {
    const counts = new Map<string, number>();
    try {
      for await (const { kind } of this.options.clusters.resources(cluster)) {
        counts.set(kind.promise, (counts.get(kind.promise) ?? 0) + 1);
      }
      return counts;
    } catch (error) {
      this.options.logger.warn(
        `Kratix search: could not count the Resources on cluster ${cluster}`,
        error instanceof Error ? error : { error: String(error) },
      );
      return undefined;
    }
  }
}

function specFields(promise: KratixPromiseView): string[] {
  const spec = (promise.schema?.properties as Record<string, any> | undefined)
    ?.spec;
  const properties = spec?.properties;
  return properties && typeof properties === 'object'
    ? Object.keys(properties)
    : [];
}

function toDocument(
  promise: KratixPromiseView,
  resourceCount: number | undefined,
): KratixPromiseSearchDocument {
  const fields = specFields(promise);
  const apiVersion = `${promise.group}/${promise.version}`;
  const count = resourceCount ?? 0;
  return {
    title: promise.name,
    text: [
      promise.description ?? '',
      `Kind: ${promise.kind} (${apiVersion})`,
      fields.length ? `Fields: ${fields.join(', ')}` : 'No spec fields',
      resourceCount === undefined
        ? 'Resources: unknown'
        : `${count} Resource${count === 1 ? '' : 's'}`,
    ].join('\n'),
    location: kratixPromisePagePath(promise),
    cluster: promise.cluster,
    promise: promise.name,
    kind: promise.kind,
    apiVersion,
    fields,
    resourceCount: count,
  };
}
