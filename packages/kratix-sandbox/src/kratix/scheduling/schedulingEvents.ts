/*
 * The Events Kratix records while scheduling, reasons and messages as in KX (controller names as
 * cmd/main.go registers their recorders): the Scheduler and the WorkReconciler about Works and
 * WorkPlacements (internal/controller/scheduler.go, work_controller.go), the WorkPlacementReconciler
 * about writes to a Destination's state store (workplacement_controller.go). Kratix records most of
 * them on every reconcile, not only on change; identical Events are aggregated (count) as
 * client-go's recorder does.
 */
import type { KubeObject, Store } from '../../store/types';
import {
  type EventReporter,
  tryRecordEvent,
} from '../workflows/workflowRecords';

export type RecordEvent = (
  object: KubeObject,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
  reporter: EventReporter,
) => void;

export const noEvents: RecordEvent = () => {};

export function eventRecorder(
  store: Store,
  logger: { warn(message: string): void },
): RecordEvent {
  return (object, type, reason, message, reporter) =>
    tryRecordEvent(store, logger, object, type, reason, message, reporter);
}

export const MISMATCH = 'DestinationSelectorMismatch';

export const schedulingMessages = {
  /** About the Work (Scheduler.updateWorkStatus); the trailing space is Kratix's. */
  workMisplaced: (groupIds: string[]) =>
    `Target destination no longer matches destinationSelectors for workloadGroups: [${groupIds.join(
      ',',
    )}] `,
  allScheduled: 'All workplacements scheduled successfully',
  noMatchingDestination: (groupId: string) =>
    `waiting for a destination with labels for workloadGroup: ${groupId}`,
  placementReconciled: (name: string, operation: 'created' | 'updated') =>
    `workplacement reconciled: ${name}, operation: ${operation}`,
  /** About the WorkPlacement (Scheduler.updateWorkPlacementStatus). */
  placementMisplaced: (destination: string) =>
    `labels for destination: ${destination} no longer match the expected labels, marking this workplacement as misplaced`,
  /** WorkReconciler. */
  waitingDestination: (groupIds: string[]) =>
    `waiting for destination for workload group: [${groupIds.join(',')}]`,
  placementsFailing: (names: string[]) =>
    `Workplacements failed to write: [${names.join(',')}]`,
  /** WorkPlacementReconciler. */
  written: (destination: string) =>
    `successfully written to Destination: ${destination}`,
  writeFailed: (error: string) =>
    `error writing to destination; check kubectl get destination for more info: ${error}`,
};
