/*
 * A Resource's WorksSucceeded and Reconciled conditions from its Works' Ready messages, as Kratix's
 * dynamic controller computes them (KX dynamic_resource_request_controller.go getWorksStatus,
 * updateWorksSucceededCondition, updateReconciledCondition), quirks included: WorksFailing is only
 * set over a missing or True WorksSucceeded, so Works that fail while still Pending stay Pending.
 */
import type { KubeObject, Store } from '../../store/types';
import {
  COND,
  LABEL_PROMISE_NAME,
  LABEL_RESOURCE_NAME,
} from '../common/constants';
import { getCondition, setCondition } from '../common/conditions';
import { WORK_KEY } from './schedulingTypes';
import { statusOf } from '../common/storeUtil';

export interface WorksState {
  failed: string[];
  misplaced: string[];
  pending: string[];
  ready: string[];
}

export function worksOfResource(
  store: Store,
  promiseName: string,
  namespace: string | undefined,
  name: string,
): KubeObject[] {
  if (!store.getType(WORK_KEY)) return [];
  return store.list(WORK_KEY, {
    namespace,
    labelSelector: `${LABEL_PROMISE_NAME}=${promiseName},${LABEL_RESOURCE_NAME}=${name}`,
  }).items;
}

export function worksState(works: KubeObject[]): WorksState {
  const state: WorksState = {
    failed: [],
    misplaced: [],
    pending: [],
    ready: [],
  };
  for (const work of works) {
    const message = getCondition(statusOf(work), 'Ready')?.message || 'Pending';
    if (message === 'Failing') state.failed.push(work.metadata.name);
    else if (message === 'Misplaced') state.misplaced.push(work.metadata.name);
    else if (message === 'Pending') state.pending.push(work.metadata.name);
    else if (message === 'Ready') state.ready.push(work.metadata.name);
  }
  return state;
}

export type Event = [
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
];

/** Updates `status` in place; returns the Events Kratix records for the changes. */
export function applyWorksStatus(
  status: Record<string, unknown>,
  works: WorksState,
): Event[] {
  const events: Event[] = [];
  const cond = getCondition(status, COND.worksSucceeded);
  const set = (
    s: 'True' | 'False' | 'Unknown',
    reason: string,
    message: string,
  ) =>
    setCondition(status, {
      type: COND.worksSucceeded,
      status: s,
      reason,
      message,
    });
  if (works.failed.length > 0) {
    if (!cond || cond.status === 'True') {
      const message = `Some works associated with this resource failed: [${works.failed.join(
        ',',
      )}]`;
      set('False', 'WorksFailing', message);
      events.push(['Warning', 'WorksFailing', message]);
    }
  } else if (works.pending.length > 0) {
    if (!cond || cond.status !== 'Unknown')
      set(
        'Unknown',
        'WorksPending',
        `Some works associated with this resource are not ready: [${works.pending.join(
          ',',
        )}]`,
      );
  } else if (works.misplaced.length > 0) {
    if (!cond || cond.status !== 'False' || cond.reason !== 'WorksMisplaced') {
      const message = `Some works associated with this resource are misplaced: [${works.misplaced.join(
        ',',
      )}]`;
      set('False', 'WorksMisplaced', message);
      events.push(['Warning', 'WorksMisplaced', message]);
    }
  } else if (!cond || cond.status !== 'True') {
    const message = 'All works associated with this resource are ready';
    set('True', 'WorksSucceeded', message);
    events.push(['Normal', 'WorksSucceeded', message]);
  }
  return [...events, ...applyReconciled(status)];
}

function applyReconciled(status: Record<string, unknown>): Event[] {
  const works = getCondition(status, COND.worksSucceeded);
  const workflow = getCondition(status, COND.configureWorkflowCompleted);
  const reconciled = getCondition(status, COND.reconciled);
  const mark = (
    s: 'True' | 'False' | 'Unknown',
    reason: string,
    message: string,
  ) =>
    setCondition(status, { type: COND.reconciled, status: s, reason, message });
  if (
    workflow?.status === 'False' &&
    workflow.reason === 'PipelinesInProgress'
  ) {
    if (reconciled?.status !== 'Unknown')
      mark('Unknown', 'WorkflowPending', 'Pending');
  } else if (workflow?.status === 'False') {
    if (
      reconciled?.status !== 'False' ||
      reconciled.reason !== 'ConfigureWorkflowFailed'
    )
      mark('False', 'ConfigureWorkflowFailed', 'Failing');
  } else if (works?.status === 'Unknown') {
    if (reconciled?.status !== 'Unknown')
      mark('Unknown', 'WorksPending', 'Pending');
  } else if (works?.status === 'False') {
    if (reconciled?.status !== 'False')
      mark('False', 'WorksFailing', 'Failing');
  } else if (workflow?.status === 'True' && works?.status === 'True') {
    if (reconciled?.status !== 'True' || reconciled.reason !== 'Reconciled') {
      mark('True', 'Reconciled', 'Reconciled');
      return [['Normal', 'ReconcileSucceeded', 'Successfully reconciled']];
    }
  }
  return [];
}
