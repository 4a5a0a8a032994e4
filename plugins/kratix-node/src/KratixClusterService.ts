/*
 * The Kratix cluster service: one connection (client, watch-fed caches) per cluster, shared by
 * every Kratix backend feature (today the backend plugin; modules of other plugins can depend on it
 * too), with one set of rules for creating Resources. It does no user authorization: callers check the
 * permission framework as the user before they call it.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { CoreV1Event, KubeConfig, V1Job } from '@kubernetes/client-node';
import type { Writable } from 'node:stream';
import {
  normalizeEntityRef,
  toPromiseView,
  type KratixClusterError,
  type KratixClusterInfo,
  type KratixPromiseView,
  type KratixResourceObject,
  type KratixResourceRef,
  type KratixWorkView,
} from '@kratix-backstage/plugin-kratix-common';
import {
  ClusterConnection,
  type ResourceChange,
  type ResourceKind,
} from './ClusterConnection';
import { authStrategyMap, kubeConfigFor } from './authStrategies';
import type {
  KratixClusterDelivery,
  KratixClusterDetails,
  KratixGitDeliveryTarget,
} from './clusterDetails';
import { deliveryInfoOf, resolveDelivery } from './creation/deliveryTarget';
import type { CreationBounds } from './clusterConfig';
import type { KratixAuthStrategy } from './extensions';
import {
  KratixClusterUnavailableError,
  kubeStatusBody,
  kubeStatusCode,
} from './clusterErrors';
import { TtlCache } from './TtlCache';
import {
  KratixPodLogError,
  type KratixPodLogFollow,
  type KratixPodLogRequest,
} from './PodLogs';
import { userAuthOf, type KratixCaller } from './userAuth/clusterUserAuth';
import { workflowRunsOf, type KratixWorkflowRunInfo } from './workflowRuns';
import type { WatchChange } from './KindWatcher';
import {
  checkCreationBounds,
  checkNamespace,
  checkResourceName,
  SpecValidator,
} from './resourceRules';

export type { ResourceChange, ResourceKind };

/**
 * Which part of a Resource reference did not resolve.
 *
 * @public
 */
export type RefNotFoundReason =
  | 'unknown-cluster'
  | 'unknown-promise'
  | 'not-found';

/**
 * A NotFoundError (404) that also says which part of a Resource reference did not resolve.
 *
 * @public
 */
export function refNotFound(
  reason: RefNotFoundReason,
  message: string,
): NotFoundError & { reason: RefNotFoundReason } {
  return Object.assign(new NotFoundError(message), { reason });
}

/**
 * A Resource found on a cluster, with the kind it belongs to.
 *
 * @public
 */
export interface ResolvedResource {
  kind: ResourceKind;
  object: KratixResourceObject;
}

/**
 * A Resource to create through the cluster service.
 *
 * @public
 */
export interface CreateResourceInput {
  cluster?: string;
  promise: string;
  namespace: string;
  name: string;
  spec: Record<string, unknown>;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  dryRun?: boolean;
  /**
   * The user the create is for: on a cluster that acts as each user (auth.type impersonate or
   * oidc) the create runs as them. Omitted for service principals, who never impersonate.
   */
  caller?: KratixCaller;
}

/**
 * The Kratix platform clusters, their Promises and Resources, shared by every Kratix backend feature.
 *
 * @public
 */
