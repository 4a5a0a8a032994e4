/*
 * Entity references as every Kratix feature compares them: canonical (`kind:namespace/name`) and
 * lower-cased, because the catalog treats refs case-insensitively. The one home for the rule, so
 * the read path, the permission rules, the catalog module, search and the example policy agree.
 */
import {
  parseEntityRef,
  stringifyEntityRef,
  type CompoundEntityRef,
  type Entity,
} from '@backstage/catalog-model';

/**
 * The ref of an entity or compound ref in the catalog's canonical, case-insensitive form.
 *
 * @public
 */
export function normalizeEntityRef(ref: Entity | CompoundEntityRef): string;
/**
 * An entity ref in the catalog's canonical, case-insensitive form: trimmed, and read with
 * `defaults` filling a kind or namespace it leaves out (a bare owner name means a group);
 * undefined when it cannot be read.
 *
 * @public
 */
export function normalizeEntityRef(
  value: string,
  defaults?: { defaultKind?: string; defaultNamespace?: string },
): string | undefined;
export function normalizeEntityRef(
  value: string | Entity | CompoundEntityRef,
  defaults?: { defaultKind?: string; defaultNamespace?: string },
): string | undefined {
  // The catalog lower-cases refs with toLocaleLowerCase('en-US'), which is toLowerCase() exactly
  // (only tr, az and lt have their own mappings) at a thirtieth of the cost: this runs several
  // times on every read.
  if (typeof value !== 'string') {
    return stringifyEntityRef(value).toLowerCase();
  }
  try {
    return stringifyEntityRef(
      parseEntityRef(value.trim(), defaults),
    ).toLowerCase();
  } catch {
    return undefined;
  }
}
