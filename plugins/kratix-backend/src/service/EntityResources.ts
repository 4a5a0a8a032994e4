/*
 * The authorized read path. The entity is loaded as the caller sees it in the catalog (an entity
 * they cannot see is a 404, like a missing one; visibleEntity says how); each Resource its
 * annotations claim is looked up in the cluster cache, kept only when the platform confirms the
 * link (linkTrust.ts), and shown only when `kratix.resource.read` allows it on that Resource
 * (readDecision.ts). A claim the platform does not confirm reads the same whether or not the
 * Resource exists.
 *
 * Besides its claims, an entity has the Resources the platform says are its own (what was created
 * through Backstage for it shows up without editing its annotations): those whose entity-ref names
 * it and that bind to it or sit in a namespace of its owner (LinkTrust.platformLink), found through
 * the cluster cache's entity-ref index. The entity does not claim them, so one the caller may not
 * read is simply left out: no error, no 403.
 *
 * On a cluster that acts as each user, "may read" also needs the cluster's `get` (readDecision.ts):
 * a Resource the cluster hides from the user reads exactly as one the policy denies them.
 *
 * The round trips of one read: the caller's two decisions in one permission round trip (decide),
 * and beside it the entity from the catalog with this plugin's credentials; never one per Resource.
 */
import type {
  AuthService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  stringifyEntityRef,
  type CompoundEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  getKratixResourceRefs,
  KRATIX_ENTITY_REF_ANNOTATION,
  KRATIX_ENTITY_UID_ANNOTATION,
  normalizeEntityRef,
  summarizeWorks,
  type KratixResourceObject,
  type EntityResourcesResponse,
  type KratixClusterError,
  type KratixResourceView,
  type KratixResourceRef,
  type KratixResourceRefError,
  type KratixRequestView,
} from '@kratix-backstage/plugin-kratix-common';
import {
  entityOwners,
  KratixClusterUnavailableError,
  resourceViewOf,
  type KratixClusterService,
  type KratixPermissionResource,
  type ResolvedResource,
  type RefNotFoundReason,
} from '@kratix-backstage/plugin-kratix-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { LinkTrust } from './linkTrust';
import { mayReadEntityLocally, mayReadResources } from './readDecision';
import type { CallerDecisions, ReadDecisions } from '../cache/CallerDecisions';
import type { ClusterReadAccess } from './clusterReadAccess';
import type { EntityCache } from '../cache/EntityCache';
import type { ResourceAddress } from './types';

/** How the platform and the policy judged one link (claimed, or the platform's). */
type LinkOutcome =
  | { resolved: ResolvedResource; ref: KratixResourceRef }
  | {
      error: KratixResourceRefError;
      /** The Resource names the entity but was bound to another entity of that name. */
      stale?: ResolvedResource;
      clusterError?: KratixClusterError;
      /** The cluster's own error, so a one-Resource read can answer 503/504 with it. */
      cause?: Error;
    };

export class EntityResources {
  constructor(
    private readonly catalog: CatalogService,
    private readonly permissions: PermissionsService,
    private readonly clusters: KratixClusterService,
    private readonly trust: LinkTrust,
    private readonly auth: AuthService,
    private readonly decisions: CallerDecisions,
    private readonly entities: EntityCache,
    /** The cluster's review on clusters that act as each user; absent, the policy decides alone. */
    private readonly clusterAccess?: ClusterReadAccess,
    /** Requests delivered through Git for the entity that the caller may see (issue 27). */
    private readonly requestsOf?: (
      entity: Entity,
      credentials: BackstageCredentials,
    ) => Promise<KratixRequestView[]>,
  ) {}

  /**
   * The caller's read decisions (`catalog.entity.read` and `kratix.resource.read`) for one request,
   * asked at once in one permission round trip. A request that passes them to each step below
   * (visibleEntity, then list or linkedResource) asks the policy once, whatever
   * `kratix.cache.decisionSeconds` is; a step given none asks CallerDecisions itself.
   */
  decide(credentials: BackstageCredentials): Promise<ReadDecisions> {
    const decided = this.decisions.get(credentials);
    // Awaited by whichever step needs them; a read that fails before that (a 404) must not leave
    // a rejection unhandled.
    decided.catch(() => undefined);
    return decided;
  }

