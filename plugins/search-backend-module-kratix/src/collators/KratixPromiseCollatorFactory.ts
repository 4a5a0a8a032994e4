/*
 * Indexes every Kratix Promise of the configured clusters: its description, API kind and spec
 * fields. Promises are the platform's catalogue of offerings, readable by anyone the policy grants
 * the basic permission `kratix.promise.read` — the same permission the Kratix backend's GET
 * /promises checks.
 *
 * No count of a Promise's Resources: the search backend filters whole documents per reader, so one
 * Promise document is what every reader gets, and a count in it would count Resources of teams the
 * reader may not see. A count per reader cannot be baked into a shared document; the Resources a
 * reader may see are found as `kratix-resource` documents, each filtered by kratix.resource.read.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { DocumentCollatorFactory } from '@backstage/plugin-search-common';
import {
  KRATIX_PROMISE_SEARCH_TYPE,
  kratixPromisePagePath,
  kratixPromiseReadPermission,
  specSchemaOf,
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
    for (const promise of inScope) yield toDocument(promise);
  }
}

function specFields(promise: KratixPromiseView): string[] {
  const properties = specSchemaOf(promise.schema)?.properties;
  return properties && typeof properties === 'object'
    ? Object.keys(properties)
    : [];
}

function toDocument(promise: KratixPromiseView): KratixPromiseSearchDocument {
  const fields = specFields(promise);
  const apiVersion = `${promise.group}/${promise.version}`;
  return {
    title: promise.name,
    text: [
      promise.description ?? '',
      `Kind: ${promise.kind} (${apiVersion})`,
      fields.length ? `Fields: ${fields.join(', ')}` : 'No spec fields',
    ].join('\n'),
    location: kratixPromisePagePath(promise),
    cluster: promise.cluster,
    promise: promise.name,
    kind: promise.kind,
    apiVersion,
    fields,
  };
}
