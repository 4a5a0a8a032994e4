/*
 * Follows requests delivered through Git until the platform has them. From the cluster watches: a
 * Resource carrying a pending request's id (kratix.backstage.io/request-id) applies that request and
 * supersedes older ones for the same Resource; a Resource that goes applies a pending delete. At
 * start, one walk over the Resources the watches hold catches up on what appeared while no backend
 * ran. A scheduled check (kratix-requests-check, one replica at a time) looks again at each open
 * request on the cluster (so nothing a missed change or a restart left behind stays pending), marks
 * old ones stale and asks the forge whether pull requests were closed. For gitops requests it reads
 * each repository's branch once and closes the requests whose file was removed or now carries
 * another request (a delete's file put back): the platform will never apply them. Every change goes
 * through the ledger's state-guarded updates, so replicas doing the same work change each row once.
 */
import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { isError, NotFoundError } from '@backstage/errors';
import { KRATIX_REQUEST_ID_ANNOTATION } from '@kratix-backstage/plugin-kratix-common';
import type {
  KratixClusterService,
  ResourceChange,
} from '@kratix-backstage/plugin-kratix-node';
import { parseAllDocuments } from 'yaml';
import { addedChange, forEachHeldResource } from '../service/heldResources';
import {
  sameTarget,
  type RecordedRequest,
  type RequestLedger,
  type RequestTarget,
} from './RequestLedger';
import { readRequestSettings, type RequestSettings } from './requestsConfig';

/** Where the forge says a pull or merge request stands (kratix-node's GitRequestWriter has it). */
export interface PullRequestStates {
  pullRequestState(
    repository: string,
    url: string,
  ): Promise<'open' | 'merged' | 'closed' | 'unknown'>;
}

/** What a branch holds at some paths (kratix-node's GitRequestWriter has it). */
export interface BranchReader {
  /** Each path's text at the branch's head, undefined where no file is; throws when it cannot read. */
  readBranch(
    repository: string,
    branch: string,
    paths: readonly string[],
  ): Promise<{ files: Map<string, string | undefined> }>;
}

export interface RequestTrackerOptions {
  clusters: KratixClusterService;
  ledger: RequestLedger;
  /**
   * Without it, no pull request is ever found closed; without its `readBranch`, no gitops request
   * is found gone from its branch.
   */
  writer?: PullRequestStates & Partial<BranchReader>;
  scheduler: SchedulerService;
  logger: LoggerService;
  config: Config;
}

/** What one scheduled check changed. */
export interface RequestCheckResult {
  applied: number;
  stale: number;
  /** Pull requests closed unmerged, and gitops requests gone from their branch. */
  closed: number;
}

/** Request ids the tracker knows are settled: their Resources' later changes need no lookup. */
const SETTLED_REMEMBERED = 10_000;

/** How often the forge is asked about a stale request's pull request: it may stay open for days. */
const STALE_PULL_REQUEST_CHECK_MS = 15 * 60_000;

const targetOf = (change: ResourceChange): RequestTarget => ({
  cluster: change.cluster,
  namespace: change.object.metadata.namespace ?? 'default',
  promise: change.kind.promise,
  name: change.object.metadata.name,
});

/**
 * The request ids a manifest file carries (each YAML document's request-id annotation); undefined
 * when the file is not YAML, so nothing is concluded from it.
 */
function requestIdsIn(text: string): Set<string> | undefined {
  const ids = new Set<string>();
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) return undefined;
    const id = (document.toJS() as any)?.metadata?.annotations?.[
      KRATIX_REQUEST_ID_ANNOTATION
    ];
    if (typeof id === 'string') ids.add(id);
  }
  return ids;
}