export interface KratixClusterService {
  clusters(): KratixClusterInfo[];
  /** The cluster a reference that names none refers to (the first configured). */
  defaultCluster(): string | undefined;
  listPromises(): Promise<{
    items: KratixPromiseView[];
    errors: KratixClusterError[];
  }>;
  /**
   * Finds the Resource an entity links to. NotFoundError when the cluster, Promise or Resource does
   * not exist; KratixClusterUnavailableError when the cluster cannot answer.
   */
  resolveResource(ref: KratixResourceRef): Promise<ResolvedResource>;
  /**
   * Every Resource on a cluster, streamed from the watch-fed caches (no cluster round trip once they
   * are warm). For collators and entity providers. Throws KratixClusterUnavailableError when the
   * cluster cannot answer, possibly after yielding some Resources.
   */
  resources(cluster: string): AsyncIterable<ResolvedResource>;
  /**
   * The Resources on every cluster whose `kratix.backstage.io/entity-ref` annotation names the
   * entity (compared as the binding compares it), from an index the watches keep: the cost is the
   * entity's Resources, not the cluster's. Naming is only a claim: callers decide whether the
   * Resource is bound to the entity (binding/EntityBinding.ts). A cluster that cannot answer is
   * reported in `errors`.
   */
  resourcesNaming(entityRef: string): Promise<{
    items: ResolvedResource[];
    errors: KratixClusterError[];
  }>;
  listWorkflowJobs(resource: ResolvedResource): Promise<V1Job[]>;
  /**
   * The Resource's workflow runs (its Jobs, newest first) with what their Pods did, read from the
   * cluster (list pods by Kratix's labels). Without access to pods the runs still answer, without
   * containers, and `logsError` names the missing access.
   */
  listWorkflowRuns(
    resource: ResolvedResource,
  ): Promise<{ runs: KratixWorkflowRunInfo[]; logsError?: string }>;
  /** One container's log (KratixPodLogError when it cannot be read: forbidden, gone, invalid). */
  readPodLog(cluster: string, request: KratixPodLogRequest): Promise<string>;
  /** Streams one container's log into `out` while it runs; `out` ends when the log does. */
  followPodLog(
    cluster: string,
    request: KratixPodLogRequest,
    out: Writable,
  ): Promise<KratixPodLogFollow>;
  /** Every change to a workflow Job the watches see, on every cluster. Returns an unsubscribe. */
  onWorkflowJobChange(
    listener: (change: { cluster: string } & WatchChange<V1Job>) => void,
  ): () => void;
  /** The Resource's Events and those about its Works and WorkPlacements (cached a few seconds). */
  listResourceEvents(resource: ResolvedResource): Promise<CoreV1Event[]>;
  /** The Resource's Works, their WorkPlacements and Destinations, from watched caches. */
  listResourceWorks(resource: ResolvedResource): Promise<KratixWorkView[]>;
  /** Validates against the creation bounds, naming rules and the Promise's schema, then creates. */
  createResource(input: CreateResourceInput): Promise<ResolvedResource>;
  /**
   * Validates exactly as {@link KratixClusterService.createResource} does and returns the object it
   * would send, sending nothing: what a Git delivery commits.
   */
  prepareResource(input: CreateResourceInput): Promise<ResolvedResource>;
  /**
   * Where requests to this cluster and Promise go: the Git target (`kratix.clusters[].delivery`,
   * per-Promise overrides applied), or undefined for direct writes to the cluster's API.
   */
  deliveryFor(
    cluster: string,
    promise: string,
  ): KratixGitDeliveryTarget | undefined;
  /**
   * Sets (string) or removes (null) labels on a Resource: the manage actions (re-run with
   * `kratix.io/manual-reconciliation`, pause with `kratix.io/paused`).
   */
  setResourceLabels(
    resource: ResolvedResource,
    labels: Record<string, string | null>,
    caller?: KratixCaller,
  ): Promise<ResolvedResource>;
  /**
   * Replaces a Resource's spec after validating it against the Promise's schema (InputError naming
   * the field). `resourceVersion` is the version the change is based on: ConflictError when stale.
   */
  updateResourceSpec(
    resource: ResolvedResource,
    spec: Record<string, unknown>,
    resourceVersion: string,
    caller?: KratixCaller,
  ): Promise<ResolvedResource>;
  /**
   * Deletes the Resource as it was read: the same incarnation (uid), unchanged since or changed
   * only by others' writes it re-checks (Kratix then runs its delete workflow). NotFoundError when
   * it is gone, ConflictError when it is already being deleted, so of parallel deletes one succeeds.
   */
  deleteResource(
    resource: ResolvedResource,
    caller?: KratixCaller,
  ): Promise<void>;
  /**
   * Whether the cluster acts as each user (auth.type impersonate or oidc): writes then need the
   * caller, and what a user is shown is checked with {@link KratixClusterService.userMayGet}.
   */
  actsAsUser(cluster: string): boolean;
  /**
   * Whether the cluster would let the user `get` the Resource (a SubjectAccessReview, cached per
   * user and Resource for kratix.cache.clusterAccessSeconds). True on clusters that do not act as
   * each user: there Backstage's permissions decide alone.
   */
  userMayGet(
    resource: ResolvedResource,
    caller: KratixCaller,
  ): Promise<boolean>;
  /** Every change the watches see, on every cluster. Returns an unsubscribe function. */
  onResourceChange(listener: (change: ResourceChange) => void): () => void;
}

