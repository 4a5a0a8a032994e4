/*
 * The store's data and the bookkeeping every write goes through: one Map per type keyed
 * `namespace/name`, the cluster-wide resourceVersion, the change history, and the indexes that
 * garbage collection and namespace termination consult.
 */
import { resourceNotFound } from './errors';
import { type HistoryEntry, WatchHistory } from './history';
import { keyOf, typeIdOf } from './keys';
import type { TypeState } from './tableTypes';
import type { KubeObject, StoreChange, TypeKey } from './types';
import type { WatchHub } from './watchHub';

export type { TypeState } from './tableTypes';

/** Where a dependent lives: its type id and `namespace/name` key. */
export interface ObjectRef {
  typeId: string;
  key: string;
}

export class Tables {
  readonly types = new Map<string, TypeState>();
  /** The last resourceVersion handed out; one counter for all types, as in etcd. */
  rv = 0;
  /** owner uid → `typeId\0namespace/name` of dependents, for background garbage collection. */
  private readonly dependents = new Map<string, Set<string>>();
  /** namespace → number of namespaced objects in it, to finish namespace termination. */
  private readonly namespaceCounts = new Map<string, number>();

  constructor(readonly history: WatchHistory, private readonly hub: WatchHub) {}

  requireType(key: TypeKey): TypeState {
    const state = this.types.get(typeIdOf(key));
    if (!state) throw resourceNotFound();
    return state;
  }

  nextResourceVersion(): string {
    return String(++this.rv);
  }

  /** After a restore: continue from `rv`, with no history to replay from before it. */
  restartAt(rv: number): void {
    this.rv = Math.max(this.rv, rv);
    this.history.reset(this.rv);
  }

  /** Snapshot of the dependents of `uid` (safe to iterate while deleting them). */
  dependentsOf(uid: string): ObjectRef[] {
    const refs = this.dependents.get(uid);
    if (!refs) return [];
    return [...refs].map(ref => {
      const [typeId, key] = ref.split('\0');
      return { typeId, key };
    });
  }

  namespaceHasObjects(namespace: string): boolean {
    return Boolean(this.namespaceCounts.get(namespace));
  }

  /** Stores `object` and indexes it; does not record a change. */
  put(state: TypeState, object: KubeObject): void {
    const meta = object.metadata;
    state.objects.set(keyOf(meta.namespace, meta.name), object);
    if (meta.namespace)
      this.namespaceCounts.set(
        meta.namespace,
        (this.namespaceCounts.get(meta.namespace) ?? 0) + 1,
      );
    const ref = `${typeIdOf(state.type)}\0${keyOf(meta.namespace, meta.name)}`;
    for (const owner of meta.ownerReferences ?? []) {
      const uid = owner.uid;
      if (typeof uid !== 'string') continue;
      let refs = this.dependents.get(uid);
      if (!refs) this.dependents.set(uid, (refs = new Set()));
      refs.add(ref);
    }
  }

  /** Removes `object` and its index entries; does not record a change. */
  unput(state: TypeState, object: KubeObject): void {
    const meta = object.metadata;
    state.objects.delete(keyOf(meta.namespace, meta.name));
    if (meta.namespace)
      this.namespaceCounts.set(
        meta.namespace,
        (this.namespaceCounts.get(meta.namespace) ?? 1) - 1,
      );
    const ref = `${typeIdOf(state.type)}\0${keyOf(meta.namespace, meta.name)}`;
    for (const owner of meta.ownerReferences ?? []) {
      const refs =
        typeof owner.uid === 'string'
          ? this.dependents.get(owner.uid)
          : undefined;
      refs?.delete(ref);
      if (refs?.size === 0) this.dependents.delete(owner.uid as string);
    }
  }

  /** Appends the change to the history and delivers it to watches and subscribers. */
  record(
    state: TypeState,
    type: StoreChange['type'],
    object: KubeObject,
    previous?: KubeObject,
  ): void {
    const entry: HistoryEntry = {
      rv: Number(object.metadata.resourceVersion),
      typeId: typeIdOf(state.type),
      change: {
        type,
        resourceType: state.type,
        object,
        ...(previous ? { previous } : {}),
      },
    };
    this.history.add(entry);
    this.hub.dispatch({ entry });
  }
}
