/*
 * Everything Backstage knows about one platform cluster: its Promises (watched), one watched cache
 * per Promise's Resource kind (started and stopped as Promises come and go, with the kind read from
 * spec.api), watched workflow Jobs and Works (with their placements and Destinations), and direct
 * calls for what is not cached (Events, creation).
 */
import {
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
  type KubernetesListObject,
  type V1Job,
  type CoreV1Event,
} from '@kubernetes/client-node';
import {
  getPromiseApi,
  KRATIX_ENTITY_REF_ANNOTATION,
  normalizeEntityRef,
  type KratixPromiseApi,
  type KratixWorkView,
  type KratixPromiseObject,
  type KratixResourceObject,
} from '@kratix-backstage/plugin-kratix-common';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { AuthenticationError, NotAllowedError } from '@backstage/errors';
import { KindWatcher, type WatchChange } from './KindWatcher';
import { EntityRefIndex } from './EntityRefIndex';
import { WorkflowJobs } from './WorkflowJobs';
import { PodLogs } from './PodLogs';
import {
  ResourceWorks,
  type WorkChange,
  type WorkOwner,
} from './ResourceWorks';
import { kubeStatusCode, toClusterError } from './clusterErrors';
import { AccessReviews } from './userAuth/AccessReviews';
import type {
  KratixCaller,
  KratixClusterUserAuth,
} from './userAuth/clusterUserAuth';
import { UserCalls } from './userAuth/UserCalls';

const KRATIX_GROUP = 'platform.kratix.io';
const KRATIX_VERSION = 'v1alpha1';

/**
 * A Promise's Resource kind on one cluster.
 *
 * @public
 */
export interface ResourceKind extends KratixPromiseApi {
  cluster: string;
  promise: string;
}

/**
 * A change to a Resource that a watch saw.
 *
 * @public
 */
export interface ResourceChange {
  cluster: string;
  kind: ResourceKind;
  type: WatchChange<unknown>['type'];
  object: KratixResourceObject;
  /** Set when what changed is one of the Resource's Works or WorkPlacements, not the Resource. */
  work?: WorkChange;
}

interface KindEntry {
  kind: ResourceKind;
  watcher: KindWatcher<KratixResourceObject & { metadata: any }>;
  /** The kind's Resources by the entity their entity-ref annotation names. */
  byEntity: EntityRefIndex;
}

export interface ClusterConnectionOptions {
  name: string;
  kubeConfig: KubeConfig;
  requestTimeoutMs: number;
  logger: LoggerService;
  onResourceChange: (change: ResourceChange) => void;
  /** Every change to a workflow Job the watch sees. */
  onJobChange?: (change: WatchChange<V1Job>) => void;
  initialBackoffMs?: number;
  /** Per-user auth: writes run as the caller, and what a user is shown is reviewed for them. */
  userAuth?: KratixClusterUserAuth;
  /** How long an access review's answer is reused (kratix.cache.clusterAccessSeconds). */
  accessCacheMs?: number;
}

const sameKind = (a: KratixPromiseApi, b: KratixPromiseApi) =>
  a.group === b.group && a.version === b.version && a.plural === b.plural;

export class ClusterConnection {
  readonly name: string;
  private readonly options: ClusterConnectionOptions;
  private readonly custom: CustomObjectsApi;
  private readonly batch: BatchV1Api;
  private readonly core: CoreV1Api;
  private readonly promises: KindWatcher<
    KratixPromiseObject & { metadata: any }
  >;
  private readonly kinds = new Map<string, KindEntry>();
  private readonly jobs: WorkflowJobs;
  private readonly works: ResourceWorks;
  /** The workflow Pods and their logs, read when asked. */
  readonly podLogs: PodLogs;
  /** Set when the cluster acts as each user (auth.type impersonate or oidc). */
  readonly userCalls?: UserCalls;
  readonly accessReviews?: AccessReviews;