/**
 * Options of {@link DefaultKratixClusterService.create}.
 *
 * @public
 */
export interface DefaultKratixClusterServiceOptions {
  /** Configured clusters first, then supplied ones; the first is the default cluster. */
  clusters: KratixClusterDetails[];
  bounds: CreationBounds;
  logger: LoggerService;
  /** Auth strategies beside the built-in ones (serviceAccount, kubeconfig, inCluster). */
  authStrategies?: KratixAuthStrategy[];
  initialBackoffMs?: number;
  /**
   * How long a Resource's Events are reused when the Resource does not change (a change drops them
   * at once: Kratix's Events come with status changes). Default 5000; 0 lists them every time.
   */
  eventsCacheMs?: number;
  /**
   * How long a cluster's answer to "may this user get this Resource" is reused on clusters that
   * act as each user (kratix.cache.clusterAccessSeconds). Default 10000; 0 asks every time.
   */
  accessCacheMs?: number;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/**
 * The cluster service: one connection with watch-fed caches per cluster.
 *
 * @public
 */
export class DefaultKratixClusterService implements KratixClusterService {
  private readonly connections = new Map<string, ClusterConnection>();
  private readonly infos: KratixClusterInfo[];
  private readonly deliveries = new Map<string, KratixClusterDelivery>();
  private readonly listeners = new Set<(change: ResourceChange) => void>();
  private readonly jobListeners = new Set<
    (change: { cluster: string } & WatchChange<V1Job>) => void
  >();
  private readonly validator: SpecValidator;
  private readonly bounds: CreationBounds;
  private readonly defaultClusterName?: string;
  /** Events per Resource uid; dropped when the Resource changes. */
  private readonly events: TtlCache<CoreV1Event[]>;

  /** Builds each cluster's client configuration with its auth strategy; call start() to connect. */
  static async create(
    options: DefaultKratixClusterServiceOptions,
  ): Promise<DefaultKratixClusterService> {
    const seen = new Set<string>();
    for (const { name } of options.clusters) {
      if (seen.has(name)) {
        throw new InputError(`Two Kratix clusters are named "${name}"`);
      }
      seen.add(name);
    }
    const strategies = authStrategyMap(options.authStrategies);
    const kubeConfigs = await Promise.all(
      options.clusters.map(c => kubeConfigFor(c, strategies)),
    );
    return new DefaultKratixClusterService(options, kubeConfigs);
  }

  private constructor(
    options: DefaultKratixClusterServiceOptions,
    kubeConfigs: KubeConfig[],
  ) {
    this.bounds = options.bounds;
    this.validator = new SpecValidator(options.bounds.maxSpecDepth);
    this.events = new TtlCache(options.eventsCacheMs ?? 5000);
    this.defaultClusterName = options.clusters[0]?.name;
    this.infos = options.clusters.map(c => {
      const userAuth = userAuthOf(c);
      return {
        name: c.name,
        title: c.title,
        sandbox: c.sandbox ?? false,
        // The mode, repository and branch, and the Promises delivered otherwise (never credentials).
        ...deliveryInfoOf(c.delivery, `kratix.clusters[${c.name}].delivery`),
        // The frontend attaches this provider's ID token to writes on the cluster.
        ...(userAuth?.type === 'oidc'
          ? { idTokenProvider: userAuth.provider }
          : {}),
      };
    });
    options.clusters.forEach((cluster, i) => {
      if (cluster.delivery) {
        // Checked now (a supplied cluster's too), so a bad target fails at startup.
        resolveDelivery(
          cluster.delivery,
          undefined,
          `kratix.clusters[${cluster.name}].delivery`,
        );
        this.deliveries.set(cluster.name, cluster.delivery);
      }
      this.connections.set(
        cluster.name,
        new ClusterConnection({
          name: cluster.name,
          kubeConfig: kubeConfigs[i],
          requestTimeoutMs:
            cluster.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
          logger: options.logger.child({ cluster: cluster.name }),
          onResourceChange: change => {
            this.events.delete(change.object.metadata.uid ?? '');
            this.listeners.forEach(l => l(change));
          },
          onJobChange: change =>
            this.jobListeners.forEach(l =>
              l({ cluster: cluster.name, ...change }),
            ),
          initialBackoffMs: options.initialBackoffMs,
          userAuth: userAuthOf(cluster),
          accessCacheMs: options.accessCacheMs,
        }),
      );
    });
  }

