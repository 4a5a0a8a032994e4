/*
 * One entity provider per platform cluster, so a cluster that cannot answer keeps its entities: its
 * full mutation is skipped, and the other clusters' are not affected. A full run on a schedule
 * reads the Promises and Resources from the cluster service's watch-fed caches; in between, the
 * watch's Resource changes are applied as deltas, gathered for a moment so a burst becomes one
 * mutation. Mutations never overlap.
 */
import type {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import type {
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import type {
  KratixClusterService,
  ResolvedResource,
  ResourceChange,
} from '@kratix-backstage/plugin-kratix-node';
import type { CuratedTemplateLookup } from './CuratedTemplates';
import { providerLocation } from './location';
import type { NamingContext } from './names';
import { DEFAULT_TEMPLATE_RULES, type KratixProviderOptions } from './options';
import type { NamedEntityResource } from './InheritedOwners';
import { readOwnership } from './ownership';
import { promiseEntity } from './promiseEntity';
import { resourceEntity } from './resourceEntity';
import { isPromiseUnavailable } from '@kratix-backstage/plugin-kratix-common';
import { createHash } from 'node:crypto';

const entityKey = (entity: Entity) => stringifyEntityRef(entity);

/** A digest of an entity as the provider builds it (its keys always in the same order). */
function fingerprint(entity: Entity): string {
  return createHash('sha1').update(JSON.stringify(entity)).digest('base64');
}
import { templateEntity } from './templateEntity';

/**
 * Reads the owner each Resource inherits from the entity it is bound to (see InheritedOwners), in
 * order.
 * @public
 */
export interface OwnerLookup {
  ownersOf(
    resources: ReadonlyArray<NamedEntityResource>,
  ): Promise<Array<string | undefined>>;
}

/**
 * What a full run did.
 * @public
 */
export type KratixRefreshResult =
  | { status: 'applied'; promises: number; resources: number; entities: number }
  | { status: 'skipped'; reason: string };

/**
 * What a KratixEntityProvider needs.
 * @public
 */
export interface KratixEntityProviderOptions {
  cluster: string;
  /** The first ingested cluster: its entity names carry no cluster suffix. */
  primaryCluster: string;
  clusterService: KratixClusterService;
  options: KratixProviderOptions;
  owners: OwnerLookup;
  /** The Promises curated templates request (their generated ones are left out); none without it. */
  curated?: CuratedTemplateLookup;
  logger: LoggerService;
  /** Runs the full refresh on a schedule; without it, call refresh() (tests, benchmarks). */
  taskRunner?: SchedulerServiceTaskRunner;
  /** How long watch changes are gathered into one delta (default 200 ms). */
  deltaBatchMs?: number;
}

/**
 * The Kratix entity provider of one cluster.
 * @public
 */
export class KratixEntityProvider implements EntityProvider {
  private readonly cluster: string;
  private readonly naming: NamingContext;
  private readonly locationKey: string;
  private connection?: EntityProviderConnection;
  private unsubscribe?: () => void;
  /** Changes not applied yet, the latest per Resource. */
  private pending = new Map<string, ResourceChange>();
  private flushTimer?: NodeJS.Timeout;
  private queue: Promise<unknown> = Promise.resolve();
  /** Deltas wait for the first full run: what the watch reports before it, the full run covers. */
  private fullRunDone = false;
  /** The Promises whose generated template the last full run emitted (Resource entities name it). */
  private generated = new Set<string>();
  /**
   * A fingerprint of each entity the catalog holds from this provider, by entity ref: a change the
   * entity does not show (a status-only update, with publishStatus off) is not sent again. Kratix
   * rewrites a Resource's status several times while it reconciles; each rewrite re-sent 10,000
   * entities for the catalog to hash and compare. A digest, not the entity: the provider keeps no
   * second copy of what the catalog stores.
   */
  private emitted = new Map<string, string>();

  constructor(private readonly opts: KratixEntityProviderOptions) {
    this.cluster = opts.cluster;
    this.naming = {
      cluster: opts.cluster,
      namespace: opts.options.namespace,
      primaryCluster: opts.primaryCluster,
    };
    this.locationKey = providerLocation(opts.cluster);
  }

  getProviderName(): string {
    return `kratix:${this.cluster}`;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    this.unsubscribe = this.opts.clusterService.onResourceChange(change =>
      this.changed(change),
    );
    await this.opts.taskRunner?.run({
      id: `${this.getProviderName()}:refresh`,
      fn: async () => {
        await this.refresh();
      },
    });
  }

  /** Stops following the watch (on shutdown). */
  close(): void {
    this.unsubscribe?.();
    clearTimeout(this.flushTimer);
  }

  /** A full run: every entity of the cluster, replacing what the provider produced before. */
  refresh(): Promise<KratixRefreshResult> {
    return this.serialized(() => this.fullRun());
  }

  /** Resolves once every change received so far has been applied (or is waiting for a full run). */
  flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    return this.serialized(() => this.applyPending());
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private allowed(promise: string): boolean {
    return (
      !this.opts.options.promises ||
      this.opts.options.promises.includes(promise)
    );
  }

  private changed(change: ResourceChange) {
    if (change.cluster !== this.cluster || !this.allowed(change.kind.promise))
      return;
    const { namespace, name } = change.object.metadata;
    this.pending.set(`${change.kind.promise}/${namespace}/${name}`, change);
    this.scheduleFlush();
  }

  private scheduleFlush() {
    if (this.fullRunDone && this.pending.size > 0 && !this.flushTimer) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = undefined;
        this.serialized(() => this.applyPending()).catch(error =>
          this.opts.logger.warn(
            `Kratix cluster ${this.cluster}: could not apply Resource changes to the catalog: ${error}`,
          ),
        );
      }, this.opts.deltaBatchMs ?? 200);
      this.flushTimer.unref?.();
    }
  }

  private async fullRun(): Promise<KratixRefreshResult> {
    const connection = this.requireConnection();
    const started = Date.now();
    // What the watch reported so far is in the caches this run reads.
    const covered = this.pending;
    this.pending = new Map();
    try {
      const { items, errors } = await this.opts.clusterService.listPromises();
      const error = errors.find(e => e.cluster === this.cluster);
      if (error) throw new Error(error.message);
      const promises = items.filter(
        p => p.cluster === this.cluster && this.allowed(p.name),
      );
      const resources: ResolvedResource[] = [];
      for await (const resource of this.opts.clusterService.resources(
        this.cluster,
      )) {
        if (this.allowed(resource.kind.promise)) resources.push(resource);
      }

      const { owner, system, templates } = {
        owner: this.opts.options.defaultOwner,
        system: this.opts.options.defaultSystem,
        templates: this.opts.options.templates,
      };
      const rules = this.opts.options.templateRules ?? DEFAULT_TEMPLATE_RULES;
      // A curated template for a Promise replaces its generated one, so the Create page offers it once.
      const curated =
        templates && rules.yieldToCurated && this.opts.curated
          ? await this.opts.curated.curatedPromises()
          : () => false;
      const generated = new Set<string>();
      const kindsByPromise = new Map(promises.map(p => [p.name, p.kind]));
      const entities: Entity[] = [];
      for (const promise of promises) {
        const offered =
          templates &&
          !curated(promise) &&
          !(rules.unavailable === 'omit' && isPromiseUnavailable(promise));
        if (offered) generated.add(promise.name);
        entities.push(
          promiseEntity({
            naming: this.naming,
            promise,
            kindsByPromise,
            owner,
            system,
            templates: offered,
          }),
        );
        if (offered) {
          entities.push(
            templateEntity({
              naming: this.naming,
              promise,
              owner,
              system,
              ownerKinds: rules.ownerKinds,
            }),
          );
        }
      }
      this.generated = generated;
      entities.push(...(await this.resourceEntities(resources)));
      await connection.applyMutation({
        type: 'full',
        entities: entities.map(entity => this.deferred(entity)),
      });
      this.emitted = new Map(entities.map(e => [entityKey(e), fingerprint(e)]));
      this.fullRunDone = true;
      // Changes that arrived while this run read the caches.
      this.scheduleFlush();
      this.opts.logger.info(
        `Kratix cluster ${this.cluster}: ${promises.length} Promises, ${
          resources.length
        } Resources, ${entities.length} entities in ${Date.now() - started} ms`,
      );
      return {
        status: 'applied',
        promises: promises.length,
        resources: resources.length,
        entities: entities.length,
      };
    } catch (error) {
      // Keep what the catalog has: an unreachable cluster must not empty it.
      for (const [key, change] of covered) {
        if (!this.pending.has(key)) this.pending.set(key, change);
      }
      const reason = error instanceof Error ? error.message : String(error);
      this.opts.logger.warn(
        `Kratix cluster ${this.cluster}: full refresh skipped, keeping its entities: ${reason}`,
      );
      return { status: 'skipped', reason };
    }
  }

  private async applyPending(): Promise<void> {
    if (!this.fullRunDone || this.pending.size === 0) return;
    const connection = this.requireConnection();
    const changes = [...this.pending.values()];
    this.pending = new Map();
    const present = changes.filter(c => c.type !== 'deleted');
    const gone = changes.filter(c => c.type === 'deleted');
    // What the catalog already holds as is needs no mutation.
    const added = (await this.resourceEntities(present)).filter(
      entity => this.emitted.get(entityKey(entity)) !== fingerprint(entity),
    );
    const removed = gone.map(c =>
      resourceEntity({
        naming: this.naming,
        kind: c.kind,
        object: c.object,
        owner: this.opts.options.defaultOwner,
        templates: false,
        publishStatus: false,
      }),
    );
    if (added.length === 0 && removed.length === 0) return;
    await connection.applyMutation({
      type: 'delta',
      added: added.map(entity => this.deferred(entity)),
      removed: removed.map(entity => this.deferred(entity)),
    });
    for (const entity of added) {
      this.emitted.set(entityKey(entity), fingerprint(entity));
    }
    for (const entity of removed) this.emitted.delete(entityKey(entity));
  }

  /** Resource entities, with owners inherited from the entities they were created for. */
  private async resourceEntities(
    resources: ReadonlyArray<Pick<ResolvedResource, 'kind' | 'object'>>,
  ): Promise<Entity[]> {
    const ownerships = resources.map(r => readOwnership(r.object));
    const inheriting = resources.flatMap((resource, index) => {
      const { owner, entityRef } = ownerships[index];
      return !owner && entityRef
        ? [{ entityRef, object: resource.object }]
        : [];
    });
    const owners = await this.opts.owners.ownersOf(inheriting);
    const inherited = new Map(inheriting.map((r, i) => [r.object, owners[i]]));
    return resources.map((resource, index) => {
      const ownership = ownerships[index];
      return resourceEntity({
        naming: this.naming,
        kind: resource.kind,
        object: resource.object,
        owner:
          ownership.owner ??
          inherited.get(resource.object) ??
          this.opts.options.defaultOwner,
        system: ownership.system ?? this.opts.options.defaultSystem,
        // Off by default: each target's dependencyOf would name this entity to its readers.
        dependsOn: this.opts.options.dependsOn
          ? [
              ...(ownership.entityRef ? [ownership.entityRef] : []),
              ...ownership.dependsOn,
            ]
          : undefined,
        templates: this.generated.has(resource.kind.promise),
        publishStatus: this.opts.options.publishStatus,
      });
    });
  }

  private deferred(entity: Entity): DeferredEntity {
    return { entity, locationKey: this.locationKey };
  }

  private requireConnection(): EntityProviderConnection {
    if (!this.connection) {
      throw new Error(
        `${this.getProviderName()} is not connected to the catalog`,
      );
    }
    return this.connection;
  }
}
