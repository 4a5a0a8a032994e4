/*
 * The provider's catalog namespace is its own: an entity in it from any other location is refused,
 * so nobody can register `resource:kratix/example-jenkins` (or a Promise's entity or template) and
 * be trusted, linked or shown in its place.
 *
 * Two guards, because the catalog reserves a name as soon as a location emits it:
 *  - the entity data parser (files and URLs, registered or configured) drops such an entity before
 *    it is emitted, with an error on the location: the name is never taken;
 *  - the processor refuses to process such an entity from any other source (a location read without
 *    the parser, another provider): it never becomes readable, though its name stays taken until
 *    its location is removed. Only entity providers set `kratix-platform:<cluster>` locations; the
 *    catalog overwrites the location annotations of everything a location emits.
 */
import type { Entity } from '@backstage/catalog-model';
import {
  parseEntityYaml,
  processingResult,
  type CatalogProcessor,
  type CatalogProcessorParser,
  type LocationSpec,
} from '@backstage/plugin-catalog-node';
import { KRATIX_PROVIDER_LOCATION_TYPE } from '@kratix-backstage/plugin-kratix-common';

function inNamespace(entity: Entity, namespace: string): boolean {
  return (
    (entity.metadata?.namespace ?? 'default').toLocaleLowerCase('en-US') ===
    namespace
  );
}

function refusal(entity: Entity, namespace: string, where: string): string {
  return `${entity.kind}:${namespace}/${entity.metadata?.name} at ${where} is refused: the catalog namespace "${namespace}" is reserved for the Kratix entity provider (catalog.providers.kratix.namespace)`;
}

/** Refuses to process an entity in the provider's namespace that the provider did not write. */
export class KratixNamespaceProcessor implements CatalogProcessor {
  constructor(private readonly namespace: string) {}

  getProcessorName(): string {
    return 'KratixNamespaceProcessor';
  }

  async preProcessEntity(
    entity: Entity,
    location: LocationSpec,
  ): Promise<Entity> {
    if (
      inNamespace(entity, this.namespace) &&
      location.type !== KRATIX_PROVIDER_LOCATION_TYPE
    ) {
      throw new Error(
        refusal(entity, this.namespace, `${location.type}:${location.target}`),
      );
    }
    return entity;
  }
}

/**
 * The catalog's default entity data parser, except that an entity in the provider's namespace is
 * replaced by an error on its location, so its name is never taken.
 */
export function kratixNamespaceParser(
  namespace: string,
): CatalogProcessorParser {
  return async function* parse({ data, location }) {
    for (const result of parseEntityYaml(data, location)) {
      if (result.type === 'entity' && inNamespace(result.entity, namespace)) {
        yield processingResult.inputError(
          location,
          refusal(
            result.entity,
            namespace,
            `${location.type}:${location.target}`,
          ),
        );
      } else {
        yield result;
      }
    }
  };
}