  start(): void {
    this.connections.forEach(c => c.start());
  }

  async stop(): Promise<void> {
    await Promise.all([...this.connections.values()].map(c => c.stop()));
  }

  clusters(): KratixClusterInfo[] {
    return this.infos;
  }

  defaultCluster(): string | undefined {
    return this.defaultClusterName;
  }

  async listPromises() {
    const items: KratixPromiseView[] = [];
    const errors: KratixClusterError[] = [];
    await Promise.all(
      [...this.connections.values()].map(async connection => {
        try {
          for (const promise of await connection.listPromises()) {
            const view = toPromiseView(connection.name, promise);
            if (view) items.push(view);
          }
        } catch (error) {
          if (!(error instanceof KratixClusterUnavailableError)) throw error;
          errors.push(error.toJSON());
        }
      }),
    );
    items.sort(
      (a, b) =>
        a.cluster.localeCompare(b.cluster) || a.name.localeCompare(b.name),
    );
    return { items, errors };
  }

  async resolveResource(ref: KratixResourceRef): Promise<ResolvedResource> {
    const connection = this.connection(ref.cluster);
    const kind = await connection.findKind(ref);
    const what = ref.promise
      ? `Promise "${ref.promise}"`
      : `kind "${ref.kind}"`;
    if (!kind) {
      throw refNotFound(
        'unknown-promise',
        `No ${what} on cluster ${connection.name}`,
      );
    }
    const object = await connection.getResource(kind, ref.namespace, ref.name);
    if (!object) {
      throw refNotFound(
        'not-found',
        `No ${kind.kind} "${ref.namespace}/${ref.name}" on cluster ${connection.name}`,
      );
    }
    return { kind, object };
  }

  resources(cluster: string): AsyncIterable<ResolvedResource> {
    return this.connection(cluster).allResources();
  }

  async resourcesNaming(entityRef: string) {
    const ref = normalizeEntityRef(entityRef);
    const items: ResolvedResource[] = [];
    const errors: KratixClusterError[] = [];
    if (!ref) return { items, errors };
    await Promise.all(
      [...this.connections.values()].map(async connection => {
        try {
          items.push(...(await connection.resourcesNaming(ref)));
        } catch (error) {
          if (!(error instanceof KratixClusterUnavailableError)) throw error;
          errors.push(error.toJSON());
        }
      }),
    );
    return { items, errors };
  }

  listWorkflowJobs(resource: ResolvedResource): Promise<V1Job[]> {
    return this.connection(resource.kind.cluster).listWorkflowJobs(
      resource.kind,
      resource.object,
    );
  }

  async listWorkflowRuns(
    resource: ResolvedResource,
  ): Promise<{ runs: KratixWorkflowRunInfo[]; logsError?: string }> {
    const connection = this.connection(resource.kind.cluster);
    const jobs = await this.listWorkflowJobs(resource);
    const namespaces = [
      ...new Set(jobs.map(j => j.metadata?.namespace ?? 'default')),
    ];
    try {
      const pods = (
        await Promise.all(
          namespaces.map(ns =>
            connection.podLogs.podsOf(
              ns,
              resource.kind.promise,
              resource.object.metadata.name,
            ),
          ),
        )
      ).flat();
      return { runs: workflowRunsOf(jobs, pods) };
    } catch (error) {
      if (!(error instanceof KratixPodLogError)) throw error;
      return { runs: workflowRunsOf(jobs, []), logsError: error.message };
    }
  }

  readPodLog(cluster: string, request: KratixPodLogRequest): Promise<string> {
    return this.connection(cluster).podLogs.read(request);
  }

