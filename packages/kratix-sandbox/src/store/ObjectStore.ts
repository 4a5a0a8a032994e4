/*
 * The in-memory Kubernetes object store: one Map per type keyed `namespace/name`, one cluster-wide
 * resourceVersion, a bounded change history for watches, and synchronous change notification.
 * Semantics follow the generic apiserver registry (see types.ts for the contract).
 */
import { randomUUID } from 'node:crypto';
import { jsonEqual as deepEqual } from './jsonEqual';
import { admit, versionOf } from './admission';
import { decodeContinue, encodeContinue } from './continueToken';
import {
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  gone,
  invalid,
  notFound,
  qualifiedResource,
  resourceNotFound,
} from './errors';
import { deepFreeze } from './freeze';
import { type HistoryEntry, WatchHistory } from './history';
import { generateName, kubeTimestamp } from './names';
import { patchObject } from './patching';
import { objectFilter } from './selectors';
import type {
  DeleteOptions,
  KubeObject,
  ListOptions,
  ListResult,
  PatchType,
  ResourceType,
  Store,
  StoreChange,
  StoreSnapshot,
  TypeKey,
  WatchEvent,
  WatchOptions,
  WriteOptions,
} from './types';
import { bookmarkObject, watchEventFor } from './watchers';

export interface ObjectStoreOptions {
  /** Changes kept for watch replay; older resourceVersions answer 410 Gone. */
  historyLimit?: number;
  /** Interval of BOOKMARK events for watches that allow them (Kubernetes: about a minute). */
  bookmarkIntervalMs?: number;
}

interface TypeState {
  type: ResourceType;
  objects: Map<string, KubeObject>;
}

type Dispatch = { entry: HistoryEntry } | { endOf: string };
type Listener = (item: Dispatch) => void;

const NAMESPACES: TypeKey = { group: '', plural: 'namespaces' };
const typeIdOf = (key: TypeKey) => `${key.group}/${key.plural}`;
const keyOf = (namespace: string | undefined, name: string) =>
  `${namespace ?? ''}/${name}`;
const apiVersionOf = (group: string, version: string) =>
  group ? `${group}/${version}` : version;

function parseResourceVersion(value: string): number {
  if (!/^\d+$/.test(value))
    throw badRequest(`invalid resource version: ${value}`);
  return Number(value);
}

/** The part of an object whose change bumps metadata.generation. */
function generationRelevant(
  object: KubeObject,
  statusSubresource: boolean,
): Record<string, unknown> {
  const { metadata: _metadata, ...rest } = object;
  if (statusSubresource) delete rest.status;
  return rest;
}

export class ObjectStore implements Store {
  private readonly types = new Map<string, TypeState>();
  private rv = 0;
  private readonly history: WatchHistory;
  private readonly listeners = new Set<Listener>();
  private readonly pending: Dispatch[] = [];
  private dispatching = false;
  /** owner uid → `typeId\0namespace/name` of dependents, for background garbage collection. */
  private readonly dependents = new Map<string, Set<string>>();
  /** namespace → number of namespaced objects in it, to finish namespace termination. */
  private readonly namespaceCounts = new Map<string, number>();
  private readonly bookmarkIntervalMs: number;

  constructor(options: ObjectStoreOptions = {}) {
    this.history = new WatchHistory(options.historyLimit ?? 10000);
    this.bookmarkIntervalMs = options.bookmarkIntervalMs ?? 30000;
  }

  // ---- types

  defineType(type: ResourceType): void {
    if (!type.versions.includes(type.storageVersion)) {
      throw badRequest(
        `storage version ${type.storageVersion} is not among the versions of ${type.plural}`,
      );
    }
    const id = typeIdOf(type);
    const state = this.types.get(id);
    if (state) state.type = type;
    else this.types.set(id, { type, objects: new Map() });
  }