  /**
   * The entity as the caller sees it in the catalog; 404 when they cannot see it.
   *
   * For a user, the entity is read with this plugin's credentials (EntityCache: kept for at most
   * `kratix.cache.entitySeconds`, read afresh every time at 0) while their `catalog.entity.read`
   * decision is asked in the same round trip as their Kratix one, and that decision is applied to
   * the entity with the catalog's own rule implementations: what the catalog, read as them, would
   * return, without a second permission round trip inside the catalog. A decision this plugin
   * cannot evaluate (an adopter's catalog rule) falls back to reading the catalog as the caller.
   *
   * A service principal reads the catalog as itself. The one exception: a service token with
   * access restrictions, which Backstage refuses to delegate to another plugin. It is read with
   * this plugin's credentials instead — a service is trusted with catalog reads unless restricted,
   * and its restrictions still bound what it gets here: `kratix.resource.read` is decided for it on
   * every Resource.
   */
  async visibleEntity(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
    decided?: Promise<ReadDecisions>,
  ): Promise<Entity> {
    const principal = credentials.principal as {
      type?: string;
      accessRestrictions?: unknown;
    };
    if (principal.type === 'user') {
      const [{ catalogRead }, found] = await Promise.all([
        decided ?? this.decisions.get(credentials),
        this.entities.get(ref),
      ]);
      // Missing for this plugin means missing for everyone.
      const visible = found ? mayReadEntityLocally(catalogRead, found) : false;
      if (visible === false) {
        throw new NotFoundError(`No entity ${stringifyEntityRef(ref)}`);
      }
      if (visible && found) return found;
      // Undecidable here (an adopter's catalog rule): read the catalog as the caller.
    }
    const catalogCredentials =
      principal.type === 'service' && principal.accessRestrictions
        ? await this.auth.getOwnServiceCredentials()
        : credentials;
    const entity = await this.catalog.getEntityByRef(ref, {
      credentials: catalogCredentials,
    });
    if (!entity) {
      throw new NotFoundError(`No entity ${stringifyEntityRef(ref)}`);
    }
    return entity;
  }

  /**
   * Every Resource the entity links to that the platform confirms and the caller may read, with
   * per-link and per-cluster errors beside them. 403 when the entity has confirmed links and the
   * caller may read none of them.
   */
  async list(
    entity: Entity,
    credentials: BackstageCredentials,
    decided?: Promise<ReadDecisions>,
  ): Promise<EntityResourcesResponse> {
    const { refs, errors: annotationErrors } = getKratixResourceRefs(entity);
    const [claimed, platform, requests] = await Promise.all([
      Promise.all(refs.map(ref => this.resolve(entity, ref))),
      this.platformLinked(entity),
      this.requestsOf?.(entity, credentials) ?? [],
    ]);
    // A Resource both claimed and the platform's is listed once, as claimed.
    const claimedKeys = new Set(
      claimed.flatMap(o => ('resolved' in o ? [keyOf(o.resolved)] : [])),
    );
    const unclaimed = platform.items.filter(r => !claimedKeys.has(keyOf(r)));
    // One policy round for both; the platform's links the caller may not read are dropped.
    const judgedAll = await this.judge(
      entity,
      [
        ...claimed,
        ...unclaimed.map(resolved => ({ resolved, ref: addressOf(resolved) })),
      ],
      credentials,
      decided,
    );
    const outcomes = await this.explainStale(
      judgedAll.slice(0, claimed.length),
      credentials,
      decided,
    );
    const platformReadable = judgedAll
      .slice(claimed.length)
      .flatMap(o => ('resolved' in o ? [o.resolved] : []));
    const clusterErrors = new Map<string, KratixClusterError>(
      platform.errors.map(e => [e.cluster, e]),
    );
    const refErrors: KratixResourceRefError[] = [];
    const items = await Promise.all([
      ...outcomes.flatMap(outcome =>
        'resolved' in outcome
          ? [this.viewWithWorks(outcome.resolved, 'claimed')]
          : [],
      ),
      ...platformReadable.map(r => this.viewWithWorks(r, 'platform')),
    ]);
    for (const outcome of outcomes) {
      if (!('resolved' in outcome)) {
        refErrors.push(outcome.error);
        if (outcome.clusterError) {
          clusterErrors.set(outcome.clusterError.cluster, outcome.clusterError);
        }
      }
    }
    // A create the watches already show live is not pending any more, whatever the ledger says yet.
    const live = new Set(items.map(i => keyOfView(i)));
    const pending = requests.filter(
      r => r.operation !== 'create' || !live.has(keyOfView(r)),
    );
    if (
      items.length === 0 &&
      pending.length === 0 &&
      refErrors.some(e => e.reason === 'forbidden')
    ) {
      throw new NotAllowedError(
        `You may not read the Kratix Resources of ${stringifyEntityRef(
          entity,
        )}`,
      );
    }
    return {
      items,
      refErrors,
      annotationErrors,
      clusters: this.clusters.clusters(),
      errors: [...clusterErrors.values()],
      observedAt: new Date().toISOString(),
      ...(pending.length ? { requests: pending } : {}),
    };
  }

