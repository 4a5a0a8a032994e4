/*
 * Who owns an entity, as entity refs: `spec.owner` (a group by default, as the catalog reads it)
 * and the catalog's `ownedBy` relations. Lower-cased so they compare with ownership claims.
 */
import {
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';

export function entityOwners(entity: Entity): string[] {
  const owners = new Set<string>();
  for (const relation of entity.relations ?? []) {
    if (relation.type === RELATION_OWNED_BY) {
      owners.add(relation.targetRef.toLocaleLowerCase('en-US'));
    }
  }
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof owner === 'string' && owner) {
    try {
      const ref = parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      });
      owners.add(stringifyEntityRef(ref).toLocaleLowerCase('en-US'));
    } catch {
      // An unreadable owner owns nothing.
    }
  }
  return [...owners];
}

/** An entity ref in the catalog's canonical, case-insensitive form; undefined when unreadable. */
export function normalizeEntityRef(value: string): string | undefined {
  try {
    return stringifyEntityRef(parseEntityRef(value)).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}
