/*
 * The catalog side of a Resource document: for the entity a Resource's own
 * `kratix.backstage.io/entity-ref` names (the platform's side of the link), its owner, and whether
 * the entity also claims the Resource in its annotations — only then does its Kratix tab show the
 * Resource, so only then is the tab the document's location. Entities are fetched in batches with the
 * module's own credentials (collation is not a read on anyone's behalf; search filters per user) and
 * remembered for one collation run.
 */
import type { AuthService } from '@backstage/backend-plugin-api';
import { RELATION_OWNED_BY, type Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  getKratixResourceRefs,
  normalizeEntityRef,
  type KratixResourceRef,
} from '@kratix-backstage/plugin-kratix-common';
import { specOwnerOf } from '@kratix-backstage/plugin-kratix-node';

export interface LinkedEntity {
  /** Canonical ref, e.g. `component:default/search-service`. */
  ref: string;
  /** The first owner (relation, else spec.owner), e.g. `group:default/team-search`; '' when none. */
  owner: string;
  claims: KratixResourceRef[];
  /** The entity as read, for deciding whether a Resource is bound to it (EntityBinding). */
  entity: Entity;
}

const FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.uid',
  'metadata.annotations',
  'spec.owner',
  'relations',
];

export class EntityLinks {
  private readonly known = new Map<string, LinkedEntity | null>();

  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
  ) {}

  /** Fetches the entities not seen yet in this run; unreadable refs count as no entity. */
  async load(refs: Iterable<string>): Promise<void> {
    const wanted = [...new Set(refs)].filter(ref => !this.known.has(ref));
    if (wanted.length === 0) return;
    const canonical = wanted.map(ref => normalizeEntityRef(ref));
    const lookups = canonical.filter((r): r is string => r !== undefined);
    const { items } = lookups.length
      ? await this.catalog.getEntitiesByRefs(
          { entityRefs: lookups, fields: FIELDS },
          { credentials: await this.auth.getOwnServiceCredentials() },
        )
      : { items: [] };
    const byRef = new Map(lookups.map((ref, i) => [ref, items[i]]));
    wanted.forEach((raw, i) => {
      const ref = canonical[i];
      const entity = ref ? byRef.get(ref) : undefined;
      this.known.set(raw, entity && ref ? linkedEntity(ref, entity) : null);
    });
  }

  get(ref: string): LinkedEntity | undefined {
    return this.known.get(ref) ?? undefined;
  }
}

function linkedEntity(ref: string, entity: Entity): LinkedEntity {
  return {
    ref,
    owner: ownerOf(entity),
    claims: getKratixResourceRefs(entity).refs,
    entity,
  };
}

function ownerOf(entity: Entity): string {
  const relation = entity.relations?.find(r => r.type === RELATION_OWNED_BY);
  if (relation) return relation.targetRef;
  // spec.owner as the catalog reads it (relative to the entity's namespace), for an entity the
  // catalog has not processed yet.
  return specOwnerOf(entity) ?? '';
}