  followPodLog(
    cluster: string,
    request: KratixPodLogRequest,
    out: Writable,
  ): Promise<KratixPodLogFollow> {
    return this.connection(cluster).podLogs.follow(request, out);
  }

  onWorkflowJobChange(
    listener: (change: { cluster: string } & WatchChange<V1Job>) => void,
  ): () => void {
    this.jobListeners.add(listener);
    return () => this.jobListeners.delete(listener);
  }

  listResourceWorks(resource: ResolvedResource): Promise<KratixWorkView[]> {
    return this.connection(resource.kind.cluster).listResourceWorks(
      resource.kind,
      resource.object,
    );
  }

  listResourceEvents(resource: ResolvedResource): Promise<CoreV1Event[]> {
    const uid = resource.object.metadata.uid;
    const list = () =>
      this.connection(resource.kind.cluster).listResourceEvents(
        resource.kind,
        resource.object,
      );
    return uid ? this.events.get(uid, list) : list();
  }

  deliveryFor(
    cluster: string,
    promise: string,
  ): KratixGitDeliveryTarget | undefined {
    return resolveDelivery(this.deliveries.get(cluster), promise);
  }

  async createResource(input: CreateResourceInput): Promise<ResolvedResource> {
    const { kind, object } = await this.prepareResource(input);
    const connection = this.connection(kind.cluster);
    const namespace = object.metadata.namespace!;
    const name = object.metadata.name;
    try {
      const created = await connection.createResource(
        kind,
        object,
        input.dryRun ?? false,
        input.caller,
      );
      return { kind, object: created };
    } catch (error) {
      throw translateCreateError(error, kind, namespace, name);
    }
  }

  async prepareResource(input: CreateResourceInput): Promise<ResolvedResource> {
    const name = checkResourceName(input.name);
    const namespace = checkNamespace(input.namespace);
    if (typeof input.promise !== 'string' || input.promise === '') {
      throw new InputError('promise: required');
    }
    const connection = this.connection(input.cluster);
    checkCreationBounds(this.bounds, {
      cluster: connection.name,
      promise: input.promise,
      namespace,
    });
    const kind = await connection.findKind({ promise: input.promise });
    if (!kind) {
      throw new InputError(
        `promise: no Promise "${input.promise}" on cluster ${connection.name}`,
      );
    }
    this.validator.validateSpec(kind.schema, input.spec);

    const object: KratixResourceObject = {
      apiVersion: `${kind.group}/${kind.version}`,
      kind: kind.kind,
      metadata: {
        name,
        namespace,
        labels: input.labels,
        annotations: input.annotations,
      },
      spec: input.spec,
    };
    return { kind, object };
  }

  async setResourceLabels(
    resource: ResolvedResource,
    labels: Record<string, string | null>,
    caller?: KratixCaller,
  ): Promise<ResolvedResource> {
    const { kind, object } = resource;
    const namespace = object.metadata.namespace ?? 'default';
    try {
      const patched = await this.connection(kind.cluster).mergePatchResource(
        kind,
        namespace,
        object.metadata.name,
        // The uid makes the patch apply to this incarnation only (409 for a re-created one).
        { metadata: { labels, uid: object.metadata.uid } },
        caller,
      );
      return { kind, object: patched };
    } catch (error) {
      throw translateWriteError(error, kind, namespace, object.metadata.name);
    }
  }

  async updateResourceSpec(
    resource: ResolvedResource,
    spec: Record<string, unknown>,
    resourceVersion: string,
    caller?: KratixCaller,
  ): Promise<ResolvedResource> {
    const { kind, object } = resource;
    this.validator.validateSpec(kind.schema, spec);
    const namespace = object.metadata.namespace ?? 'default';
    try {
      const updated = await this.connection(kind.cluster).replaceResource(
        kind,
        { ...object, metadata: { ...object.metadata, resourceVersion }, spec },
        caller,
      );
      return { kind, object: updated };
    } catch (error) {
      if (kubeStatusCode(error) === 409) {
        throw new ConflictError(
          `${kind.kind} "${namespace}/${object.metadata.name}" changed since resourceVersion ${resourceVersion}; reload it and try again`,
        );
      }
      if (kubeStatusCode(error) === 404) {
        throw translateWriteError(error, kind, namespace, object.metadata.name);
      }
      throw translateCreateError(error, kind, namespace, object.metadata.name);
    }
  }

