/*
 * Emulates Kratix's WorkPlacementReconciler writing to a Destination's state store (KX
 * internal/controller/workplacement_controller.go, api/v1alpha1/workplacement_types.go). The state
 * store is a folder per Destination, `<stateStoreDir>/<destination>/`, laid out as Kratix's
 * nestedByMetadata mode: `resources/<namespace>/<promise>/<resource>/<pipeline>/<group id[0:5]>/`.
 * A Destination annotated `sandbox.kratix.io/unhealthy: "true"` stands for an unreachable state
 * store: writes fail (WriteSucceeded False, Ready Failing) until the annotation goes.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { KubeObject, Store } from '../../store/types';
import { LABEL_PIPELINE_NAME } from '../common/constants';
import { setCondition } from '../common/conditions';
import { DESTINATION_KEY, WORKPLACEMENT_KEY } from './schedulingTypes';
import { labelsOf, statusOf, updateStatus } from '../common/storeUtil';
import { decompressContent } from './workCreator';
import {
  noEvents,
  type RecordEvent,
  schedulingMessages as messages,
} from './schedulingEvents';

/** Sandbox-only (not Kratix): marks a Destination's state store as unreachable. */
export const ANNOTATION_UNHEALTHY = 'sandbox.kratix.io/unhealthy';

/** The error writes to an unhealthy Destination's state store fail with. */
export function unreachable(destination: KubeObject): string | undefined {
  return destination.metadata.annotations?.[ANNOTATION_UNHEALTHY] === 'true'
    ? `state store of Destination ${destination.metadata.name} is unreachable (${ANNOTATION_UNHEALTHY})`
    : undefined;
}

export function placementDir(stateStoreDir: string, wp: KubeObject): string {
  const spec = (wp.spec ?? {}) as Record<string, string>;
  return path.join(
    stateStoreDir,
    spec.targetDestinationName,
    'resources',
    wp.metadata.namespace ?? '',
    spec.promiseName,
    spec.resourceName,
    labelsOf(wp)[LABEL_PIPELINE_NAME] ?? '',
    (spec.id ?? '').slice(0, 5),
  );
}

export class StateStoreWriter {
  constructor(
    private readonly store: Store,
    private readonly stateStoreDir: string,
    private readonly record: RecordEvent = noEvents,
  ) {}

  /** Writes one WorkPlacement's workloads (replacing what it wrote before) and records the outcome. */
  write(namespace: string, name: string): void {
    const wp = this.store.get(WORKPLACEMENT_KEY, namespace, name);
    if (!wp) return;
    const destination = this.store.get(
      DESTINATION_KEY,
      undefined,
      (wp.spec as any)?.targetDestinationName,
    );
    if (!destination) return; // Kratix retries until the Destination exists
    let error = unreachable(destination);
    if (!error) {
      try {
        this.writeFiles(wp);
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
    }
    if (error)
      this.record(
        wp,
        'Warning',
        'FailedWriteToDestination',
        messages.writeFailed(error),
        'WorkPlacementController',
      );
    else
      this.record(
        wp,
        'Normal',
        'WorkloadsWrittenToStateStore',
        messages.written(destination.metadata.name),
        'WorkPlacementController',
      );
    updateStatus(this.store, WORKPLACEMENT_KEY, namespace, name, status => {
      if (error) {
        const a = setCondition(
          status,
          {
            type: 'WriteSucceeded',
            status: 'False',
            reason: 'WorkloadsFailedWrite',
            message: error,
          },
          'promise',
        );
        const b = setCondition(
          status,
          {
            type: 'Ready',
            status: 'False',
            reason: 'WorkloadsFailedWrite',
            message: 'Failing',
          },
          'promise',
        );
        return a || b;
      }
      let changed = setCondition(
        status,
        {
          type: 'WriteSucceeded',
          status: 'True',
          reason: 'WorkloadsWrittenToStateStore',
          message: 'Workloads written to State Store',
        },
        'promise',
      );
      // SetWorkplacementReadyStatus: Ready only when written and not misplaced.
      const misplaced = (statusOf({ ...wp, status }).conditions as any[]).some(
        c => c.type === 'ScheduleSucceeded' && c.status === 'False',
      );
      if (!misplaced)
        changed =
          setCondition(
            status,
            {
              type: 'Ready',
              status: 'True',
              reason: 'WorkloadsWrittenToTargetDestination',
              message: 'Ready',
            },
            'promise',
          ) || changed;
      return changed;
    });
  }

  /** The WorkPlacement is gone: its files go too (Kratix's repo-cleanup finalizer). */
  remove(wp: KubeObject): void {
    fs.rmSync(placementDir(this.stateStoreDir, wp), {
      recursive: true,
      force: true,
    });
  }

  private writeFiles(wp: KubeObject) {
    const dir = placementDir(this.stateStoreDir, wp);
    fs.rmSync(dir, { recursive: true, force: true });
    const workloads = ((wp.spec as any)?.workloads ?? []) as Array<{
      filepath: string;
      content: string;
    }>;
    for (const workload of workloads) {
      const file = path.join(dir, workload.filepath);
      if (!file.startsWith(dir + path.sep))
        throw new Error(
          `workload path escapes the state store: ${workload.filepath}`,
        );
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, decompressContent(workload.content));
    }
    fs.mkdirSync(dir, { recursive: true });
  }
}
