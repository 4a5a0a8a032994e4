/*
 * What Kratix's `status-writer` container does with a pipeline's /kratix/metadata/status.yaml.
 * Current: KX work-creator/cmd/update_status.go + work-creator/lib/status_updater.go.
 * Legacy (before KX 5a827eda, 2024-10-18): work-creator/scripts/update-status (yq deep merge).
 */
import { KRATIX_STATUS_KEY_ERROR } from '../common/constants';
import { asConditions, Condition, nowTime } from '../common/conditions';

export type Status = Record<string, unknown>;

export class StatusWriteError extends Error {}

function isMap(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Current Kratix: top-level keys overwrite wholesale (nested maps/arrays replaced, not deep-merged);
 * `conditions` merged by type (incoming wins). Kratix rebuilds conditions from a Go map, so their
 * order is unspecified; we keep existing order and append new types.
 */
export function mergeStatuses(existing: Status, incoming: Status): Status {
  const result: Status = { ...existing };
  for (const [key, value] of Object.entries(incoming)) {
    if (
      key === 'conditions' &&
      Array.isArray(result.conditions) &&
      Array.isArray(value)
    ) {
      const merged = new Map<string, unknown>();
      for (const c of [
        ...asConditions(result.conditions),
        ...asConditions(value),
      ])
        merged.set(c.type, c);
      result.conditions = [...merged.values()];
      continue;
    }
    result[key] = value;
  }
  return result;
}

/** Throws Kratix's error when a workflow tries to write the reserved `kratix` key. */
export function assertNoKratixKey(incoming: Status): void {
  if ('kratix' in incoming) throw new StatusWriteError(KRATIX_STATUS_KEY_ERROR);
}

/** Promise workflows may only set `message` (the Promise CRD prunes everything else). */
export function promiseStatusKeys(incoming: Status): {
  kept: Status;
  dropped: string[];
} {
  const dropped = Object.keys(incoming).filter(k => k !== 'message');
  return {
    kept: 'message' in incoming ? { message: incoming.message } : {},
    dropped,
  };
}

/** `MarkAsCompleted`: run after the last pipeline's merge. */
export function markAsCompleted(
  status: Status,
  workflowType: 'resource' | 'promise',
): Status {
  const result: Status = { ...status };
  if (result.message === 'Pending') {
    result.message =
      workflowType === 'resource' ? 'Resource requested' : 'Promise configured';
  }
  const kratix = result.kratix;
  if (isMap(kratix) && isMap(kratix.workflows)) {
    const workflows = { ...kratix.workflows };
    delete workflows.suspendedGeneration;
    result.kratix = { ...kratix, workflows };
  }
  const completed: Condition = {
    message: 'Pipelines completed',
    lastTransitionTime: nowTime(),
    status: 'True',
    type: 'ConfigureWorkflowCompleted',
    reason: 'PipelinesExecutedSuccessfully',
  };
  const conditions = asConditions(result.conditions).slice();
  const index = conditions.findIndex(c => c.type === completed.type);
  if (index >= 0) conditions[index] = completed;
  else conditions.push(completed);
  result.conditions = conditions;
  return result;
}

/** yq's `. *= load(incoming)`: recursive merge of maps; arrays and scalars replaced. */
export function deepMerge(existing: Status, incoming: Status): Status {
  const result: Status = { ...existing };
  for (const [key, value] of Object.entries(incoming)) {
    const current = result[key];
    result[key] =
      isMap(current) && isMap(value) ? deepMerge(current, value) : value;
  }
  return result;
}

/**
 * Legacy update-status script: deep merge, then incoming `conditions` discarded (existing kept),
 * `Pending` → `Resource requested` on the last pipeline, PipelineCompleted set True after every
 * pipeline (only replaces an existing PipelineCompleted entry, as the yq `select` did).
 */
export function legacyMergeStatus(
  existing: Status,
  incoming: Status,
  isLastPipeline: boolean,
): Status {
  const merged = deepMerge(existing, incoming);
  if (isLastPipeline && merged.message === 'Pending')
    merged.message = 'Resource requested';
  const conditions = asConditions(existing.conditions).map(c =>
    c.type === 'PipelineCompleted'
      ? {
          message: 'Pipeline completed',
          lastTransitionTime: nowTime(),
          status: 'True' as const,
          type: 'PipelineCompleted',
          reason: 'PipelineExecutedSuccessfully',
        }
      : c,
  );
  merged.conditions = conditions;
  return merged;
}