  constructor(options: ClusterConnectionOptions) {
    this.options = options;
    this.name = options.name;
    this.custom = options.kubeConfig.makeApiClient(CustomObjectsApi);
    this.batch = options.kubeConfig.makeApiClient(BatchV1Api);
    this.core = options.kubeConfig.makeApiClient(CoreV1Api);
    if (options.userAuth) {
      const user = {
        cluster: this.name,
        kubeConfig: options.kubeConfig,
        userAuth: options.userAuth,
      };
      this.userCalls = new UserCalls(user);
      this.accessReviews = new AccessReviews({
        ...user,
        cacheMs: options.accessCacheMs ?? 10_000,
      });
    }
    this.jobs = new WorkflowJobs({
      cluster: this.name,
      kubeConfig: options.kubeConfig,
      batch: this.batch,
      initialBackoffMs: options.initialBackoffMs,
      onChange: options.onJobChange,
    });
    this.podLogs = new PodLogs({
      cluster: this.name,
      kubeConfig: options.kubeConfig,
      core: this.core,
      requestTimeoutMs: options.requestTimeoutMs,
    });
    this.works = new ResourceWorks({
      cluster: this.name,
      kubeConfig: options.kubeConfig,
      custom: this.custom,
      initialBackoffMs: options.initialBackoffMs,
      onError: (error, cause) =>
        options.logger.warn(
          `Kratix cluster ${this.name}: Works: ${error.message}`,
          { cause: String(cause) },
        ),
      onChange: (owner, changed) => this.worksChanged(owner, changed),
    });
    this.promises = new KindWatcher({
      cluster: this.name,
      kubeConfig: options.kubeConfig,
      path: `/apis/${KRATIX_GROUP}/${KRATIX_VERSION}/promises`,
      list: () =>
        this.custom.listClusterCustomObject({
          group: KRATIX_GROUP,
          version: KRATIX_VERSION,
          plural: 'promises',
        }) as Promise<
          KubernetesListObject<KratixPromiseObject & { metadata: any }>
        >,
      onChange: change => this.promiseChanged(change),
      onError: (error, cause) =>
        options.logger.warn(`Kratix cluster ${this.name}: ${error.message}`, {
          cause: String(cause),
        }),
      initialBackoffMs: options.initialBackoffMs,
    });
  }

  start(): void {
    this.promises.start();
    this.jobs.start();
    this.works.start();
  }

  async stop(): Promise<void> {
    await this.promises.stop();
    await this.jobs.stop();
    await this.works.stop();
    await Promise.all([...this.kinds.values()].map(k => k.watcher.stop()));
    this.kinds.clear();
  }

  /** The Promises, from the watched cache; throws the cluster's error when it cannot be listed. */
  async listPromises(): Promise<KratixPromiseObject[]> {
    await this.promises.ready(this.options.requestTimeoutMs);
    return [...this.promises.list()];
  }

  async findKind(match: {
    promise?: string;
    group?: string;
    version?: string;
    kind?: string;
  }): Promise<ResourceKind | undefined> {
    await this.promises.ready(this.options.requestTimeoutMs);
    if (match.promise) {
      const entry = this.kinds.get(match.promise);
      if (entry) return entry.kind;
      if (!match.kind) return undefined;
    }
    for (const { kind } of this.kinds.values()) {
      if (
        kind.group === match.group &&
        kind.kind === match.kind &&
        (!match.version || kind.version === match.version)
      ) {
        return kind;
      }
    }
    return undefined;
  }

  async getResource(
    kind: ResourceKind,
    namespace: string,
    name: string,
  ): Promise<KratixResourceObject | undefined> {
    const entry = this.kinds.get(kind.promise);
    if (!entry) return undefined;
    await entry.watcher.ready(this.options.requestTimeoutMs);
    return entry.watcher.get(name, namespace);
  }

  /**
   * Every Resource of every Promise, from the watched caches: one kind at a time, so a caller can
   * stream them without a copy of the whole cluster. Throws the cluster's error when a cache cannot
   * be filled.
   */
  async *allResources(): AsyncGenerator<{
    kind: ResourceKind;
    object: KratixResourceObject;
  }> {
    await this.promises.ready(this.options.requestTimeoutMs);
    for (const { kind, watcher } of [...this.kinds.values()]) {
      await watcher.ready(this.options.requestTimeoutMs);
      for (const object of watcher.list()) yield { kind, object };
    }
  }

  /**
   * The Resources whose entity-ref annotation names `entityRef` (normalized), from the watched
   * caches and their index: one lookup per Promise. Throws the cluster's error when a cache cannot
   * be filled.
   */
  async resourcesNaming(entityRef: string): Promise<
    Array<{
      kind: ResourceKind;
      object: KratixResourceObject;
    }>
  > {
    await this.promises.ready(this.options.requestTimeoutMs);
    const found: Array<{ kind: ResourceKind; object: KratixResourceObject }> =
      [];
    for (const { kind, watcher, byEntity } of [...this.kinds.values()]) {
      await watcher.ready(this.options.requestTimeoutMs);
      for (const { namespace, name } of byEntity.get(entityRef)) {
        const object = watcher.get(name, namespace);
        const named =
          object?.metadata.annotations?.[KRATIX_ENTITY_REF_ANNOTATION];
        // The cache is the truth; the index only narrows where to look.
        if (object && named && normalizeEntityRef(named) === entityRef) {
          found.push({ kind, object });
        }
      }
    }
    return found;
  }

