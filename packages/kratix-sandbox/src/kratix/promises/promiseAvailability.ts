/*
 * The availability phase: Available/Unavailable with the conditions and counters Kratix's
 * generateConditions maintains, and the paused / unpaused states of the kratix.io/paused label.
 */
import type { KubeObject } from '../../store/types';
import {
  COND,
  LABEL_PAUSED,
  LABEL_PROMISE_VERSION,
  PROMISE_KEY,
} from '../common/constants';
import {
  getCondition,
  nowTime,
  removeCondition,
  setCondition,
} from '../common/conditions';
import type { ControllerContext } from '../common/controllerContext';
import { configurePipelines } from './promiseApi';
import {
  kratixBlock,
  promiseEvent,
  updatePromiseStatus,
} from './promiseStatus';
import { labelsOf, statusOf } from '../common/storeUtil';

/** Available/Unavailable plus the conditions and counters generateConditions maintains. */
export function setAvailability(
  ctx: ControllerContext,
  name: string,
  available: boolean,
  legacy: boolean,
  pipelineCount?: number,
) {
  const events: Array<[string, string]> = [];
  updatePromiseStatus(ctx, name, (status, object) => {
    const before = JSON.stringify(status);
    const value = available ? 'Available' : 'Unavailable';
    const version = labelsOf(object)[LABEL_PROMISE_VERSION];
    status.status = value;
    if (version) status.version = version;
    if (available && !status.lastAvailableTime)
      status.lastAvailableTime = nowTime();
    const count = pipelineCount ?? configurePipelines(object, 'promise').length;
    const cwc = getCondition(status, COND.configureWorkflowCompleted);
    status.workflows = count;
    status.workflowsSucceeded =
      cwc?.status === 'True' ? count : status.workflowsSucceeded ?? 0;
    status.workflowsFailed = status.workflowsFailed ?? 0;
    if (!legacy) {
      const kratix = kratixBlock(status, legacy);
      kratix.status = value;
      if (version) kratix.version = version;
      if (available && !kratix.lastAvailableTime)
        kratix.lastAvailableTime = status.lastAvailableTime;
      status.kratix = kratix;
      if (available) {
        setCondition(
          status,
          {
            type: COND.available,
            status: 'True',
            reason: 'PromiseAvailable',
            message: 'Ready to fulfil resource requests',
          },
          'promise',
        );
        if (
          setCondition(
            status,
            {
              type: COND.worksSucceeded,
              status: 'True',
              reason: 'WorksSucceeded',
              message: 'All works associated with this promise are ready',
            },
            'promise',
          )
        ) {
          events.push([
            'WorksSucceeded',
            'All works associated with this promise are ready',
          ]);
        }
        // updateReconciledCondition needs a ConfigureWorkflowCompleted condition to go True.
        if (
          cwc?.status === 'True' &&
          setCondition(
            status,
            {
              type: COND.reconciled,
              status: 'True',
              reason: 'Reconciled',
              message: 'Reconciled',
            },
            'promise',
          )
        ) {
          events.push(['ReconcileSucceeded', 'Successfully reconciled']);
        }
      } else {
        setCondition(
          status,
          {
            type: COND.available,
            status: 'False',
            reason: 'PromiseUnavailable',
            message: 'Cannot fulfil resource requests',
          },
          'promise',
        );
        if (
          getCondition(status, COND.requirementsFulfilled)?.status === 'False'
        ) {
          setCondition(
            status,
            {
              type: COND.reconciled,
              status: 'Unknown',
              reason: 'RequirementsNotFulfilled',
              message: 'Pending',
            },
            'promise',
          );
        }
      }
    }
    return before !== JSON.stringify(status);
  });
  const updated = ctx.store.get(PROMISE_KEY, undefined, name);
  for (const [reason, message] of events)
    promiseEvent(ctx, updated, 'Normal', reason, message);
}

/** The paused state: Unavailable, Reconciled Unknown/PausedReconciliation, and a Warning event. */
export function markPaused(
  ctx: ControllerContext,
  promise: KubeObject,
  legacy: boolean,
) {
  if (legacy) return;
  const status = statusOf(promise);
  const available = getCondition(status, COND.available);
  const reconciled = getCondition(status, COND.reconciled);
  if (
    available?.reason === 'PausedReconciliation' &&
    reconciled?.message === 'Paused'
  )
    return;
  const updated = updatePromiseStatus(ctx, promise.metadata.name, s => {
    setCondition(
      s,
      {
        type: COND.available,
        status: 'False',
        reason: 'PausedReconciliation',
        message: 'Paused',
      },
      'promise',
    );
    s.status = 'Unavailable';
    s.kratix = { ...kratixBlock(s, false), status: 'Unavailable' };
    setCondition(
      s,
      {
        type: COND.reconciled,
        status: 'Unknown',
        reason: 'PausedReconciliation',
        message: 'Paused',
      },
      'promise',
    );
  });
  promiseEvent(
    ctx,
    updated,
    'Warning',
    'PausedReconciliation',
    `'${LABEL_PAUSED}' label set to 'true' for promise; pausing reconciliation`,
  );
}

/**
 * Leaving the paused state: Reconciled goes Unknown/Unpaused while the workflow runs again (or is
 * removed when there is none). Returns true when the Promise was paused, so its workflow re-runs.
 */
export function markUnpaused(
  ctx: ControllerContext,
  promise: KubeObject,
  legacy: boolean,
): boolean {
  const reconciledBefore = getCondition(statusOf(promise), COND.reconciled);
  if (legacy || reconciledBefore?.reason !== 'PausedReconciliation') {
    return false;
  }
  const hasWorkflow = configurePipelines(promise, 'promise').length > 0;
  updatePromiseStatus(ctx, promise.metadata.name, status => {
    if (hasWorkflow) {
      setCondition(
        status,
        {
          type: COND.reconciled,
          status: 'Unknown',
          reason: 'Unpaused',
          message: 'Pending',
        },
        'promise',
      );
    } else {
      removeCondition(status, COND.reconciled);
    }
  });
  return true;
}
