/*
 * The owner a Resource's entity inherits from the entity the Resource was created for
 * (`kratix.backstage.io/entity-ref`), read from the catalog with the module's own service
 * credentials. Only when the Resource is bound to that entity and not merely to its name
 * (kratix-node's EntityBinding: recorded uid, or platform owner and a trusted location): whoever
 * registers a name later inherits nothing. One batched read per mutation, however many Resources
 * name an entity. (kratix-node's entityOwners is another question: every owner of one entity.)
 */
import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { normalizeEntityRef } from '@kratix-backstage/plugin-kratix-common';
import {
  EntityBinding,
  specOwnerOf,
  type BindableObject,
} from '@kratix-backstage/plugin-kratix-node';

/**
 * A Resource that names the entity it was created for.
 * @public
 */
export interface NamedEntityResource {
  /** The full entity reference the Resource names. */
  entityRef: string;
  object: BindableObject;
}

export class InheritedOwners {
  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly logger: LoggerService,
    private readonly binding: EntityBinding,
  ) {}

  /**
   * The owner each Resource inherits, in order; undefined when its entity does not exist, has no
   * owner, is not the entity the Resource is bound to, or cannot be read (the catalog is not serving
   * yet): those Resources get the default owner until the next run.
   */
  async ownersOf(
    resources: ReadonlyArray<NamedEntityResource>,
  ): Promise<Array<string | undefined>> {
    const refs = [
      ...new Set(
        resources
          .map(r => normalizeEntityRef(r.entityRef))
          .filter((r): r is string => r !== undefined),
      ),
    ];
    if (refs.length === 0) return resources.map(() => undefined);
    const entities = new Map<string, Entity>();
    try {
      const { items } = await this.catalog.getEntitiesByRefs(
        {
          entityRefs: refs,
          fields: [
            'kind',
            'metadata.namespace',
            'metadata.name',
            'metadata.uid',
            'metadata.annotations',
            'spec.owner',
            'relations',
          ],
        },
        { credentials: await this.auth.getOwnServiceCredentials() },
      );
      items.forEach((entity, index) => {
        if (entity) entities.set(refs[index], entity);
      });
    } catch (error) {
      this.logger.warn(
        `Could not read the owners of ${refs.length} entities named by Kratix Resources; using the default owner until the next run: ${error}`,
      );
    }
    return resources.map(resource => {
      const entity = entities.get(normalizeEntityRef(resource.entityRef) ?? '');
      if (!entity || !this.binding.check(entity, resource.object).bound) {
        return undefined;
      }
      // Relative to the entity's own namespace, as the catalog reads spec.owner.
      return specOwnerOf(entity);
    });
  }
}
