/*
 * Emulates Kratix's WorkReconciler + Scheduler (KX internal/controller/work_controller.go,
 * scheduler.go): each workload group of a Work gets WorkPlacements on Destinations whose labels
 * match its destinationSelectors. A Resource's Work is placed on ONE Destination (chosen at random
 * among the matches) and never moved afterwards: if that Destination stops matching, the
 * WorkPlacement is labelled `kratix.io/misplaced` and the Work reports Misplaced. A group with no
 * matching Destination stays unscheduled (Work Ready = Pending) until one appears.
 */
import type { KubeObject, Store } from '../../store/types';
import { LABEL_PIPELINE_NAME } from '../common/constants';
import { setCondition, type ConditionInput } from '../common/conditions';
import {
  DESTINATION_KEY,
  WORK_KEY,
  WORKPLACEMENT_KEY,
} from './schedulingTypes';
import { clone, labelsOf, statusOf, updateStatus } from '../common/storeUtil';
import type { Selector, WorkloadGroup } from './workCreator';
import {
  MISMATCH,
  noEvents,
  type RecordEvent,
  schedulingMessages as messages,
} from './schedulingEvents';

export const LABEL_WORK = 'kratix.io/work';
export const LABEL_WORKLOAD_GROUP_ID = 'kratix.io/workload-group-id';
export const LABEL_MISPLACED = 'kratix.io/misplaced';
export const LABEL_TARGET_DESTINATION = 'kratix.io/targetDestinationName';

const MISMATCH_REASON = 'DestinationSelectorMismatch';
const MISMATCH_MESSAGE =
  'Target destination no longer matches destinationSelectors';

/** Lowest priority first (resource-workflow, promise-workflow, promise), so later keys win. */
export function resolveSelectors(
  selectors: Selector[] = [],
): Record<string, string> {
  const order: Record<string, number> = { promise: 2, 'promise-workflow': 1 };
  const rank = (s: Selector) => order[s.source ?? ''] ?? 0;
  const sorted = [...selectors].sort((a, b) => rank(a) - rank(b));
  return Object.assign({}, ...sorted.map(s => s.matchLabels ?? {}));
}

/** getDestinationsForWorkloadGroup, including strictMatchLabels. */
export function matchingDestinations(
  store: Store,
  selectors: Record<string, string>,
): KubeObject[] {
  const entries = Object.entries(selectors);
  return store.list(DESTINATION_KEY).items.filter(dest => {
    if (dest.metadata.deletionTimestamp) return false;
    const labels = labelsOf(dest);
    if (entries.length === 0)
      return !(
        (dest.spec as any)?.strictMatchLabels === true &&
        Object.keys(labels).length > 0
      );
    return entries.every(([k, v]) => labels[k] === v);
  });
}

const groupsOf = (work: KubeObject) =>
  ((work.spec as any)?.workloadGroups ?? []) as WorkloadGroup[];

export class Scheduler {
  constructor(
    private readonly store: Store,
    private readonly record: RecordEvent = noEvents,
    private readonly random: () => number = Math.random,
  ) {}

  /** WorkReconciler.Reconcile for one Work (resource Works only). */
  reconcileWork(namespace: string, name: string): void {
    const work = this.store.get(WORK_KEY, namespace, name);
    if (!work || work.metadata.deletionTimestamp) return;
    const unscheduled: string[] = [];
    const misplaced: string[] = [];
    for (const group of groupsOf(work)) {
      const result = this.reconcileGroup(work, group);
      if (result === 'unscheduled') unscheduled.push(group.id);
      if (result === 'misplaced') misplaced.push(group.id);
    }
    this.updateWorkStatus(work, unscheduled, misplaced);
    this.cleanupDangling(work);
    if (unscheduled.length > 0) {
      this.record(
        work,
        'Normal',
        'WaitingDestination',
        messages.waitingDestination(unscheduled),
        'WorkController',
      );
    } else {
      this.markFailingPlacements(work);
    }
  }