  /**
   * A stale link (the Resource was bound to another entity of this name) is named as such only to a
   * caller who may read every Resource (the platform team, who can re-bind it); anyone else sees the
   * same "not confirmed" as for a Resource that does not exist.
   */
  private async explainStale(
    outcomes: LinkOutcome[],
    credentials: BackstageCredentials,
    decided?: Promise<ReadDecisions>,
  ): Promise<LinkOutcome[]> {
    if (!outcomes.some(o => 'error' in o && o.stale)) return outcomes;
    const { kratixRead } = await (decided ?? this.decisions.get(credentials));
    if (kratixRead.result !== AuthorizeResult.ALLOW) return outcomes;
    return outcomes.map(outcome => {
      if (!('error' in outcome) || !outcome.stale) return outcome;
      const { metadata } = outcome.stale.object;
      const annotations = metadata.annotations ?? {};
      return {
        error: {
          ref: outcome.error.ref,
          reason: 'stale',
          message:
            `${outcome.stale.kind.promise}/${metadata.namespace ?? 'default'}/${
              metadata.name
            } was created for another entity named ${
              annotations[KRATIX_ENTITY_REF_ANNOTATION]
            } (uid ${
              annotations[KRATIX_ENTITY_UID_ANNOTATION]
            }), since deleted, renamed or ` +
            `registered again. If this entity is its rightful owner, re-bind it: kubectl annotate ` +
            `${outcome.stale.kind.plural}.${outcome.stale.kind.group} ${
              metadata.name
            } -n ${
              metadata.namespace ?? 'default'
            } --overwrite ${KRATIX_ENTITY_UID_ANNOTATION}=<this entity's metadata.uid>`,
        },
      };
    });
  }

  /**
   * The Resources the platform links to the entity without its claiming them, in a stable order
   * (the live stream compares snapshots), before `kratix.resource.read`.
   */
  private async platformLinked(entity: Entity): Promise<{
    items: ResolvedResource[];
    errors: KratixClusterError[];
  }> {
    const { items, errors } = await this.clusters.resourcesNaming(
      stringifyEntityRef(entity),
    );
    return {
      items: items
        .filter(r => this.trust.platformLink(entity, r) !== undefined)
        .sort((a, b) => keyOf(a).localeCompare(keyOf(b))),
      errors,
    };
  }

  /** The view with its Works in brief; without them when the cluster's Works cannot be read. */
  private async viewWithWorks(
    resolved: ResolvedResource,
    link: KratixResourceView['link'],
  ): Promise<KratixResourceView> {
    const view = { ...resourceViewOf(resolved), link };
    try {
      return {
        ...view,
        works: summarizeWorks(await this.clusters.listResourceWorks(resolved)),
      };
    } catch {
      return view;
    }
  }

  /**
   * One Resource of the entity, for callers that name it (the MCP actions): the same Resources
   * as the entity's list (linkedResource).
   */
  async resourceOf(
    entity: Entity,
    address: ResourceAddress,
    credentials: BackstageCredentials,
    decided?: Promise<ReadDecisions>,
  ): Promise<ResolvedResource> {
    return this.findLinked(entity, address, credentials, decided);
  }

