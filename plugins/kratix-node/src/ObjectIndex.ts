/*
 * Watched objects grouped by a key computed from each (a Resource a Job ran for, the Work a
 * placement belongs to): reads by key cost a map lookup, and the watch keeps the groups current.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import type { WatchChange } from './KindWatcher';

/** Adds, replaces and removes objects in a two-level index (key → uid → object). */
export class ObjectIndex<T extends KubernetesObject> {
  private readonly byKey = new Map<string, Map<string, T>>();

  constructor(private readonly keyOf: (object: T) => string | undefined) {}

  apply({ type, object }: WatchChange<T>): void {
    const key = this.keyOf(object);
    const uid = object.metadata?.uid;
    if (!key || !uid) return;
    let entries = this.byKey.get(key);
    if (type === 'deleted') {
      entries?.delete(uid);
      if (entries?.size === 0) this.byKey.delete(key);
      return;
    }
    if (!entries) {
      entries = new Map();
      this.byKey.set(key, entries);
    }
    entries.set(uid, object);
  }

  get(key: string): T[] {
    return [...(this.byKey.get(key)?.values() ?? [])];
  }
}
