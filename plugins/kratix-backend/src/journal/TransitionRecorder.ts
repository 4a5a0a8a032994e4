/*
 * Feeds the journal from the cluster watches: every condition transition on every Resource, and on
 * its Works and WorkPlacements, is written once. An in-memory signature per (Resource, condition
 * type) skips the writes that would change nothing; the database's unique key makes the rest
 * idempotent across replicas and restarts.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  sortedConditions,
  type KratixCondition,
} from '@kratix-backstage/plugin-kratix-common';
import type {
  KratixClusterService,
  ResourceChange,
} from '@kratix-backstage/plugin-kratix-node';
import type { ConditionTransition, ResourceJournal } from './ResourceJournal';
import { workConditionType } from './workConditions';
import { addedChange, forEachHeldResource } from '../service/heldResources';

export function transitionsOf(
  change: ResourceChange,
  now: Date,
): ConditionTransition[] {
  const { object, kind, work } = change;
  const uid = object.metadata.uid;
  if (!uid) return [];
  const row = (condition: KratixCondition, conditionType: string) => ({
    cluster: change.cluster,
    promise: kind.promise,
    namespace: object.metadata.namespace ?? 'default',
    name: object.metadata.name,
    resourceUid: uid,
    conditionType,
    status: condition.status,
    reason: condition.reason ?? '',
    message: condition.message,
    transitionTime: condition.lastTransitionTime ?? now.toISOString(),
    generation: condition.observedGeneration ?? object.metadata.generation,
  });
  if (work) {
    // One of the Resource's Works or placements changed: its conditions go in the Resource's journal.
    return work.conditions.flatMap(condition => {
      const type = workConditionType({ ...work, type: condition.type });
      return type && condition.lastTransitionTime ? [row(condition, type)] : [];
    });
  }
  return sortedConditions(object.status).map(condition =>
    row(condition, condition.type),
  );
}

export class TransitionRecorder {
  /** Per Resource (`cluster/uid`), the last signature written for each condition type. */
  private readonly seen = new Map<string, Map<string, string>>();
  private pending: Promise<void> = Promise.resolve();
  private unsubscribe?: () => void;

  constructor(
    private readonly clusters: KratixClusterService,
    private readonly store: ResourceJournal,
    private readonly logger: LoggerService,
  ) {}

  start(): void {
    this.unsubscribe = this.clusters.onResourceChange(change =>
      this.observe(change),
    );
    // The watches started before this subscribed: what they already hold is recorded once too.
    void this.catchUp();
  }

  private catchUp(): Promise<void> {
    return forEachHeldResource(
      this.clusters,
      resolved => this.observe(addedChange(resolved)),
      (cluster, error) =>
        this.logger.warn(
          `Could not record cluster ${cluster}'s Kratix condition transitions at startup: ${error}`,
        ),
    );
  }

  stop(): Promise<void> {
    this.unsubscribe?.();
    return this.pending;
  }

  /** Resolves when everything observed so far is written (tests and shutdown). */
  flush(): Promise<void> {
    return this.pending;
  }

  private observe(change: ResourceChange) {
    const resourceKey = `${change.cluster}/${change.object.metadata.uid}`;
    if (change.type === 'deleted') {
      this.seen.delete(resourceKey);
      return;
    }
    let signatures = this.seen.get(resourceKey);
    if (!signatures) {
      signatures = new Map();
      this.seen.set(resourceKey, signatures);
    }
    const written = signatures;
    const fresh = transitionsOf(change, new Date()).filter(t => {
      const signature = `${t.status}|${t.reason}|${t.transitionTime}`;
      if (written.get(t.conditionType) === signature) return false;
      written.set(t.conditionType, signature);
      return true;
    });
    if (fresh.length === 0) return;
    // One write at a time keeps transitions in the order the watch delivered them.
    this.pending = this.pending
      .then(async () => {
        await this.store.record(fresh);
        // Says what this replica has written (tests wait on it; operators can trace it at debug).
        this.logger.debug(
          `Recorded ${fresh.length} Kratix condition transitions`,
          {
            resourceUid: change.object.metadata.uid ?? '',
            transitions: fresh.map(
              t => `${t.conditionType}=${t.status}@${t.transitionTime}`,
            ),
          },
        );
      })
      .catch(error => {
        // Forget them so the next change of this Resource tries again.
        fresh.forEach(t => written.delete(t.conditionType));
        this.logger.warn(
          `Could not record Kratix condition transitions: ${error}`,
        );
      });
  }
}
