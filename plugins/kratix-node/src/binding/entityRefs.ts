/*
 * An entity's owners, read as every Kratix feature compares them: as refs normalized by
 * kratix-common's normalizeEntityRef (the one home for that rule).
 */
import { RELATION_OWNED_BY, type Entity } from '@backstage/catalog-model';
import { normalizeEntityRef } from '@kratix-backstage/plugin-kratix-common';

/**
 * Who owns an entity, as normalized refs: `spec.owner` (a group by default, relative to the
 * entity's namespace, as the catalog reads it) and the catalog's `ownedBy` relations.
 *
 * @public
 */
export function entityOwners(entity: Entity): string[] {
  const owners = new Set<string>();
  for (const relation of entity.relations ?? []) {
    if (relation.type === RELATION_OWNED_BY) {
      owners.add(relation.targetRef.toLocaleLowerCase('en-US'));
    }
  }
  const owner = specOwnerOf(entity);
  if (owner) owners.add(owner);
  return [...owners];
}

/**
 * The entity's `spec.owner`, normalized as the catalog reads it (a bare name is a group in the
 * entity's own namespace); undefined when there is none or it cannot be read.
 *
 * @public
 */
export function specOwnerOf(entity: Entity): string | undefined {
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof owner !== 'string' || !owner) return undefined;
  return normalizeEntityRef(owner, {
    defaultKind: 'group',
    defaultNamespace: entity.metadata.namespace ?? 'default',
  });
}