  private placementsOf(work: KubeObject, groupId?: string): KubeObject[] {
    const selector = [`${LABEL_WORK}=${work.metadata.name}`];
    if (groupId) selector.push(`${LABEL_WORKLOAD_GROUP_ID}=${groupId}`);
    return this.store.list(WORKPLACEMENT_KEY, {
      namespace: work.metadata.namespace,
      labelSelector: selector.join(','),
    }).items;
  }

  private reconcileGroup(
    work: KubeObject,
    group: WorkloadGroup,
  ): 'scheduled' | 'unscheduled' | 'misplaced' {
    const selectors = resolveSelectors(group.destinationSelectors);
    const matches = matchingDestinations(this.store, selectors).map(
      d => d.metadata.name,
    );
    const existing = this.placementsOf(work, group.id);
    if (existing.length > 0) {
      // A Resource's placement is updated in place, never rescheduled.
      let anyMisplaced = false;
      for (const wp of existing) {
        const isMisplaced = !matches.includes(
          (wp.spec as any)?.targetDestinationName,
        );
        anyMisplaced ||= isMisplaced;
        const next = clone(wp);
        if (isMisplaced)
          next.metadata.labels = {
            ...labelsOf(next),
            [LABEL_MISPLACED]: 'true',
          };
        (next.spec as any).workloads = group.workloads;
        this.store.update(WORKPLACEMENT_KEY, next);
        this.setPlacementStatus(wp, isMisplaced);
        if (isMisplaced)
          this.record(
            wp,
            'Warning',
            MISMATCH,
            messages.placementMisplaced(
              (wp.spec as any)?.targetDestinationName,
            ),
            'Scheduler',
          );
      }
      return anyMisplaced ? 'misplaced' : 'scheduled';
    }
    if (matches.length === 0) {
      this.record(
        work,
        'Normal',
        'NoMatchingDestination',
        messages.noMatchingDestination(group.id),
        'Scheduler',
      );
      return 'unscheduled';
    }
    const target = matches[Math.floor(this.random() * matches.length)];
    const wp = this.store.create(WORKPLACEMENT_KEY, {
      apiVersion: work.apiVersion,
      kind: 'WorkPlacement',
      metadata: {
        name: `${work.metadata.name}.${target}-${group.id.slice(0, 5)}`,
        namespace: work.metadata.namespace,
        labels: {
          [LABEL_WORK]: work.metadata.name,
          [LABEL_WORKLOAD_GROUP_ID]: group.id,
          [LABEL_TARGET_DESTINATION]: target,
          [LABEL_PIPELINE_NAME]: labelsOf(work)[LABEL_PIPELINE_NAME] ?? '',
        },
        ownerReferences: [
          {
            apiVersion: work.apiVersion,
            kind: 'Work',
            name: work.metadata.name,
            uid: work.metadata.uid!,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        id: group.id,
        promiseName: (work.spec as any)?.promiseName,
        resourceName: (work.spec as any)?.resourceName,
        targetDestinationName: target,
        workloads: group.workloads,
      },
    });
    this.setPlacementStatus(wp, false);
    this.record(
      work,
      'Normal',
      'WorkplacementReconciled',
      messages.placementReconciled(wp.metadata.name, 'created'),
      'Scheduler',
    );
    return 'scheduled';
  }

  /** updateWorkPlacementStatus: Ready only changes together with ScheduleSucceeded. */
  private setPlacementStatus(wp: KubeObject, misplaced: boolean) {
    const [schedule, ready]: ConditionInput[] = misplaced
      ? [
          {
            type: 'ScheduleSucceeded',
            status: 'False',
            reason: MISMATCH_REASON,
            message: MISMATCH_MESSAGE,
          },
          {
            type: 'Ready',
            status: 'False',
            reason: 'Misplaced',
            message: 'Misplaced',
          },
        ]
      : [
          {
            type: 'ScheduleSucceeded',
            status: 'True',
            reason: 'ScheduledToDestination',
            message: 'Scheduled to correct Destination',
          },
          { type: 'Ready', status: 'True', reason: 'Ready', message: 'Ready' },
        ];
    updateStatus(
      this.store,
      WORKPLACEMENT_KEY,
      wp.metadata.namespace,
      wp.metadata.name,
      status => {
        if (!setCondition(status, schedule, 'promise')) return false;
        setCondition(status, ready, 'promise');
        return true;
      },
    );
  }

  /** Scheduler.updateWorkStatus. */
  private updateWorkStatus(
    work: KubeObject,
    unscheduled: string[],
    misplaced: string[],
  ) {
    const total = groupsOf(work).length;
    let schedule: ConditionInput;
    let ready: ConditionInput;
    if (unscheduled.length > 0) {
      schedule = {
        type: 'ScheduleSucceeded',
        status: 'False',
        reason: 'UnscheduledWorkloads',
        message: `No matching destination found for workloadGroups: [${unscheduled.join(
          ',',
        )}]`,
      };
      ready = {
        type: 'Ready',
        status: 'False',
        reason: 'UnscheduledWorkloads',
        message: 'Pending',
      };
    } else if (misplaced.length > 0) {
      schedule = {
        type: 'ScheduleSucceeded',
        status: 'False',
        reason: MISMATCH_REASON,
        message: `Target destination no longer matches destinationSelectors for workloadGroups: [${misplaced.join(
          ',',
        )}]`,
      };
      ready = {
        type: 'Ready',
        status: 'False',
        reason: 'Misplaced',
        message: 'Misplaced',
      };
      this.record(
        work,
        'Warning',
        MISMATCH,
        messages.workMisplaced(misplaced),
        'Scheduler',
      );
    } else {
      schedule = {
        type: 'ScheduleSucceeded',
        status: 'True',
        reason: 'AllWorkplacementsScheduled',
        message: 'All workplacements scheduled successfully',
      };
      ready = {
        type: 'Ready',
        status: 'True',
        reason: 'AllWorkplacementsScheduled',
        message: 'Ready',
      };
      this.record(
        work,
        'Normal',
        'AllWorkplacementsScheduled',
        messages.allScheduled,
        'Scheduler',
      );
    }
    updateStatus(
      this.store,
      WORK_KEY,
      work.metadata.namespace,
      work.metadata.name,
      status => {
        let updated = false;
        const created = total - unscheduled.length;
        if (
          status.workPlacements !== total ||
          status.workPlacementsCreated !== created
        ) {
          status.workPlacements = total;
          status.workPlacementsCreated = created;
          updated = true;
        }
        if (setCondition(status, schedule, 'promise')) {
          setCondition(status, ready, 'promise');
          updated = true;
        }
        return updated;
      },
    );
  }

  /** WorkPlacements whose workload group is gone from the Work. */
  private cleanupDangling(work: KubeObject) {
    const ids = new Set(groupsOf(work).map(g => g.id));
    for (const wp of this.placementsOf(work)) {
      if (!ids.has(labelsOf(wp)[LABEL_WORKLOAD_GROUP_ID]))
        this.store.delete(
          WORKPLACEMENT_KEY,
          wp.metadata.namespace,
          wp.metadata.name,
        );
    }
  }

  /** WorkReconciler.updateWorkStatus: any placement that failed to write makes the Work Failing. */
  private markFailingPlacements(work: KubeObject) {
    const failed = this.placementsOf(work)
      .filter(wp => {
        const cond = (statusOf(wp).conditions as any[] | undefined)?.find(
          c => c.type === 'WriteSucceeded',
        );
        return cond?.status === 'False';
      })
      .map(wp => wp.metadata.name);
    if (failed.length === 0) return;
    let updated = false;
    updateStatus(
      this.store,
      WORK_KEY,
      work.metadata.namespace,
      work.metadata.name,
      status => {
        const changed = setCondition(
          status,
          {
            type: 'ScheduleSucceeded',
            status: 'False',
            reason: 'WorkplacementsFailing',
            message: `Workplacements failed to write: [${failed.join(',')}]`,
          },
          'promise',
        );
        if (!changed) return false;
        updated = true;
        setCondition(
          status,
          {
            type: 'Ready',
            status: 'False',
            reason: 'WorkplacementsFailing',
            message: 'Failing',
          },
          'promise',
        );
        return true;
      },
    );
    // Kratix records this one only when the condition changes.
    if (updated)
      this.record(
        work,
        'Warning',
        'WorkplacementsFailing',
        messages.placementsFailing(failed),
        'WorkController',
      );
  }
}