  removeType(key: TypeKey): void {
    const id = typeIdOf(key);
    const state = this.types.get(id);
    if (!state) return;
    for (const object of [...state.objects.values()]) {
      if (
        state.objects.has(
          keyOf(object.metadata.namespace, object.metadata.name),
        )
      ) {
        this.finalDelete(state, object, 'Background');
      }
    }
    this.types.delete(id);
    this.dispatch({ endOf: id });
  }

  getType(key: TypeKey): ResourceType | undefined {
    return this.types.get(typeIdOf(key))?.type;
  }

  resolveType(
    group: string,
    version: string,
    name: string,
  ): ResourceType | undefined {
    const lower = name.toLowerCase();
    const candidates = [...this.types.values()]
      .map(s => s.type)
      .filter(t => t.group === group && t.versions.includes(version));
    return (
      candidates.find(t => t.plural === lower) ??
      candidates.find(t => t.singular === lower) ??
      candidates.find(t => t.shortNames?.includes(lower)) ??
      candidates.find(t => t.kind.toLowerCase() === lower)
    );
  }

  listTypes(): ResourceType[] {
    return [...this.types.values()].map(s => s.type);
  }

  currentResourceVersion(): string {
    return String(this.rv);
  }

  // ---- reads

  get(
    key: TypeKey,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    const state = this.types.get(typeIdOf(key));
    if (!state) return undefined;
    return state.objects.get(
      keyOf(state.type.namespaced ? namespace : undefined, name),
    );
  }

  list(key: TypeKey, options: ListOptions = {}): ListResult {
    const state = this.requireType(key);
    const matches = objectFilter(state.type, options);
    let snapshotRv = this.rv;
    let start: string | undefined;
    if (options.continue) {
      const position = decodeContinue(options.continue);
      if (!this.history.isAvailable(position.rv)) {
        throw gone(
          'The provided continue parameter is too old to display a consistent list result. ' +
            'You can start a new list without the continue parameter.',
        );
      }
      snapshotRv = position.rv;
      start = position.start;
    }
    const entries: Array<[string, KubeObject]> = [];
    for (const [k, object] of this.objectsAt(state, snapshotRv)) {
      if ((start === undefined || k > start) && matches(object))
        entries.push([k, object]);
    }
    // Plain code-unit order (as etcd keys sort), not locale order.
    entries.sort((a, b) => {
      if (a[0] === b[0]) return 0;
      return a[0] < b[0] ? -1 : 1;
    });
    const limit =
      options.limit && options.limit > 0 ? options.limit : undefined;
    const page = limit !== undefined ? entries.slice(0, limit) : entries;
    const result: ListResult = {
      items: page.map(e => e[1]),
      resourceVersion: String(snapshotRv),
    };
    if (limit !== undefined && entries.length > limit) {
      result.continue = encodeContinue({
        rv: snapshotRv,
        start: page[page.length - 1][0],
      });
      result.remainingItemCount = entries.length - limit;
    }
    return result;
  }

  /** The type's objects as of `rv`: current ones with later changes rolled back from history. */
  private objectsAt(
    state: TypeState,
    rv: number,
  ): Iterable<[string, KubeObject]> {
    if (rv >= this.rv) return state.objects.entries();
    const view = new Map(state.objects);
    const id = typeIdOf(state.type);
    const later = this.history.after(rv);
    for (let i = later.length - 1; i >= 0; i--) {
      const { typeId, change } = later[i];
      if (typeId !== id) continue;
      const k = keyOf(
        change.object.metadata.namespace,
        change.object.metadata.name,
      );
      if (change.type === 'ADDED') view.delete(k);
      else if (change.previous) view.set(k, change.previous);
    }
    return view.entries();
  }

  // ---- writes

