/*
 * Writing a Promise's status: every write recomputes the counters Kratix keeps, and events are
 * recorded the way the PromiseController records them. Shared by the promise* phase files.
 */
import type { KubeObject } from '../../store/types';
import { PROMISE_KEY } from '../common/constants';
import type { ControllerContext } from '../common/controllerContext';
import { withPromiseCounters } from './promiseApi';
import { updateStatus } from '../common/storeUtil';
import { tryRecordEvent } from '../workflows/workflowRecords';

export type Status = Record<string, unknown>;

/** Updates the Promise's status; `false` from mutate (with nothing changed) skips the write. */
export function updatePromiseStatus(
  ctx: ControllerContext,
  name: string,
  mutate: (status: Status, object: KubeObject) => boolean | void,
) {
  return updateStatus(
    ctx.store,
    PROMISE_KEY,
    undefined,
    name,
    (status, object) => {
      const before = JSON.stringify(status);
      const result = mutate(status, object);
      withPromiseCounters(status);
      return result === false && before === JSON.stringify(status)
        ? false
        : result;
    },
  );
}

export function promiseEvent(
  ctx: ControllerContext,
  object: KubeObject | undefined,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
) {
  if (!object) return;
  tryRecordEvent(
    ctx.store,
    ctx.logger,
    object,
    type,
    reason,
    message,
    'PromiseController',
  );
}

/** `status.kratix` with its `workflows` map (none on legacy Promises, which have no such block). */
export function kratixBlock(
  status: Status,
  legacy: boolean,
): Record<string, any> {
  if (legacy) return {};
  const kratix =
    status.kratix && typeof status.kratix === 'object'
      ? (status.kratix as Record<string, any>)
      : {};
  return { ...kratix, workflows: kratix.workflows ?? {} };
}
