/*
 * The Resources of one kind grouped by the entity their `kratix.backstage.io/entity-ref` annotation
 * names (normalized as the binding compares it), kept current by the kind's watch: finding the
 * Resources that name an entity costs a map lookup, not a scan of the cluster. Only names are kept;
 * readers take the object from the watch cache and re-check it, so a missed event can only make a
 * lookup return less, never a Resource that no longer names the entity.
 */
import {
  KRATIX_ENTITY_REF_ANNOTATION,
  normalizeEntityRef,
  type KratixResourceObject,
} from '@kratix-backstage/plugin-kratix-common';
import type { WatchChange } from './KindWatcher';

interface Address {
  namespace: string;
  name: string;
}

export class EntityRefIndex {
  /** Normalized entity ref → uid → where the Resource is. */
  private readonly byRef = new Map<string, Map<string, Address>>();
  /** uid → the ref it is indexed under, so an annotation change moves it. */
  private readonly refOf = new Map<string, string>();

  apply({ type, object }: WatchChange<KratixResourceObject>): void {
    const uid = object.metadata.uid;
    if (!uid) return;
    const previous = this.refOf.get(uid);
    const named = object.metadata.annotations?.[KRATIX_ENTITY_REF_ANNOTATION];
    const ref =
      type === 'deleted' || !named ? undefined : normalizeEntityRef(named);
    if (previous !== undefined && previous !== ref) {
      const entries = this.byRef.get(previous);
      entries?.delete(uid);
      if (entries?.size === 0) this.byRef.delete(previous);
      this.refOf.delete(uid);
    }
    if (ref === undefined) return;
    let entries = this.byRef.get(ref);
    if (!entries) {
      entries = new Map();
      this.byRef.set(ref, entries);
    }
    entries.set(uid, {
      namespace: object.metadata.namespace ?? 'default',
      name: object.metadata.name,
    });
    this.refOf.set(uid, ref);
  }

  /** Where the Resources naming `ref` (already normalized) are. */
  get(ref: string): Address[] {
    return [...(this.byRef.get(ref)?.values() ?? [])];
  }
}
