/*
 * What happens after a delete passes its preconditions: finalizers defer it (deletionTimestamp),
 * the final delete garbage-collects dependents through their ownerReferences, and a namespace
 * terminates by deleting its content, going away once it is empty.
 */
import { deepFreeze } from './freeze';
import { keyOf, NAMESPACES, typeIdOf } from './keys';
import { kubeTimestamp } from './names';
import type { Tables, TypeState } from './tables';
import type { DeleteOptions, KubeObject, TypeKey } from './types';

type Propagation = DeleteOptions['propagationPolicy'];

/** The ObjectStore operations deletion goes back through (so their checks and events apply). */
export interface DeletionHost {
  /** Stores `next` as the new state of `existing` (ObjectStore's update path, not a dry run). */
  commitUpdate(
    state: TypeState,
    existing: KubeObject,
    next: KubeObject,
  ): KubeObject;
  /** The public delete with default options. */
  delete(key: TypeKey, namespace: string | undefined, name: string): KubeObject;
}

export class Deletion {
  constructor(
    private readonly tables: Tables,
    private readonly host: DeletionHost,
  ) {}

  /** Deletes `existing` (preconditions already checked, not a dry run). */
  delete(
    state: TypeState,
    existing: KubeObject,
    propagation: Propagation,
  ): KubeObject {
    if (typeIdOf(state.type) === typeIdOf(NAMESPACES))
      return this.terminateNamespace(state, existing);
    if (existing.metadata.finalizers?.length) {
      // Finalizers hold the object: mark it, and delete it when the last one is removed.
      if (existing.metadata.deletionTimestamp) return existing;
      const next = structuredClone(existing);
      next.metadata.deletionTimestamp = kubeTimestamp();
      next.metadata.deletionGracePeriodSeconds = 0;
      return this.host.commitUpdate(state, existing, next);
    }
    return this.finalDelete(state, existing, propagation ?? 'Background');
  }

  /** Removes the object for good, then its dependents (garbage collection) unless orphaned. */
  finalDelete(
    state: TypeState,
    finalState: KubeObject,
    propagation: Propagation,
    previous: KubeObject = finalState,
  ): KubeObject {
    const current = state.objects.get(
      keyOf(previous.metadata.namespace, previous.metadata.name),
    );
    if (current) this.tables.unput(state, current);
    const deleted = deepFreeze({
      ...finalState,
      metadata: {
        ...finalState.metadata,
        resourceVersion: this.tables.nextResourceVersion(),
      },
    });
    this.tables.record(state, 'DELETED', deleted, previous);
    if (propagation !== 'Orphan' && deleted.metadata.uid)
      this.collectDependents(deleted.metadata.uid);
    const namespace = deleted.metadata.namespace;
    if (namespace && !this.tables.namespaceHasObjects(namespace))
      this.finishNamespace(namespace);
    return deleted;
  }

  private collectDependents(uid: string): void {
    for (const { typeId, key } of this.tables.dependentsOf(uid)) {
      const state = this.tables.types.get(typeId);
      const object = state?.objects.get(key);
      if (!state || !object) continue;
      this.host.delete(
        state.type,
        object.metadata.namespace,
        object.metadata.name,
      );
    }
  }

  /** Namespace deletion: Terminating, its content deleted, then gone once empty. */
  private terminateNamespace(
    state: TypeState,
    existing: KubeObject,
  ): KubeObject {
    const name = existing.metadata.name;
    let current = existing;
    if (!existing.metadata.deletionTimestamp) {
      const next = structuredClone(existing);
      next.metadata.deletionTimestamp = kubeTimestamp();
      next.status = { ...(next.status as object), phase: 'Terminating' };
      current = this.host.commitUpdate(state, existing, next);
    }
    for (const other of [...this.tables.types.values()]) {
      if (!other.type.namespaced) continue;
      for (const object of [...other.objects.values()]) {
        if (object.metadata.namespace !== name) continue;
        if (other.objects.has(keyOf(name, object.metadata.name))) {
          this.host.delete(other.type, name, object.metadata.name);
        }
      }
    }
    this.finishNamespace(name);
    return state.objects.get(keyOf(undefined, name)) ?? current;
  }

  /** Deletes a Terminating namespace once nothing is left in it. */
  private finishNamespace(name: string): void {
    const state = this.tables.types.get(typeIdOf(NAMESPACES));
    const ns = state?.objects.get(keyOf(undefined, name));
    if (
      !state ||
      !ns?.metadata.deletionTimestamp ||
      this.tables.namespaceHasObjects(name)
    )
      return;
    this.finalDelete(state, ns, 'Background');
  }
}
