/*
 * The contract between the sandbox's three layers:
 *   store/      an in-memory Kubernetes object store (types, objects, resourceVersions, watch history)
 *   apiserver/  the Kubernetes HTTP API on top of the store (what kubectl and client-node talk to)
 *   kratix/     in-process controllers that emulate Kratix by reading and writing the store
 * Controllers never go through HTTP; HTTP never bypasses the store's rules.
 */

/**
 * The parts of `metadata` the store manages; everything else is kept as the client sent it.
 *
 * @public
 */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: Array<Record<string, unknown>>;
  managedFields?: unknown[];
  generateName?: string;
  [key: string]: unknown;
}

/**
 * A Kubernetes object as the sandbox stores it.
 *
 * @public
 */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/**
 * `additionalPrinterColumns` entry of a CRD version (apiextensions.k8s.io/v1).
 *
 * @public
 */
export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  format?: string;
  priority?: number;
}

/**
 * One kind the store serves, identified by group + plural (its "group resource").
 * Built-in kinds are defined at start; CRDs define and remove types at run time.
 *
 * @public
 */
export interface ResourceType {
  /** '' for the core group (v1 Namespaces, Events). */
  group: string;
  /** Served versions; objects are stored once and served in any of them (CRD conversion "None"). */
  versions: string[];
  /** The version objects are stored as. */
  storageVersion: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  shortNames?: string[];
  categories?: string[];
  namespaced: boolean;
  /** Has a `/status` subresource: the main endpoint ignores status, `/status` ignores everything else. */
  statusSubresource: boolean;
  /** openAPIV3Schema per version, used for validation (422) and pruning of unknown fields. */
  schemas?: Record<string, Record<string, unknown>>;
  /** additionalPrinterColumns per version, for server-side Table output. */
  printerColumns?: Record<string, PrinterColumn[]>;
  /** Served read-only over HTTP (Jobs and Events are views of emulated workflow runs). */
  readOnly?: boolean;
  /**
   * Added: fields usable in field selectors besides metadata.name / metadata.namespace, as dotted
   * paths without the leading dot (e.g. `involvedObject.name` for Events; CRD `selectableFields`).
   */
  selectableFields?: string[];
  /** Added: type-specific behaviour of built-in kinds (not kept in snapshots). */
  hooks?: TypeHooks;
  /**
   * Added: never stored; the API server answers a create with a computed object (access reviews).
   * Discovery and OpenAPI list only `create` for it.
   */
  createOnly?: boolean;
}

/**
 * Added: what a built-in kind's registry strategy does beyond the generic rules.
 *
 * @public
 */
export interface TypeHooks {
  /** Runs on create after status is dropped (status-subresource types) and before validation. */
  prepareForCreate?(object: KubeObject): void;
  /**
   * The name rule on create, instead of the DNS-1123 subdomain most kinds use (RBAC names are path
   * segments: `system:discovery` is valid).
   */
  validateName?(name: string): StatusCause[];
  /** Versioned defaulting (the SetDefaults_* of built-in kinds), on create and update, before validation. */
  applyDefaults?(object: KubeObject): void;
  /** Extra validation on create (previous undefined) and update; causes become a 422. */
  validate?(object: KubeObject, previous?: KubeObject): StatusCause[];
}

/**
 * A typed failure the HTTP layer turns into a Kubernetes `Status` body.
 *
 * @public
 */
export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

/**
 * The event types of a watch.
 *
 * @public
 */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

/**
 * One event of a watch.
 *
 * @public
 */
export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
}

/**
 * A change as in-process controllers see it.
 *
 * @public
 */
export interface StoreChange {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  resourceType: ResourceType;
  object: KubeObject;
  /** The object before the change, for MODIFIED and DELETED. */
  previous?: KubeObject;
}

/**
 * Options of a list: selectors and paging.
 *
 * @public
 */
export interface ListOptions {
  namespace?: string;
  /** Kubernetes label selector syntax: `a=b,c!=d,e in (f,g),!h,i`. */
  labelSelector?: string;
  /** `metadata.name=x`, `metadata.namespace=y` (what kubectl wait and informers send). */
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

/**
 * One page of a list.
 *
 * @public
 */
export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/**
 * Options of a watch.
 *
 * @public
 */
export interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Start after this resourceVersion; a version older than the kept history fails with 410 Gone. */
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
}