export class RequestTracker {
  /** Subscribes to the watches, starts the catch-up walk and schedules the check. */
  static async start(options: RequestTrackerOptions): Promise<RequestTracker> {
    const settings = readRequestSettings(options.config);
    const tracker = new RequestTracker(options, settings);
    tracker.subscribe();
    await options.scheduler.scheduleTask({
      id: 'kratix-requests-check',
      frequency: { milliseconds: settings.checkIntervalMs },
      timeout: { minutes: 5 },
      initialDelay: { milliseconds: settings.checkIntervalMs },
      fn: async () => {
        await tracker.check();
      },
    });
    return tracker;
  }

  /** Resolves when the start-up walk over the held Resources has been observed and written. */
  readonly caughtUp: Promise<void>;
  private resolveCaughtUp: () => void = () => {};
  private pending: Promise<void> = Promise.resolve();
  private unsubscribe?: () => void;
  private readonly settled = new Set<string>();
  /** When the forge was last asked about each stale request's pull request. */
  private readonly staleAsked = new Map<string, number>();

  private constructor(
    private readonly options: RequestTrackerOptions,
    private readonly settings: RequestSettings,
  ) {
    this.caughtUp = new Promise(resolve => {
      this.resolveCaughtUp = resolve;
    });
  }

  private subscribe() {
    const { clusters, logger } = this.options;
    this.unsubscribe = clusters.onResourceChange(change =>
      this.observe(change),
    );
    // The watches started before this subscribed: what they already hold is looked at once too.
    void forEachHeldResource(
      clusters,
      resolved => this.observe(addedChange(resolved)),
      (cluster, error) =>
        logger.warn(
          `Could not look for applied Kratix requests on cluster ${cluster} at startup: ${error}`,
        ),
    )
      .then(() => this.flush())
      .finally(() => this.resolveCaughtUp());
  }

  /** Stops following the watches; resolves when what was observed is written. */
  stop(): Promise<void> {
    this.unsubscribe?.();
    return this.pending;
  }

  /** Resolves when everything observed so far is written (tests and shutdown). */
  flush(): Promise<void> {
    return this.pending;
  }

  private observe(change: ResourceChange) {
    // A Work or placement changing says nothing new about the Resource's request.
    if (change.work) return;
    if (change.type === 'deleted') {
      this.enqueue(() => this.resourceDeleted(targetOf(change)));
      return;
    }
    const id =
      change.object.metadata.annotations?.[KRATIX_REQUEST_ID_ANNOTATION];
    if (!id || this.settled.has(id)) return;
    this.enqueue(() =>
      this.resourceCarries(id, targetOf(change), change.object.metadata.uid),
    );
  }

  /** One write at a time, in the order the watches delivered the changes. */
  private enqueue(work: () => Promise<unknown>) {
    this.pending = this.pending
      .then(async () => {
        await work();
      })
      .catch(error => {
        this.options.logger.warn(
          `Could not update the Kratix request ledger: ${error}`,
        );
      });
  }

  private remember(id: string) {
    if (this.settled.size >= SETTLED_REMEMBERED) {
      // Sets iterate in insertion order: the oldest goes.
      this.settled.delete(this.settled.values().next().value!);
    }
    this.settled.add(id);
  }

  /** The Resource carries a request id: that request, if open and for this Resource, is applied. */
  private async resourceCarries(
    id: string,
    target: RequestTarget,
    uid: string | undefined,
  ): Promise<boolean> {
    const request = await this.options.ledger.get(id);
    // Not recorded (yet: the scheduled check looks again) or another backend's: nothing to do.
    if (!request) return false;
    if (request.state !== 'pending' && request.state !== 'stale') {
      this.remember(id);
      return false;
    }
    // The id copied onto another Resource, or a delete's: it does not apply this request.
    if (request.operation === 'delete' || !sameTarget(request, target)) {
      return false;
    }
    const applied = await this.applied(request, uid);
    this.remember(id);
    return applied;
  }

  /** The Resource went: the open delete requests for it are applied (the newest supersedes). */
  private async resourceDeleted(target: RequestTarget): Promise<boolean> {
    const deletes = await this.options.ledger.openRequests(target, 'delete');
    const newest = deletes[deletes.length - 1];
    return newest ? this.applied(newest) : false;
  }