  create(
    key: TypeKey,
    input: KubeObject,
    options: WriteOptions = {},
  ): KubeObject {
    const state = this.requireType(key);
    const type = state.type;
    if (options.subresource) throw methodNotAllowedOnStatus(key);
    const object = this.decode(type, input);
    const meta = object.metadata;
    if (type.namespaced) {
      if (!meta.namespace) {
        throw invalid(type.group, type.kind, meta.name ?? '', [
          {
            reason: 'FieldValueRequired',
            field: 'metadata.namespace',
            message: 'Required value',
          },
        ]);
      }
      this.checkNamespaceWritable(
        key,
        meta.namespace,
        meta.name ?? meta.generateName ?? '',
      );
    } else {
      delete meta.namespace;
    }
    if (!meta.name) {
      if (!meta.generateName) {
        throw invalid(type.group, type.kind, '', [
          {
            reason: 'FieldValueRequired',
            field: 'metadata.name',
            message: 'Required value: name or generateName is required',
          },
        ]);
      }
      do meta.name = generateName(meta.generateName);
      while (state.objects.has(keyOf(meta.namespace, meta.name)));
    }
    for (const field of [
      'uid',
      'resourceVersion',
      'generation',
      'creationTimestamp',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
      'selfLink',
    ]) {
      delete meta[field];
    }
    if (type.statusSubresource) delete object.status;
    type.hooks?.prepareForCreate?.(object);
    admit(type, object, undefined);
    if (state.objects.has(keyOf(meta.namespace, meta.name)))
      throw alreadyExists(key, meta.name);
    object.apiVersion = apiVersionOf(type.group, type.storageVersion);
    object.metadata = {
      ...meta,
      uid: randomUUID(),
      creationTimestamp: kubeTimestamp(),
      generation: 1,
    };
    if (options.dryRun) return deepFreeze(object);
    object.metadata.resourceVersion = String(++this.rv);
    const stored = deepFreeze(object);
    this.put(state, stored);
    this.record(state, 'ADDED', stored, undefined);
    return stored;
  }

  update(
    key: TypeKey,
    input: KubeObject,
    options: WriteOptions = {},
  ): KubeObject {
    const state = this.requireType(key);
    const type = state.type;
    const object = this.decode(type, input);
    const name = object.metadata.name;
    const namespace = type.namespaced ? object.metadata.namespace : undefined;
    if (!name) throw badRequest('name is required');
    const existing = state.objects.get(keyOf(namespace, name));
    if (!existing) throw notFound(key, name);
    this.checkPreconditions(
      key,
      existing,
      object.metadata.resourceVersion,
      object.metadata.uid,
    );

    let next: KubeObject;
    if (options.subresource === 'status') {
      if (!type.statusSubresource) throw notFound(key, name);
      next = { ...structuredClone(existing), apiVersion: object.apiVersion };
      if (object.status === undefined) delete next.status;
      else next.status = object.status;
    } else {
      next = object;
      if (type.statusSubresource) {
        if (existing.status === undefined) delete next.status;
        else next.status = structuredClone(existing.status);
      }
      const kept = existing.metadata;
      next.metadata = {
        ...object.metadata,
        name: kept.name,
        uid: kept.uid,
        creationTimestamp: kept.creationTimestamp,
        generation: kept.generation,
      };
      if (kept.namespace !== undefined)
        next.metadata.namespace = kept.namespace;
      else delete next.metadata.namespace;
      for (const field of ['deletionTimestamp', 'deletionGracePeriodSeconds']) {
        if (kept[field] !== undefined) next.metadata[field] = kept[field];
        else delete next.metadata[field];
      }
    }
    next.metadata.resourceVersion = existing.metadata.resourceVersion;
    admit(type, next, existing);
    next.apiVersion = existing.apiVersion;
    return this.commitUpdate(state, existing, next, options.dryRun);
  }