/**
 * Added (was inline): delete preconditions and dependents' fate. Objects with finalizers only get
 * `deletionTimestamp` and are removed once an update empties `finalizers`, as in Kubernetes.
 * Dependents (ownerReferences to the deleted uid) are deleted in the background unless 'Orphan'.
 *
 * @public
 */
export interface DeleteOptions {
  dryRun?: boolean;
  resourceVersion?: string;
  uid?: string;
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
}

/** Added: ObjectStore.snapshot() / restore(): types (without hooks), objects and the resourceVersion. */
export interface StoreSnapshot {
  resourceVersion: string;
  types: ResourceType[];
  objects: Array<{ group: string; plural: string; items: KubeObject[] }>;
}

/**
 * The patch formats the sandbox accepts.
 *
 * @public
 */
export type PatchType = 'json' | 'merge' | 'strategic-merge' | 'apply';

/**
 * Options of a write (dry run, field manager).
 *
 * @public
 */
export interface WriteOptions {
  /** Validate and compute the result without storing it (`?dryRun=All`). */
  dryRun?: boolean;
  /** Write the `/status` subresource. */
  subresource?: 'status';
}

/**
 * A resource type is addressed by its group and plural, as Kubernetes does.
 *
 * @public
 */
export interface TypeKey {
  group: string;
  plural: string;
}

/**
 * The in-memory object store (implemented in ObjectStore.ts). Every write assigns a new,
 * cluster-wide increasing resourceVersion, keeps the change in a bounded history for watches, and
 * notifies subscribers synchronously after the write. Errors are thrown as KubeApiError (errors.ts)
 * carrying the HTTP code, reason and causes of the Status the API server answers with.
 *
 * Objects handed out (get, list, write results, events) are deeply frozen: structuredClone one
 * before changing it. Writes made by a subscriber while it is being notified are queued, so every
 * listener sees changes in resourceVersion order; they are all delivered before the outermost
 * write returns. As in Kubernetes, an update that changes nothing stores nothing (same
 * resourceVersion, no event), and create ignores `status` on types with a status subresource.
 *
 * @public
 */
export interface Store {
  defineType(type: ResourceType): void;
  /** Removes a type and all its objects (each emitted as DELETED). */
  removeType(key: TypeKey): void;
  getType(key: TypeKey): ResourceType | undefined;
  /** Finds a type by group + version + plural, singular, short name or kind (case-insensitive). */
  resolveType(
    group: string,
    version: string,
    name: string,
  ): ResourceType | undefined;
  listTypes(): ResourceType[];

  get(
    key: TypeKey,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined;
  list(key: TypeKey, options?: ListOptions): ListResult;
  /** Sets uid, creationTimestamp, generation 1, resourceVersion; 409 AlreadyExists; 422 Invalid. */
  create(key: TypeKey, object: KubeObject, options?: WriteOptions): KubeObject;
  /** 409 Conflict when object.metadata.resourceVersion is set and stale; bumps generation on spec change. */
  update(key: TypeKey, object: KubeObject, options?: WriteOptions): KubeObject;
  patch(
    key: TypeKey,
    namespace: string | undefined,
    name: string,
    patchType: PatchType,
    patch: unknown,
    options?: WriteOptions,
  ): KubeObject;
  delete(
    key: TypeKey,
    namespace: string | undefined,
    name: string,
    options?: DeleteOptions,
  ): KubeObject;

  /**
   * Streams changes after options.resourceVersion (or from now); returns a stop function.
   * Added: `onEnd` is called when the type is removed (the stream is over, as when K8s closes it).
   */
  watch(
    key: TypeKey,
    options: WatchOptions,
    onEvent: (event: WatchEvent) => void,
    onEnd?: () => void,
  ): () => void;
  /** In-process controllers: every change to every type. Returns an unsubscribe function. */
  subscribe(listener: (change: StoreChange) => void): () => void;
  /** The newest resourceVersion handed out. */
  currentResourceVersion(): string;
}