  async deleteResource(
    resource: ResolvedResource,
    caller?: KratixCaller,
  ): Promise<void> {
    const { kind, object } = resource;
    const namespace = object.metadata.namespace ?? 'default';
    const name = object.metadata.name;
    const what = `${kind.kind} "${namespace}/${name}"`;
    const deleting = () =>
      new ConflictError(`${what} is already being deleted`);
    if (object.metadata.deletionTimestamp) throw deleting();
    const connection = this.connection(kind.cluster);
    const attempt = (resourceVersion?: string) =>
      connection.deleteResource(
        kind,
        namespace,
        name,
        { uid: object.metadata.uid, resourceVersion },
        caller,
      );
    try {
      try {
        await attempt(object.metadata.resourceVersion);
        return;
      } catch (error) {
        if (kubeStatusCode(error) !== 409) throw error;
      }
      // A precondition failed: deleted by someone else, being deleted, or the watch cache lagged
      // behind a status write. Only the last is deleted, once, with the version read now.
      const current = await connection.readResource(kind, namespace, name);
      if (!current || current.metadata.uid !== object.metadata.uid) {
        throw new NotFoundError(`${what} no longer exists`);
      }
      if (current.metadata.deletionTimestamp) throw deleting();
      await attempt(current.metadata.resourceVersion);
    } catch (error) {
      if (kubeStatusCode(error) === 409) {
        throw new ConflictError(
          `${what} changed while it was being deleted; reload it and try again`,
        );
      }
      throw translateWriteError(error, kind, namespace, name);
    }
  }

  actsAsUser(cluster: string): boolean {
    return this.connections.get(cluster)?.userCalls !== undefined;
  }

  async userMayGet(
    resource: ResolvedResource,
    caller: KratixCaller,
  ): Promise<boolean> {
    const reviews = this.connection(resource.kind.cluster).accessReviews;
    if (!reviews) return true;
    return reviews.canGet(caller, resource.kind, resource.object);
  }

  onResourceChange(listener: (change: ResourceChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private connection(cluster: string | undefined): ClusterConnection {
    const name = cluster ?? this.defaultClusterName;
    const connection = name ? this.connections.get(name) : undefined;
    if (!connection) {
      throw refNotFound(
        'unknown-cluster',
        name
          ? `No Kratix cluster named "${name}" is configured`
          : 'No Kratix cluster is configured',
      );
    }
    return connection;
  }
}

/**
 * What the cluster said about a write to an existing Resource: 404 (gone, e.g. deleted in
 * parallel) and 409 (a re-created one under the same name) as Backstage errors, never a 500.
 */
function translateWriteError(
  error: unknown,
  kind: ResourceKind,
  namespace: string,
  name: string,
): Error {
  const status = kubeStatusCode(error);
  if (status === 404) {
    return new NotFoundError(
      `${kind.kind} "${namespace}/${name}" no longer exists`,
    );
  }
  if (status === 409) {
    return new ConflictError(
      `${kind.kind} "${namespace}/${name}" was deleted and created again; reload it and try again`,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** What the cluster said about a create, as a Backstage error (its Status message, never its URL). */
function translateCreateError(
  error: unknown,
  kind: ResourceKind,
  namespace: string,
  name: string,
): Error {
  const status = kubeStatusCode(error);
  const body = kubeStatusBody(error);
  if (status === 409) {
    return new ConflictError(
      `${kind.kind} "${namespace}/${name}" already exists`,
    );
  }
  if (status === 422 || status === 400) {
    const causes: Array<{ field?: string; message?: string }> =
      body?.details?.causes ?? [];
    const detail = causes.length
      ? causes.map(c => `${c.field ?? 'spec'}: ${c.message}`).join('; ')
      : body?.message ?? 'the cluster rejected the Resource';
    return new InputError(detail);
  }
  if (status === 404) {
    return new InputError(
      `namespace: "${namespace}" does not exist on cluster ${kind.cluster}`,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}