  /** The workflow runs Kratix still has for a Resource, from the watched Jobs. */
  listWorkflowJobs(
    kind: ResourceKind,
    resource: KratixResourceObject,
  ): Promise<V1Job[]> {
    return this.jobs.forResource(
      kind.promise,
      resource.metadata.namespace ?? 'default',
      resource.metadata.name,
      this.options.requestTimeoutMs,
    );
  }

  /** The Works Kratix built for a Resource, with their placements, from the watched caches. */
  listResourceWorks(
    kind: ResourceKind,
    resource: KratixResourceObject,
  ): Promise<KratixWorkView[]> {
    return this.works.forResource(
      kind.promise,
      resource.metadata.namespace ?? 'default',
      resource.metadata.name,
      this.options.requestTimeoutMs,
    );
  }

  /**
   * The Resource's Events and those Kratix files against its Works and WorkPlacements (scheduling,
   * writes to the state store): one list per object, by uid, all at once.
   */
  async listResourceEvents(
    kind: ResourceKind,
    resource: KratixResourceObject,
  ): Promise<CoreV1Event[]> {
    const objects = await this.works
      .objectsOf(
        kind.promise,
        resource.metadata.namespace ?? 'default',
        resource.metadata.name,
        this.options.requestTimeoutMs,
      )
      // Without Works (no RBAC on them, say) the Resource's own Events still count.
      .catch(() => []);
    const lists = await Promise.all(
      [resource, ...objects].map(object =>
        object.metadata?.uid
          ? this.call(() =>
              this.core.listNamespacedEvent({
                namespace: object.metadata?.namespace ?? 'default',
                fieldSelector: `involvedObject.uid=${object.metadata?.uid}`,
              }),
            )
          : undefined,
      ),
    );
    return lists.flatMap(list => list?.items ?? []);
  }

  async createResource(
    kind: ResourceKind,
    object: KratixResourceObject,
    dryRun: boolean,
    caller?: KratixCaller,
  ): Promise<KratixResourceObject> {
    const namespace = object.metadata.namespace ?? 'default';
    const asUser = this.asUser(caller);
    if (asUser) {
      return this.call(() =>
        asUser({
          method: 'POST',
          path: resourcePath(kind, namespace),
          query: { dryRun: dryRun ? 'All' : undefined },
          body: object,
        }),
      );
    }
    return (await this.call(() =>
      this.custom.createNamespacedCustomObject({
        group: kind.group,
        version: kind.version,
        namespace: object.metadata.namespace ?? 'default',
        plural: kind.plural,
        body: object,
        dryRun: dryRun ? 'All' : undefined,
      }),
    )) as KratixResourceObject;
  }