  private async applied(
    request: RecordedRequest,
    uid?: string,
  ): Promise<boolean> {
    const { ledger, logger } = this.options;
    if (!(await ledger.markApplied(request.id, uid))) return false;
    const superseded = await ledger.supersedeOlder(request, request.id);
    logger.info(
      `Kratix request ${request.id} (${request.operation} ${request.promise} ${request.namespace}/${request.name} on ${request.cluster}) was applied by the platform`,
      { superseded },
    );
    return true;
  }

  /**
   * The scheduled check: each open request looked up on its cluster (applied if its Resource
   * carries its id, or for a delete, is gone), then pending ones older than
   * kratix.delivery.staleAfterMinutes marked stale, then open pull requests the forge says were
   * closed, and gitops requests their branch no longer holds, marked closed.
   */
  async check(now = new Date()): Promise<RequestCheckResult> {
    const { ledger } = this.options;
    let applied = 0;
    let closed = 0;
    const open = await ledger.listPending({ includeStale: true, now });
    // A cluster that cannot answer is asked once per check, not once per request.
    const unreachable = new Set<string>();
    for (const request of open) {
      if (unreachable.has(request.cluster)) continue;
      const found = await this.lookOnCluster(request);
      if (found === 'unreachable') unreachable.add(request.cluster);
      else if (found) applied += 1;
    }
    const stale = await ledger.markStale(
      new Date(now.getTime() - this.settings.staleAfterMs),
      now,
    );
    const stillOpen = await ledger.listPending({ includeStale: true, now });
    for (const id of this.staleAsked.keys()) {
      if (!stillOpen.some(r => r.id === id)) this.staleAsked.delete(id);
    }
    for (const request of stillOpen) {
      if (await this.pullRequestClosed(request, now)) closed += 1;
    }
    closed += await this.goneFromBranches(stillOpen, now);
    return { applied, stale, closed };
  }

  /**
   * Reads each repository's branch once for its open gitops requests and closes those it no longer
   * holds. Requests are recorded after their commit is pushed, so a listed request's file was on
   * the branch; a repository that cannot be read changes nothing and is logged once.
   */
  private async goneFromBranches(
    open: RecordedRequest[],
    now: Date,
  ): Promise<number> {
    const { writer, logger } = this.options;
    if (!writer?.readBranch) return 0;
    const byBranch = new Map<string, RecordedRequest[]>();
    for (const request of open) {
      if (request.mode !== 'gitops') continue;
      const key = `${request.repository} ${request.branch}`;
      byBranch.set(key, [...(byBranch.get(key) ?? []), request]);
    }
    let closed = 0;
    for (const requests of byBranch.values()) {
      const { repository, branch } = requests[0];
      let files: Map<string, string | undefined>;
      try {
        ({ files } = await writer.readBranch(
          repository,
          branch,
          requests.map(r => r.path),
        ));
      } catch (error) {
        // The writer's errors name the repository and never its credentials.
        logger.warn(
          `Could not read ${branch} of ${repository} to follow ${
            requests.length
          } Kratix request(s) on it: ${isError(error) ? error.message : error}`,
        );
        continue;
      }
      for (const request of requests) {
        const gone = await this.goneFromBranch(
          request,
          files.get(request.path),
        );
        if (
          gone &&
          (await this.options.ledger.markClosedOnBranch(request.id, now))
        ) {
          closed += 1;
          logger.info(
            `Kratix request ${request.id} (${request.operation} ${request.promise} ${request.namespace}/${request.name} on ${request.cluster}) was closed: ${gone}`,
          );
        }
      }
    }
    return closed;
  }

