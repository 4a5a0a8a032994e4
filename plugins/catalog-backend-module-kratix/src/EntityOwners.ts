/*
 * The owner of the entity a Resource was created for (`kratix.backstage.io/entity-ref`), read from
 * the catalog with the module's own service credentials: the Resource's entity gets the same owner.
 * One batched read per mutation, however many Resources name an entity.
 */
import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { fullRef } from './options';

export class EntityOwners {
  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly logger: LoggerService,
  ) {}

  /**
   * Owners by (lower-cased) entity reference. Entities that do not exist, have no owner, or cannot
   * be read (the catalog is not serving yet) are left out: their Resources get the default owner
   * until the next run.
   */
  async ownersOf(entityRefs: Iterable<string>): Promise<Map<string, string>> {
    const refs = [...new Set(entityRefs)];
    const owners = new Map<string, string>();
    if (refs.length === 0) return owners;
    try {
      const { items } = await this.catalog.getEntitiesByRefs(
        {
          entityRefs: refs,
          fields: ['kind', 'metadata.namespace', 'metadata.name', 'spec.owner'],
        },
        { credentials: await this.auth.getOwnServiceCredentials() },
      );
      items.forEach((entity, index) => {
        const owner = entity?.spec?.owner;
        if (typeof owner !== 'string' || owner === '') return;
        try {
          // Relative to the entity's own namespace, as the catalog reads spec.owner.
          const namespace = entity!.metadata.namespace ?? 'default';
          owners.set(refs[index], fullRef(owner, 'group', namespace));
        } catch {
          // An owner the catalog could not parse either: no owner to inherit.
        }
      });
    } catch (error) {
      this.logger.warn(
        `Could not read the owners of ${refs.length} entities named by Kratix Resources; using the default owner until the next run: ${error}`,
      );
    }
    return owners;
  }
}