  /** The Resource as the permission rules see it, read through `entity`. */
  static permissionResource(
    resolved: ResolvedResource,
    owners: string[],
  ): KratixPermissionResource {
    const { metadata } = resolved.object;
    return {
      cluster: resolved.kind.cluster,
      promise: resolved.kind.promise,
      namespace: metadata.namespace ?? 'default',
      name: metadata.name,
      labels: metadata.labels ?? {},
      entityRef: metadata.annotations?.[KRATIX_ENTITY_REF_ANNOTATION],
      owners,
    };
  }

  /** Whether a Resource's entity-ref annotation names the entity (a claim, not yet a binding). */
  static names(object: KratixResourceObject, entity: Entity): boolean {
    const named = object.metadata.annotations?.[KRATIX_ENTITY_REF_ANNOTATION];
    return (
      named !== undefined &&
      normalizeEntityRef(named) === normalizeEntityRef(entity)
    );
  }

  /** Whether a change on a cluster concerns one of the entity's links. */
  static concerns(
    refs: KratixResourceRef[],
    defaultCluster: string | undefined,
    change: {
      cluster: string;
      promise: string;
      kind: string;
      namespace: string;
      name: string;
    },
  ): boolean {
    return refs.some(
      ref =>
        (ref.cluster ?? defaultCluster) === change.cluster &&
        ref.namespace === change.namespace &&
        ref.name === change.name &&
        (ref.promise
          ? ref.promise === change.promise
          : ref.kind === change.kind),
    );
  }

  /**
   * One of the entity's Resources (claimed and confirmed, or the platform's: as listed), if the
   * caller may read it.
   */
  async linkedResource(
    entity: Entity,
    address: ResourceAddress,
    credentials: BackstageCredentials,
    decided?: Promise<ReadDecisions>,
  ): Promise<ResolvedResource> {
    return this.findLinked(entity, address, credentials, decided);
  }

  private async findLinked(
    entity: Entity,
    address: ResourceAddress,
    credentials: BackstageCredentials,
    given?: Promise<ReadDecisions>,
  ): Promise<ResolvedResource> {
    // Both judgements below use the same decisions: one ask, whatever the cache settings.
    const decided = given ?? this.decide(credentials);
    const { refs } = getKratixResourceRefs(entity);
    const defaultCluster = this.clusters.defaultCluster();
    const candidates = refs.filter(
      ref =>
        (ref.cluster ?? defaultCluster) === address.cluster &&
        ref.namespace === address.namespace &&
        ref.name === address.name,
    );
    const outcomes = await this.judge(
      entity,
      await Promise.all(candidates.map(ref => this.resolve(entity, ref))),
      credentials,
      decided,
    );
    for (const outcome of outcomes) {
      if ('resolved' in outcome) {
        if (outcome.resolved.kind.promise === address.promise) {
          return outcome.resolved;
        }
      } else if (outcome.cause) {
        throw outcome.cause;
      }
    }
    // Not claimed (or not confirmed): the platform's own link. The same steps whether the Resource
    // is missing, someone else's or refused, and one answer; only a cluster that is down says so.
    const resolved = await this.clusters
      .resolveResource(address)
      .catch((error: unknown) => {
        if (error instanceof KratixClusterUnavailableError) throw error;
        return undefined;
      });
    const linked =
      resolved !== undefined &&
      resolved.kind.promise === address.promise &&
      this.trust.platformLink(entity, resolved) !== undefined;
    const [platformOutcome] = await this.judge(
      entity,
      linked ? [{ resolved: resolved!, ref: address }] : [],
      credentials,
      decided,
    );
    if (platformOutcome && 'resolved' in platformOutcome) {
      return platformOutcome.resolved;
    }
    // Forbidden, unconfirmed and missing read the same (status 404, one message).
    throw notLinked(entity, address);
  }