  /** JSON merge patch of a Resource (labels, annotations); null values remove keys. */
  async mergePatchResource(
    kind: ResourceKind,
    namespace: string,
    name: string,
    patch: object,
    caller?: KratixCaller,
  ): Promise<KratixResourceObject> {
    const asUser = this.asUser(caller);
    if (asUser) {
      return this.call(() =>
        asUser({
          method: 'PATCH',
          path: resourcePath(kind, namespace, name),
          body: patch,
          contentType: 'application/merge-patch+json',
        }),
      );
    }
    return (await this.call(() =>
      this.custom.patchNamespacedCustomObject(
        {
          group: kind.group,
          version: kind.version,
          namespace,
          plural: kind.plural,
          name,
          body: patch,
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
    )) as KratixResourceObject;
  }

  /** Replaces a Resource; the API server answers 409 when its resourceVersion is stale. */
  async replaceResource(
    kind: ResourceKind,
    object: KratixResourceObject,
    caller?: KratixCaller,
  ): Promise<KratixResourceObject> {
    const asUser = this.asUser(caller);
    if (asUser) {
      return this.call(() =>
        asUser({
          method: 'PUT',
          path: resourcePath(
            kind,
            object.metadata.namespace ?? 'default',
            object.metadata.name,
          ),
          body: object,
        }),
      );
    }
    return (await this.call(() =>
      this.custom.replaceNamespacedCustomObject({
        group: kind.group,
        version: kind.version,
        namespace: object.metadata.namespace ?? 'default',
        plural: kind.plural,
        name: object.metadata.name,
        body: object,
      }),
    )) as KratixResourceObject;
  }

  /**
   * Deletes a Resource; Kratix's finalizers keep it (deleting) until its delete workflow ran. With
   * preconditions the API server answers 409 unless the object still has that uid and
   * resourceVersion, so of two deletes based on the same read only one goes through.
   */
  async deleteResource(
    kind: ResourceKind,
    namespace: string,
    name: string,
    preconditions?: { uid?: string; resourceVersion?: string },
    caller?: KratixCaller,
  ): Promise<void> {
    const asUser = this.asUser(caller);
    if (asUser) {
      await this.call(() =>
        asUser({
          method: 'DELETE',
          path: resourcePath(kind, namespace, name),
          body: preconditions ? { preconditions } : undefined,
        }),
      );
      return;
    }
    await this.call(() =>
      this.custom.deleteNamespacedCustomObject({
        group: kind.group,
        version: kind.version,
        namespace,
        plural: kind.plural,
        name,
        body: preconditions ? { preconditions } : undefined,
      }),
    );
  }

  /** The Resource as the API server has it now (not the watch cache); undefined when gone. */
  async readResource(
    kind: ResourceKind,
    namespace: string,
    name: string,
  ): Promise<KratixResourceObject | undefined> {
    try {
      return (await this.call(() =>
        this.custom.getNamespacedCustomObject({
          group: kind.group,
          version: kind.version,
          namespace,
          plural: kind.plural,
          name,
        }),
      )) as KratixResourceObject;
    } catch (error) {
      if (kubeStatusCode(error) === 404) return undefined;
      throw error;
    }
  }

  /**
   * The caller's own call on a cluster that acts as each user; undefined for the service account
   * (no user auth, or a service principal: those never impersonate).
   */
  private asUser(caller: KratixCaller | undefined) {
    const { userCalls } = this;
    if (!userCalls || !caller) return undefined;
    return <T>(call: Parameters<UserCalls['request']>[1]) =>
      userCalls.request<T>(caller, call);
  }

  /** Runs a direct call with the cluster's timeout; cluster-level failures become typed errors. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        fn(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            const error = new Error('timeout');
            error.name = 'TimeoutError';
            reject(error);
          }, this.options.requestTimeoutMs);
        }),
      ]);
    } catch (error) {
      // The platform's refusal of the user's own call (UserCalls) is already what the user is told:
      // a 403 with Kubernetes' reason, or a 401 naming the provider; not the cluster being down.
      if (
        error instanceof NotAllowedError ||
        error instanceof AuthenticationError
      ) {
        throw error;
      }
      throw toClusterError(this.name, error) ?? error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Where a Resource landed changed: its watchers hear it as a change to the Resource. */
  private worksChanged(owner: WorkOwner, changed: WorkChange) {
    const entry = this.kinds.get(owner.promise);
    const object = entry?.watcher.get(owner.name, owner.namespace);
    if (!entry || !object) return;
    this.options.onResourceChange({
      cluster: this.name,
      kind: entry.kind,
      type: 'modified',
      object,
      work: changed,
    });
  }

  private promiseChanged(change: WatchChange<KratixPromiseObject>) {
    const name = change.object.metadata.name;
    const existing = this.kinds.get(name);
    const api =
      change.type === 'deleted' ? undefined : getPromiseApi(change.object);
    if (existing && api && sameKind(existing.kind, api)) {
      existing.kind.schema = api.schema;
      return;
    }
    if (existing) {
      void existing.watcher.stop();
      this.kinds.delete(name);
    }
    if (!api) return;
    const kind: ResourceKind = { ...api, cluster: this.name, promise: name };
    const byEntity = new EntityRefIndex();
    const watcher = new KindWatcher<KratixResourceObject & { metadata: any }>({
      cluster: this.name,
      kubeConfig: this.options.kubeConfig,
      path: `/apis/${api.group}/${api.version}/${api.plural}`,
      list: () =>
        this.custom.listClusterCustomObject({
          group: api.group,
          version: api.version,
          plural: api.plural,
        }) as Promise<
          KubernetesListObject<KratixResourceObject & { metadata: any }>
        >,
      onChange: ({ type, object }) => {
        byEntity.apply({ type, object });
        this.options.onResourceChange({
          cluster: this.name,
          kind,
          type,
          object,
        });
      },
      initialBackoffMs: this.options.initialBackoffMs,
    });
    this.kinds.set(name, { kind, watcher, byEntity });
    watcher.start();
  }
}

/** The REST path of a kind's Resources in a namespace, or of one of them. */
function resourcePath(kind: ResourceKind, namespace: string, name?: string) {
  const base = `/apis/${kind.group}/${
    kind.version
  }/namespaces/${encodeURIComponent(namespace)}/${kind.plural}`;
  return name ? `${base}/${encodeURIComponent(name)}` : base;
}
