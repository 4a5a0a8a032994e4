/*
 * Entity references as every Kratix feature compares them: canonical (`kind:namespace/name`) and
 * lower-cased, because the catalog treats refs case-insensitively. One home for the rule, so the
 * read path, the permission rules, the catalog module and search agree.
 */
import {
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';

/**
 * An entity ref in the catalog's canonical, case-insensitive form; undefined when unreadable.
 * `defaults` fill a kind or namespace the value leaves out (a bare owner name means a group).
 *
 * @public
 */
export function normalizeEntityRef(
  value: string,
  defaults?: { defaultKind?: string; defaultNamespace?: string },
): string | undefined {
  try {
    return stringifyEntityRef(
      parseEntityRef(value.trim(), defaults),
    ).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}

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
