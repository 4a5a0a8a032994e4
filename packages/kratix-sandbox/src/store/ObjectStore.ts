/*
 * The in-memory Kubernetes object store: the public Store (see types.ts for the contract).
 * Semantics follow the generic apiserver registry. This class keeps the type registry and the
 * create/update/patch/delete entry points; the rest lives in small modules:
 *   tables.ts    the objects, the resourceVersion counter, indexes, recording changes
 *   listing.ts   list with selectors, pagination and point-in-time continue tokens
 *   watchHub.ts  ordered, synchronous fan-out to watches and subscribers
 *   deletion.ts  finalizers, garbage collection of dependents, namespace termination
 *   decode.ts / admission.ts  checking and admitting incoming objects
 */
import { randomUUID } from 'node:crypto';
import { jsonEqual as deepEqual } from './jsonEqual';
import { admit } from './admission';
import { decodeObject } from './decode';
import { checkNestingDepth } from './nesting';
import { Deletion } from './deletion';
import {
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  invalid,
  notFound,
  qualifiedResource,
} from './errors';
import { deepFreeze } from './freeze';
import { WatchHistory } from './history';
import { apiVersionOf, keyOf, NAMESPACES, typeIdOf } from './keys';
import { listObjects } from './listing';
import { generateName, kubeTimestamp } from './names';
import { patchObject } from './patching';
import { Tables, type TypeState } from './tables';
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
import { WatchHub } from './watchHub';

export interface ObjectStoreOptions {
  /** Changes kept for watch replay; older resourceVersions answer 410 Gone. */
  historyLimit?: number;
  /** Interval of BOOKMARK events for watches that allow them (Kubernetes: about a minute). */
  bookmarkIntervalMs?: number;
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
  private readonly hub: WatchHub;
  private readonly tables: Tables;
  private readonly deletion: Deletion;

  constructor(options: ObjectStoreOptions = {}) {
    this.hub = new WatchHub(options.bookmarkIntervalMs ?? 30000);
    this.tables = new Tables(
      new WatchHistory(options.historyLimit ?? 10000),
      this.hub,
    );
    this.deletion = new Deletion(this.tables, {
      commitUpdate: (state, existing, next) =>
        this.commitUpdate(state, existing, next, false),
      delete: (key, namespace, name) => this.delete(key, namespace, name),
    });
  }

  // ---- types

  defineType(type: ResourceType): void {
    if (!type.versions.includes(type.storageVersion)) {
      throw badRequest(
        `storage version ${type.storageVersion} is not among the versions of ${type.plural}`,
      );
    }
    const id = typeIdOf(type);
    const state = this.tables.types.get(id);
    if (state) state.type = type;
    else this.tables.types.set(id, { type, objects: new Map() });
  }

  /** Deletes the type's objects (with events), then ends its watches. */
  removeType(key: TypeKey): void {
    const id = typeIdOf(key);
    const state = this.tables.types.get(id);
    if (!state) return;
    for (const object of [...state.objects.values()]) {
      // Garbage collection may already have taken it.
      if (
        state.objects.has(
          keyOf(object.metadata.namespace, object.metadata.name),
        )
      ) {
        this.deletion.finalDelete(state, object, 'Background');
      }
    }
    this.tables.types.delete(id);
    this.hub.dispatch({ endOf: id });
  }

  getType(key: TypeKey): ResourceType | undefined {
    return this.tables.types.get(typeIdOf(key))?.type;
  }

  resolveType(
    group: string,
    version: string,
    name: string,
  ): ResourceType | undefined {
    const lower = name.toLowerCase();
    const candidates = this.listTypes().filter(
      t => t.group === group && t.versions.includes(version),
    );
    return (
      candidates.find(t => t.plural === lower) ??
      candidates.find(t => t.singular === lower) ??
      candidates.find(t => t.shortNames?.includes(lower)) ??
      candidates.find(t => t.kind.toLowerCase() === lower)
    );
  }

  listTypes(): ResourceType[] {
    return [...this.tables.types.values()].map(s => s.type);
  }

  currentResourceVersion(): string {
    return String(this.tables.rv);
  }

  // ---- reads

