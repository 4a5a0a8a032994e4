/*
 * Tells the people who asked what happened to their Resource: every Resource change the watches
 * see is turned into events (resourceEvents.ts); each event is claimed in the database, and the
 * replica whose claim wins sends one Backstage notification, scoped to the Resource incarnation so
 * later events replace it in place. Recipients: the requester and the owners of the entity the
 * platform binds the Resource to (the read path's link trust); nobody else.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import {
  KRATIX_REQUESTED_BY_ANNOTATION,
  kratixEntityTabPath,
  kratixResourcePagePath,
  normalizeEntityRef,
  type KratixResourceObject,
} from '@kratix-backstage/plugin-kratix-common';
import type {
  KratixClusterService,
  ResolvedResource,
  ResourceChange,
} from '@kratix-backstage/plugin-kratix-node';
import { addedChange, forEachHeldResource } from '../service/heldResources';
import type { ResourceAudienceOf } from '../service/resourceOwners';
import type { NotificationClaims } from './NotificationClaims';
import {
  eventWanted,
  type NotificationEvent,
  type NotificationSettings,
} from './notificationsConfig';
import {
  conditionEvents,
  deletedEvent,
  describe,
  healthEvent,
  healthStateOf,
  type ResourceEvent,
} from './resourceEvents';

/** The notification topic of each event: what a user turns off in Backstage's settings. */
export const NOTIFICATION_TOPICS: Record<NotificationEvent, string> = {
  completed: 'Resource ready',
  failed: 'Resource failed',
  'works-failing': 'Works failing',
  health: 'Health changed',
  deleted: 'Resource deleted',
  'delete-failed': 'Delete failed',
  stuck: 'Still not ready',
};

const SEVERITY_ORDER = ['low', 'normal', 'high', 'critical'];

/** The notification scope: one notification per Resource incarnation, replaced in place. */
export function notificationScope(cluster: string, uid: string): string {
  return `kratix-resource:${cluster}/${uid}`;
}

export interface ResourceNotifierOptions {
  clusters: KratixClusterService;
  claims: NotificationClaims;
  notifications: NotificationService;
  audienceOf: ResourceAudienceOf;
  settings: NotificationSettings;
  logger: LoggerService;
  /**
   * On clusters that act as each user: the recipients the cluster would let `get` the Resource
   * (groups expanded to their members, each user asked with a SubjectAccessReview).
   */
  clusterRecipients?: (
    resolved: ResolvedResource,
    recipients: string[],
  ) => Promise<string[]>;
}

export class ResourceNotifier {
  /** Per Resource (`cluster/uid`): the event keys this replica has dealt with. */
  private readonly handled = new Map<string, Set<string>>();
  /** Per Resource: the health state at its last sighting. */
  private readonly health = new Map<string, string>();
  private pending: Promise<unknown>;
  private unsubscribe?: () => void;
  private enabled = false;

  constructor(
    private readonly options: ResourceNotifierOptions,
    /** Resolves when the notifier knows whether to send (after the backend started). */
    ready: Promise<boolean>,
  ) {
    this.pending = ready.then(enabled => {
      this.enabled = enabled;
    });
  }

  /** Listens from now on; changes before `ready` wait for it. */
  start(): void {
    this.unsubscribe = this.options.clusters.onResourceChange(change =>
      this.observe(change),
    );
  }

  /**
   * Looks once at every Resource the watches already hold: the cluster service started its watches
   * before this notifier subscribed, so a transition made while the backend was down would
   * otherwise wait for the Resource's next change. Claims keep what was told before untold.
   */
  async catchUp(): Promise<void> {
    const { clusters, logger } = this.options;
    await forEachHeldResource(
      clusters,
      resolved => this.observe(addedChange(resolved)),
      (cluster, error) =>
        logger.warn(
          `Kratix notifications could not look at cluster ${cluster}'s Resources at startup: ${error}`,
        ),
    );
    await this.flush();
  }