  patch(
    key: TypeKey,
    namespace: string | undefined,
    name: string,
    patchType: PatchType,
    patch: unknown,
    options: WriteOptions = {},
  ): KubeObject {
    const state = this.requireType(key);
    const ns = state.type.namespaced ? namespace : undefined;
    const existing = state.objects.get(keyOf(ns, name));
    if (!existing) {
      if (patchType !== 'apply' || options.subresource)
        throw notFound(key, name);
      // Server-side apply creates what does not exist yet.
      const object = structuredClone(patch) as KubeObject;
      object.metadata = {
        ...(object.metadata ?? {}),
        name,
        ...(ns ? { namespace: ns } : {}),
      };
      return this.create(key, object, { dryRun: options.dryRun });
    }
    const base: KubeObject = structuredClone(existing);
    // A patch is unconditional unless it carries a resourceVersion of its own.
    delete base.metadata.resourceVersion;
    const patched = patchObject(base, patchType, patch);
    if (!patched.metadata || typeof patched.metadata !== 'object')
      throw badRequest('metadata must be an object');
    if (patched.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${patched.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    patched.metadata.namespace = existing.metadata.namespace;
    if (patched.metadata.namespace === undefined)
      delete patched.metadata.namespace;
    patched.apiVersion = existing.apiVersion;
    patched.kind = existing.kind;
    return this.update(key, patched, options);
  }

  delete(
    key: TypeKey,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
  ): KubeObject {
    const state = this.requireType(key);
    const existing = state.objects.get(
      keyOf(state.type.namespaced ? namespace : undefined, name),
    );
    if (!existing) throw notFound(key, name);
    this.checkPreconditions(
      key,
      existing,
      options.resourceVersion,
      options.uid,
    );
    if (options.dryRun) return existing;
    if (typeIdOf(key) === typeIdOf(NAMESPACES))
      return this.terminateNamespace(state, existing);
    if (existing.metadata.finalizers?.length) {
      if (existing.metadata.deletionTimestamp) return existing;
      const next = structuredClone(existing);
      next.metadata.deletionTimestamp = kubeTimestamp();
      next.metadata.deletionGracePeriodSeconds = 0;
      return this.commitUpdate(state, existing, next, false);
    }
    return this.finalDelete(
      state,
      existing,
      options.propagationPolicy ?? 'Background',
    );
  }

  // ---- watch and subscribe

  watch(
    key: TypeKey,
    options: WatchOptions,
    onEvent: (event: WatchEvent) => void,
    onEnd?: () => void,
  ): () => void {
    const state = this.requireType(key);
    const id = typeIdOf(key);
    const matches = objectFilter(state.type, options);
    const rv = options.resourceVersion;
    const from = rv && rv !== '0' ? parseResourceVersion(rv) : undefined;
    const replay = from !== undefined ? this.history.after(from) : [];

    let delivered = from ?? this.rv;
    let stopped = false;
    const deliver = (entry: HistoryEntry) => {
      if (stopped || entry.typeId !== id || entry.rv <= delivered) return;
      delivered = entry.rv;
      const event = watchEventFor(entry.change, matches);
      if (event) onEvent(event);
    };
    let timer: NodeJS.Timeout | undefined = undefined;
    const listener: Listener = item => {
      if ('entry' in item) deliver(item.entry);
      else if (item.endOf === id && !stopped) {
        stopped = true;
        this.listeners.delete(listener);
        if (timer) clearInterval(timer);
        onEnd?.();
      }
    };
    const stop = () => {
      stopped = true;
      this.listeners.delete(listener);
      if (timer) clearInterval(timer);
    };

    if (from === undefined) {
      // No resourceVersion (or "0"): the current state as synthetic ADDED events, then live.
      for (const object of this.list(key, {
        namespace: options.namespace,
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
      }).items) {
        if (stopped) break;
        onEvent({ type: 'ADDED', object });
      }
    } else {
      for (const entry of replay) deliver(entry);
    }
    delivered = Math.max(delivered, this.rv);
    if (stopped) return stop;
    this.listeners.add(listener);
    if (options.allowWatchBookmarks) {
      timer = setInterval(() => {
        if (!stopped)
          onEvent({
            type: 'BOOKMARK',
            object: bookmarkObject(state.type, String(this.rv)),
          });
      }, this.bookmarkIntervalMs);
      timer.unref();
    }
    return stop;
  }

  subscribe(listener: (change: StoreChange) => void): () => void {
    const wrapped: Listener = item => {
      if ('entry' in item) listener(item.entry.change);
    };
    this.listeners.add(wrapped);
    return () => {
      this.listeners.delete(wrapped);
    };
  }

  // ---- snapshots

  snapshot(): StoreSnapshot {
    return {
      resourceVersion: String(this.rv),
      types: this.listTypes().map(({ hooks: _hooks, ...type }) =>
        structuredClone(type),
      ),
      objects: [...this.types.values()].map(s => ({
        group: s.type.group,
        plural: s.type.plural,
        items: [...s.objects.values()],
      })),
    };
  }

  /** Loads a snapshot without events; types already defined (built-ins, with hooks) are kept. */
  restore(snapshot: StoreSnapshot): void {
    for (const type of snapshot.types)
      if (!this.getType(type)) this.defineType(type);
    for (const { group, plural, items } of snapshot.objects) {
      const state = this.types.get(typeIdOf({ group, plural }));
      if (!state) continue;
      for (const object of [...state.objects.values()])
        this.unput(state, object);
      for (const object of items)
        this.put(state, deepFreeze(structuredClone(object)));
    }
    this.rv = Math.max(this.rv, Number(snapshot.resourceVersion));
    this.history.reset(this.rv);
  }

  // ---- internals

  private requireType(key: TypeKey): TypeState {
    const state = this.types.get(typeIdOf(key));
    if (!state) throw resourceNotFound();
    return state;
  }

  /** A private, mutable copy with apiVersion and kind checked (filled in when absent). */
  private decode(type: ResourceType, input: KubeObject): KubeObject {
    const object = structuredClone(input) as KubeObject;
    const expected = apiVersionOf(type.group, type.storageVersion);
    if (!object.apiVersion) object.apiVersion = expected;
    const group = object.apiVersion.includes('/')
      ? object.apiVersion.split('/')[0]
      : '';
    if (
      group !== type.group ||
      !type.versions.includes(versionOf(object.apiVersion))
    ) {
      throw badRequest(
        `the API version in the data (${object.apiVersion}) does not match the expected API version (${expected})`,
      );
    }
    if (!object.kind) object.kind = type.kind;
    if (object.kind !== type.kind) {
      throw badRequest(
        `the kind in the data (${object.kind}) does not match the expected kind (${type.kind})`,
      );
    }
    if (!object.metadata || typeof object.metadata !== 'object')
      object.metadata = { name: '' };
    return object;
  }

  private checkNamespaceWritable(
    key: TypeKey,
    namespace: string,
    name: string,
  ): void {
    const namespaces = this.types.get(typeIdOf(NAMESPACES));
    if (!namespaces) return;
    const ns = namespaces.objects.get(keyOf(undefined, namespace));
    if (!ns) throw notFound(NAMESPACES, namespace);
    if (ns.metadata.deletionTimestamp) {
      throw forbidden(
        `${qualifiedResource(
          key,
        )} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
        { name, group: key.group, kind: key.plural },
      );
    }
  }

  private checkPreconditions(
    key: TypeKey,
    existing: KubeObject,
    rv?: string,
    uid?: string,
  ): void {
    if (uid && uid !== existing.metadata.uid) {
      throw conflict(
        key,
        existing.metadata.name,
        `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${existing.metadata.uid}`,
      );
    }
    if (rv && rv !== existing.metadata.resourceVersion)
      throw conflict(key, existing.metadata.name);
  }

  /** Stores `next` as the new state of `existing`, unless nothing changed (then no write at all). */
  private commitUpdate(
    state: TypeState,
    existing: KubeObject,
    next: KubeObject,
    dryRun?: boolean,
  ): KubeObject {
    next.metadata.resourceVersion = existing.metadata.resourceVersion;
    if (deepEqual(next, existing)) return existing;
    const sub = state.type.statusSubresource;
    if (
      !deepEqual(
        generationRelevant(next, sub),
        generationRelevant(existing, sub),
      )
    ) {
      next.metadata.generation = (existing.metadata.generation ?? 0) + 1;
    }
    if (dryRun) return deepFreeze(next);
    if (next.metadata.deletionTimestamp && !next.metadata.finalizers?.length) {
      // The last finalizer is gone: the deletion that was waiting for it happens now.
      return this.finalDelete(state, deepFreeze(next), 'Background', existing);
    }
    next.metadata.resourceVersion = String(++this.rv);
    const stored = deepFreeze(next);
    this.unput(state, existing);
    this.put(state, stored);
    this.record(state, 'MODIFIED', stored, existing);
    return stored;
  }

  /** Removes the object for good, then its dependents (garbage collection) unless orphaned. */
  private finalDelete(
    state: TypeState,
    finalState: KubeObject,
    propagation: DeleteOptions['propagationPolicy'],
    previous: KubeObject = finalState,
  ): KubeObject {
    const current = state.objects.get(
      keyOf(previous.metadata.namespace, previous.metadata.name),
    );
    if (current) this.unput(state, current);
    const deleted = deepFreeze({
      ...finalState,
      metadata: { ...finalState.metadata, resourceVersion: String(++this.rv) },
    });
    this.record(state, 'DELETED', deleted, previous);
    if (propagation !== 'Orphan' && deleted.metadata.uid)
      this.collectDependents(deleted.metadata.uid);
    const namespace = deleted.metadata.namespace;
    if (namespace && !this.namespaceCounts.get(namespace))
      this.finishNamespace(namespace);
    return deleted;
  }

  private collectDependents(uid: string): void {
    const refs = this.dependents.get(uid);
    if (!refs) return;
    for (const ref of [...refs]) {
      const [typeId, k] = ref.split('\0');
      const state = this.types.get(typeId);
      const object = state?.objects.get(k);
      if (!state || !object) continue;
      this.delete(state.type, object.metadata.namespace, object.metadata.name);
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
      current = this.commitUpdate(state, existing, next, false);
    }
    for (const other of [...this.types.values()]) {
      if (!other.type.namespaced) continue;
      for (const object of [...other.objects.values()]) {
        if (object.metadata.namespace !== name) continue;
        if (other.objects.has(keyOf(name, object.metadata.name))) {
          this.delete(other.type, name, object.metadata.name);
        }
      }
    }
    this.finishNamespace(name);
    return state.objects.get(keyOf(undefined, name)) ?? current;
  }

  private finishNamespace(name: string): void {
    const state = this.types.get(typeIdOf(NAMESPACES));
    const ns = state?.objects.get(keyOf(undefined, name));
    if (
      !state ||
      !ns?.metadata.deletionTimestamp ||
      this.namespaceCounts.get(name)
    )
      return;
    this.finalDelete(state, ns, 'Background');
  }

  private put(state: TypeState, object: KubeObject): void {
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

  private unput(state: TypeState, object: KubeObject): void {
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

  private record(
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
    this.dispatch({ entry });
  }

  /** Delivers in order; writes made by listeners are queued behind the change being delivered. */
  private dispatch(item: Dispatch): void {
    this.pending.push(item);
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      for (let i = 0; i < this.pending.length; i++) {
        for (const listener of [...this.listeners]) {
          try {
            listener(this.pending[i]);
          } catch (error) {
            // A failing listener must not undo or block a write that already happened.
            process.emitWarning(
              `store listener failed: ${(error as Error).stack ?? error}`,
            );
          }
        }
      }
    } finally {
      this.pending.length = 0;
      this.dispatching = false;
    }
  }
}

function methodNotAllowedOnStatus(key: TypeKey) {
  return badRequest(
    `cannot create ${qualifiedResource(key)} through the status subresource`,
  );
}