  /** Looks a claimed link up and asks the platform side whether it agrees. */
  private async resolve(
    entity: Entity,
    ref: KratixResourceRef,
  ): Promise<LinkOutcome> {
    const cluster = ref.cluster ?? this.clusters.defaultCluster() ?? '';
    const notConfirmed = (): LinkOutcome => ({
      error: {
        ref,
        reason: 'not-confirmed',
        message: notConfirmedMessage(entity, ref, cluster),
      },
    });
    try {
      const resolved = await this.clusters.resolveResource(ref);
      if (this.trust.confirm(entity, resolved)) return { resolved, ref };
      return this.trust.isStale(entity, resolved)
        ? { ...notConfirmed(), stale: resolved }
        : notConfirmed();
    } catch (error) {
      if (error instanceof KratixClusterUnavailableError) {
        return {
          error: { ref, reason: 'cluster-error', message: error.message },
          clusterError: error.toJSON(),
          cause: error,
        };
      }
      const reason = (error as { reason?: RefNotFoundReason }).reason;
      if (!reason) throw error;
      // A missing Resource is reported as such only when the link is confirmed without it;
      // otherwise "missing" and "someone else's" must read the same.
      if (
        reason === 'not-found' &&
        !this.trust.confirmWithoutResource(entity, {
          cluster,
          namespace: ref.namespace,
        })
      ) {
        return notConfirmed();
      }
      return { error: { ref, reason, message: (error as Error).message } };
    }
  }

  /** Applies `kratix.resource.read` to the confirmed links. */
  private async judge(
    entity: Entity,
    outcomes: LinkOutcome[],
    credentials: BackstageCredentials,
    decided?: Promise<ReadDecisions>,
  ): Promise<LinkOutcome[]> {
    const owners = entityOwners(entity);
    const confirmed = outcomes.flatMap(o =>
      'resolved' in o ? [o.resolved] : [],
    );
    // Asked whether or not anything is confirmed, so a refusal and a miss do the same work.
    const { kratixRead } = await (decided ?? this.decisions.get(credentials));
    const allowed = await mayReadResources(
      this.permissions,
      credentials,
      confirmed.map(r => EntityResources.permissionResource(r, owners)),
      {
        known: kratixRead,
        cluster: this.clusterAccess && {
          access: this.clusterAccess,
          resolved: confirmed,
        },
      },
    );
    const verdict = new Map(confirmed.map((r, i) => [r, allowed[i]]));
    return outcomes.map(outcome => {
      if (!('resolved' in outcome) || verdict.get(outcome.resolved)) {
        return outcome;
      }
      const { kind, object } = outcome.resolved;
      return {
        error: {
          ref: outcome.ref,
          reason: 'forbidden',
          message: `You may not read ${kind.promise}/${
            object.metadata.namespace ?? 'default'
          }/${object.metadata.name}`,
        },
      };
    });
  }
}

/** One Resource's identity, for de-duplicating and ordering. */
function keyOf({ kind, object }: ResolvedResource): string {
  return [
    kind.cluster,
    kind.promise,
    object.metadata.namespace ?? 'default',
    object.metadata.name,
  ].join('/');
}

function addressOf({ kind, object }: ResolvedResource): ResourceAddress {
  return {
    cluster: kind.cluster,
    promise: kind.promise,
    namespace: object.metadata.namespace ?? 'default',
    name: object.metadata.name,
  };
}

/** The one not-found for a Resource an entity does not link for the caller (also a request id they may not follow). */
export function notLinked(
  entity: Entity,
  address: ResourceAddress,
): NotFoundError {
  return new NotFoundError(
    `${stringifyEntityRef(entity)} links no Resource ${address.cluster}:${
      address.promise
    }/${address.namespace}/${
      address.name
    } that the platform confirms and you may read`,
  );
}

function notConfirmedMessage(
  entity: Entity,
  ref: KratixResourceRef,
  cluster: string,
): string {
  const what = `${cluster}:${ref.promise ?? ref.kind}/${ref.namespace}/${
    ref.name
  }`;
  return (
    `Link to ${what} is not confirmed by the platform. ` +
    `The Resource must name this entity in its ${KRATIX_ENTITY_REF_ANNOTATION} annotation ` +
    `(set when it is created through Backstage for ${stringifyEntityRef(
      entity,
    )}), ` +
    `or the platform team must map its namespace to this entity's owner (kratix.namespaceOwners). ` +
    `A link recorded for an entity that was deleted, renamed or registered again under this name ` +
    `does not carry over: the platform team can re-bind it.`
  );
}

function keyOfView(r: {
  cluster: string;
  namespace: string;
  promise: string;
  name: string;
}): string {
  return `${r.cluster}/${r.namespace}/${r.promise}/${r.name}`;
}
