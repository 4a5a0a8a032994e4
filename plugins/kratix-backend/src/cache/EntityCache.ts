/*
 * Catalog entities read with this plugin's own credentials and kept for at most
 * `kratix.cache.entitySeconds` (default 10 s; 0 = read the catalog on every request, still with
 * the plugin's credentials). Never served as such: the read path applies the caller's own
 * `catalog.entity.read` decision to the entity (evaluated with the catalog's own rule
 * implementations), and falls back to reading the catalog as the caller whenever it cannot. The
 * bound is how long an entity change (a new owner, a removed annotation) can take to be seen by the
 * Kratix routes.
 */
import type { AuthService } from '@backstage/backend-plugin-api';
import type { CompoundEntityRef, Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { normalizeEntityRef } from '@kratix-backstage/plugin-kratix-common';
import { TtlCache } from '@kratix-backstage/plugin-kratix-node';

export class EntityCache {
  private readonly cache: TtlCache<Entity | undefined>;

  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    ttlMs: number,
  ) {
    this.cache = new TtlCache(ttlMs);
  }

  get(ref: CompoundEntityRef): Promise<Entity | undefined> {
    const key = normalizeEntityRef(ref);
    return this.cache.get(key, async () =>
      this.catalog.getEntityByRef(ref, {
        credentials: await this.auth.getOwnServiceCredentials(),
      }),
    );
  }
}