  get(
    key: TypeKey,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    const state = this.tables.types.get(typeIdOf(key));
    if (!state) return undefined;
    return state.objects.get(
      keyOf(state.type.namespaced ? namespace : undefined, name),
    );
  }

  list(key: TypeKey, options: ListOptions = {}): ListResult {
    return listObjects(
      this.tables.requireType(key),
      options,
      this.tables.history,
      this.tables.rv,
    );
  }

  // ---- writes

  create(
    key: TypeKey,
    input: KubeObject,
    options: WriteOptions = {},
  ): KubeObject {
    const state = this.tables.requireType(key);
    const type = state.type;
    if (options.subresource) throw methodNotAllowedOnStatus(key);
    const object = decodeObject(type, input);
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
    // A strategy may name the uid itself (the Job's generated selector holds it).
    const presetUid =
      typeof meta.uid === 'string' && meta.uid ? meta.uid : undefined;
    admit(type, object, undefined);
    if (state.objects.has(keyOf(meta.namespace, meta.name)))
      throw alreadyExists(key, meta.name);
    object.apiVersion = apiVersionOf(type.group, type.storageVersion);
    object.metadata = {
      ...meta,
      uid: presetUid ?? randomUUID(),
      creationTimestamp: kubeTimestamp(),
      generation: 1,
    };
    if (options.dryRun) return deepFreeze(object);
    object.metadata.resourceVersion = this.tables.nextResourceVersion();
    const stored = deepFreeze(object);
    this.tables.put(state, stored);
    this.tables.record(state, 'ADDED', stored, undefined);
    return stored;
  }

  update(
    key: TypeKey,
    input: KubeObject,
    options: WriteOptions = {},
  ): KubeObject {
    const state = this.tables.requireType(key);
    const type = state.type;
    const object = decodeObject(type, input);
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
    const state = this.tables.requireType(key);
    // Before merging: the merge recurses too (see nesting.ts).
    checkNestingDepth(patch);
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
    const state = this.tables.requireType(key);
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
    return this.deletion.delete(state, existing, options.propagationPolicy);
  }

  // ---- watch and subscribe

  watch(
    key: TypeKey,
    options: WatchOptions,
    onEvent: (event: WatchEvent) => void,
    onEnd?: () => void,
  ): () => void {
    const state = this.tables.requireType(key);
    return this.hub.watch(state, options, onEvent, onEnd, {
      history: this.tables.history,
      currentRv: () => this.tables.rv,
      listCurrent: () =>
        this.list(key, {
          namespace: options.namespace,
          labelSelector: options.labelSelector,
          fieldSelector: options.fieldSelector,
        }).items,
    });
  }

  subscribe(listener: (change: StoreChange) => void): () => void {
    return this.hub.subscribe(listener);
  }

  // ---- snapshots

  snapshot(): StoreSnapshot {
    return {
      resourceVersion: String(this.tables.rv),
      types: this.listTypes().map(({ hooks: _hooks, ...type }) =>
        structuredClone(type),
      ),
      objects: [...this.tables.types.values()].map(s => ({
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
      const state = this.tables.types.get(typeIdOf({ group, plural }));
      if (!state) continue;
      for (const object of [...state.objects.values()])
        this.tables.unput(state, object);
      for (const object of items)
        this.tables.put(state, deepFreeze(structuredClone(object)));
    }
    this.tables.restartAt(Number(snapshot.resourceVersion));
  }

  // ---- internals

  private checkNamespaceWritable(
    key: TypeKey,
    namespace: string,
    name: string,
  ): void {
    const namespaces = this.tables.types.get(typeIdOf(NAMESPACES));
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
      return this.deletion.finalDelete(
        state,
        deepFreeze(next),
        'Background',
        existing,
      );
    }
    next.metadata.resourceVersion = this.tables.nextResourceVersion();
    const stored = deepFreeze(next);
    this.tables.unput(state, existing);
    this.tables.put(state, stored);
    this.tables.record(state, 'MODIFIED', stored, existing);
    return stored;
  }
}

function methodNotAllowedOnStatus(key: TypeKey) {
  return badRequest(
    `cannot create ${qualifiedResource(key)} through the status subresource`,
  );
}