  stop(): Promise<void> {
    this.unsubscribe?.();
    return this.flush();
  }

  /** Resolves when everything observed so far is dealt with (tests and shutdown). */
  async flush(): Promise<void> {
    await this.pending;
  }

  /** Sends one event of a Resource (the stuck reminder's entry); same claim rules. */
  notify(resolved: ResolvedResource, event: ResourceEvent): Promise<void> {
    const resourceKey = `${resolved.kind.cluster}/${resolved.object.metadata.uid}`;
    if (!this.firstSighting(resourceKey, event.key)) return Promise.resolve();
    return this.enqueue(() => this.claimAndSend(resolved, event));
  }

  /**
   * True the first time this replica meets an event (and remembers it), so each change of a
   * Resource does not try its unchanged conditions' claims again; claims decide across replicas.
   */
  private firstSighting(resourceKey: string, eventKey: string): boolean {
    let handled = this.handled.get(resourceKey);
    if (!handled) {
      handled = new Set();
      this.handled.set(resourceKey, handled);
    }
    if (handled.has(eventKey)) return false;
    handled.add(eventKey);
    return true;
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.pending.then(async () => {
      if (this.enabled) await work();
    });
    // One at a time keeps a Resource's events in the order the watch delivered them.
    this.pending = next.catch(error =>
      this.options.logger.warn(`Kratix notification failed: ${error}`),
    );
    return this.pending as Promise<void>;
  }

  private observe(change: ResourceChange) {
    // A Work's change reaches the Resource's own WorksSucceeded condition, which is observed.
    if (change.work) return;
    const { object } = change;
    const uid = object.metadata.uid;
    if (!uid) return;
    const resourceKey = `${change.cluster}/${uid}`;
    let events: ResourceEvent[];
    if (change.type === 'deleted') {
      this.handled.delete(resourceKey);
      this.health.delete(resourceKey);
      events = [deletedEvent()];
    } else {
      const previousHealth = this.health.get(resourceKey);
      this.health.set(resourceKey, healthStateOf(object));
      const health = healthEvent(object, previousHealth);
      events = [...conditionEvents(object), ...(health ? [health] : [])];
    }
    const fresh = events
      .filter(e =>
        eventWanted(this.options.settings, change.kind.promise, e.event),
      )
      // A deletion is met once: its Resource's memory is already gone.
      .filter(
        e =>
          change.type === 'deleted' || this.firstSighting(resourceKey, e.key),
      )
      // The notification is replaced in place: the most severe event is sent last, so it stays.
      .sort(
        (a, b) =>
          SEVERITY_ORDER.indexOf(a.severity) -
          SEVERITY_ORDER.indexOf(b.severity),
      );
    const resolved = { kind: change.kind, object };
    for (const event of fresh) {
      void this.enqueue(() => this.claimAndSend(resolved, event));
    }
  }

  private async claimAndSend(resolved: ResolvedResource, event: ResourceEvent) {
    const { settings, claims, logger } = this.options;
    const cluster = resolved.kind.cluster;
    const resourceUid = resolved.object.metadata.uid ?? '';
    const claim = { cluster, resourceUid, eventKey: event.key };
    const at = event.at ? Date.parse(event.at) : NaN;
    // Older than the bound when first seen (first install, a long outage): claimed, never sent.
    const tooOld = Date.now() - at > settings.maxTransitionAgeMs;
    const again =
      event.event === 'completed' &&
      (await claims.claimedBefore(
        { cluster, resourceUid },
        'completed|',
        event.key,
      ));
    if (!(await claims.claim(claim, { sent: !tooOld }))) {
      logger.debug('Kratix notification already claimed', {
        event: event.event,
        eventKey: event.key,
        resourceUid,
      });
      return;
    }
    if (tooOld) return;
    try {
      await this.send(resolved, event, again);
    } catch (error) {
      // Given back, so a later sighting (this replica's restart, another replica's) may send it.
      await claims.release(claim).catch(() => undefined);
      throw error;
    }
  }