  /**
   * Why the branch no longer holds the request (its file removed, replaced, or for a delete, back),
   * or undefined when it still does or nothing can be concluded. A file carrying a later request
   * for the same Resource (this backend's own) leaves it open: that one supersedes it when applied.
   */
  private async goneFromBranch(
    request: RecordedRequest,
    text: string | undefined,
  ): Promise<string | undefined> {
    const where = `${request.path} on ${request.branch} of ${request.repository}`;
    const isDelete = request.operation === 'delete';
    if (text === undefined) {
      return isDelete
        ? undefined
        : `its file ${where} was removed before the platform applied it`;
    }
    const ids = requestIdsIn(text);
    // Not YAML: nothing to conclude about a create or update (a delete's file is back all the same).
    if (!isDelete && (!ids || ids.has(request.id))) return undefined;
    if (ids && (await this.laterRequestFor(request, ids))) return undefined;
    return isDelete
      ? `its file ${where} was put back before the platform deleted the Resource`
      : `its file ${where} now carries another request before the platform applied it`;
  }

  /** Whether one of `ids` is a request for the same Resource recorded at or after `request`. */
  private async laterRequestFor(
    request: RecordedRequest,
    ids: Set<string>,
  ): Promise<boolean> {
    for (const id of ids) {
      const other = await this.options.ledger.get(id);
      if (
        other &&
        sameTarget(other, request) &&
        Date.parse(other.createdAt) >= Date.parse(request.createdAt)
      ) {
        return true;
      }
    }
    return false;
  }

  private async lookOnCluster(
    request: RecordedRequest,
  ): Promise<boolean | 'unreachable'> {
    const { clusters, logger } = this.options;
    try {
      const { object } = await clusters.resolveResource({
        cluster: request.cluster,
        promise: request.promise,
        namespace: request.namespace,
        name: request.name,
      });
      if (request.operation === 'delete') return false;
      return object.metadata.annotations?.[KRATIX_REQUEST_ID_ANNOTATION] ===
        request.id
        ? await this.applied(request, object.metadata.uid)
        : false;
    } catch (error) {
      // Only "no such Resource" (its Promise known, its cache filled) says a delete happened.
      if (
        error instanceof NotFoundError &&
        (error as { reason?: string }).reason === 'not-found'
      ) {
        return request.operation === 'delete' ? this.applied(request) : false;
      }
      if (error instanceof NotFoundError) return false;
      logger.debug(
        `Could not look for Kratix requests on cluster ${request.cluster}: ${
          isError(error) ? error.message : error
        }`,
      );
      return 'unreachable';
    }
  }

  private async pullRequestClosed(
    request: RecordedRequest,
    now: Date,
  ): Promise<boolean> {
    const { writer, ledger, logger } = this.options;
    if (!writer || request.mode !== 'pull-request' || !request.pullRequestUrl) {
      return false;
    }
    // Merged: nothing more to learn from the forge; the platform applies it or it goes stale.
    if (request.pullRequestMergedAt) return false;
    if (request.state === 'stale') {
      const asked = this.staleAsked.get(request.id);
      if (
        asked !== undefined &&
        now.getTime() - asked < STALE_PULL_REQUEST_CHECK_MS
      ) {
        return false;
      }
      this.staleAsked.set(request.id, now.getTime());
    }
    let state: Awaited<ReturnType<PullRequestStates['pullRequestState']>>;
    try {
      state = await writer.pullRequestState(
        request.repository,
        request.pullRequestUrl,
      );
    } catch (error) {
      logger.debug(
        `Could not ask where pull request ${request.pullRequestUrl} stands: ${error}`,
      );
      return false;
    }
    if (state === 'merged') {
      // Still open until the platform applies it; only what it says changes.
      if (await ledger.markMerged(request.id, now)) {
        logger.info(
          `Kratix request ${request.id}: pull request ${request.pullRequestUrl} was merged`,
        );
      }
      return false;
    }
    if (state !== 'closed') return false;
    const changed = await ledger.markClosed(request.id, now);
    if (changed) {
      logger.info(
        `Kratix request ${request.id}: pull request ${request.pullRequestUrl} was closed without merging`,
      );
    }
    return changed;
  }
}