  private async send(
    resolved: ResolvedResource,
    event: ResourceEvent,
    again: boolean,
  ) {
    const { object, kind } = resolved;
    const { settings, logger } = this.options;
    const audience = await this.options.audienceOf(resolved);
    const requester = requesterOf(object);
    const recipients = new Set(
      audience.owners.length > 0 ? audience.owners : settings.unownedRecipients,
    );
    if (requester) recipients.add(requester);
    if (
      this.options.clusterRecipients &&
      this.options.clusters.actsAsUser(kind.cluster)
    ) {
      // The cluster's RBAC holds for notifications too: only those it lets see the Resource.
      const allowed = await this.options.clusterRecipients(resolved, [
        ...recipients,
      ]);
      recipients.clear();
      allowed.forEach(r => recipients.add(r));
    }
    const resourceUid = object.metadata.uid ?? '';
    const scope = notificationScope(kind.cluster, resourceUid);
    if (recipients.size === 0) {
      // Recorded as not sent: the claim stays, so no replica tells it later.
      await this.options.claims.markNotSent({
        cluster: kind.cluster,
        resourceUid,
        eventKey: event.key,
      });
      logger.debug('Kratix notification has no recipient', {
        event: event.event,
        resourceUid,
      });
      return;
    }
    const ref = {
      cluster: kind.cluster,
      promise: kind.promise,
      namespace: object.metadata.namespace ?? 'default',
      name: object.metadata.name,
    };
    const failedContainer =
      event.event === 'failed'
        ? await this.failedContainer(resolved, event)
        : undefined;
    const headline =
      event.event === 'completed' && again ? 'is ready again' : event.headline;
    const link = linkOf(audience.boundEntityRef, ref, event);
    await this.options.notifications.send({
      recipients: { type: 'entity', entityRef: [...recipients] },
      payload: {
        title: `${ref.promise} ${ref.name} ${headline}`,
        description: describe(object, event, failedContainer),
        link,
        severity: event.severity,
        topic: NOTIFICATION_TOPICS[event.event],
        scope,
        metadata: {
          ...ref,
          uid: resourceUid,
          event: event.event,
          ...(event.pipeline ? { pipeline: event.pipeline } : {}),
          ...(failedContainer ? { container: failedContainer } : {}),
        },
      },
    });
    logger.debug('Sent Kratix notification', {
      event: event.event,
      eventKey: event.key,
      resourceUid,
      scope,
    });
  }

  /** The failed container of the pipeline's newest failed run, when the Pod can still be read. */
  private async failedContainer(
    resolved: ResolvedResource,
    event: ResourceEvent,
  ): Promise<string | undefined> {
    try {
      const { runs } = await this.options.clusters.listWorkflowRuns(resolved);
      const run = runs.find(
        r =>
          r.phase === 'Failed' &&
          (!event.pipeline || r.pipeline === event.pipeline),
      );
      return run?.failedContainer;
    } catch {
      return undefined;
    }
  }
}

/**
 * The bound entity's Kratix tab, opened on the Resource (its tab alone once it is deleted); the
 * Resource's page when no entity is bound.
 */
function linkOf(
  boundEntityRef: string | undefined,
  ref: { cluster: string; promise: string; namespace: string; name: string },
  event: ResourceEvent,
): string {
  if (boundEntityRef) {
    try {
      return kratixEntityTabPath(
        boundEntityRef,
        event.event === 'deleted' ? undefined : ref,
      );
    } catch {
      // A ref that does not parse: the Resource's page still shows it.
    }
  }
  return kratixResourcePagePath(ref);
}

/** The requester the platform records (`kratix.backstage.io/requested-by`): a user only. */
function requesterOf(object: KratixResourceObject): string | undefined {
  const value = object.metadata.annotations?.[KRATIX_REQUESTED_BY_ANNOTATION];
  const ref = value
    ? normalizeEntityRef(value, { defaultKind: 'user' })
    : undefined;
  return ref?.startsWith('user:') ? ref : undefined;
}
