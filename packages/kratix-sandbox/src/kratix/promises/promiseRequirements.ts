/*
 * The requirements phase (generateStatusAndMarkRequirements): RequirementsFulfilled and
 * status.requiredPromises on the Promise, status.requiredBy on each Promise it requires.
 */
import type { KubeObject } from '../../store/types';
import { COND, LABEL_PROMISE_VERSION, PROMISE_KEY } from '../common/constants';
import {
  ConditionInput,
  getCondition,
  removeCondition,
  setCondition,
} from '../common/conditions';
import type { ControllerContext } from '../common/controllerContext';
import { requiredPromises } from './promiseApi';
import { promiseEvent, updatePromiseStatus } from './promiseStatus';
import { labelsOf, statusOf } from '../common/storeUtil';

const STATE = {
  installed: 'Requirement installed',
  notInstalled: 'Requirement not installed',
  notAtVersion: 'Requirement not installed at the specified version',
  notAvailable: 'Requirement not available',
} as const;

/** True when every required Promise is installed (at the required version) and available. */
export function evaluateRequirements(
  ctx: ControllerContext,
  promise: KubeObject,
): boolean {
  const { store } = ctx;
  const required = requiredPromises(promise);
  const name = promise.metadata.name;
  if (required.length === 0) {
    updatePromiseStatus(ctx, name, status => {
      if (!status.requiredPromises) return false;
      delete status.requiredPromises;
      removeCondition(status, COND.requirementsFulfilled);
      return true;
    });
    return true;
  }
  const condition: ConditionInput = {
    type: COND.requirementsFulfilled,
    status: 'True',
    reason: 'RequirementsInstalled',
    message: 'Requirements fulfilled',
  };
  const states = required.map(req => {
    const other = store.get(PROMISE_KEY, undefined, req.name);
    let state: string = STATE.installed;
    if (!other) {
      state = STATE.notInstalled;
      Object.assign(condition, {
        status: 'False',
        reason: 'RequirementsNotInstalled',
        message: 'Requirements not fulfilled',
      });
      promiseEvent(
        ctx,
        promise,
        'Normal',
        'RequirementsNotInstalled',
        `Required Promise ${req.name} not installed or unknown state`,
      );
    } else {
      if (
        req.version &&
        labelsOf(other)[LABEL_PROMISE_VERSION] !== req.version
      ) {
        state = STATE.notAtVersion;
        Object.assign(condition, {
          status: 'False',
          reason: 'RequirementsNotInstalled',
          message: 'Requirements not fulfilled',
        });
      } else if (statusOf(other).status !== 'Available') {
        state = STATE.notAvailable;
        Object.assign(condition, {
          status: 'False',
          reason: 'RequirementsNotAvailable',
          message: 'Requirements not fulfilled',
        });
      }
      markRequiredBy(ctx, promise, other, req.version);
    }
    return {
      name: req.name,
      ...(req.version ? { version: req.version } : {}),
      state,
    };
  });
  const before = statusOf(store.get(PROMISE_KEY, undefined, name));
  const wasFulfilled =
    getCondition(before, COND.requirementsFulfilled)?.status === 'True';
  const updated = updatePromiseStatus(ctx, name, status => {
    const changedReqs =
      JSON.stringify(status.requiredPromises) !== JSON.stringify(states);
    status.requiredPromises = states;
    return setCondition(status, condition, 'promise') || changedReqs;
  });
  if (condition.status === 'True' && !wasFulfilled) {
    promiseEvent(
      ctx,
      updated,
      'Normal',
      'RequirementsFulfilled',
      'All required promises are available',
    );
  }
  return condition.status === 'True';
}

function markRequiredBy(
  ctx: ControllerContext,
  promise: KubeObject,
  required: KubeObject,
  version: string | undefined,
) {
  const entry = {
    promise: {
      name: promise.metadata.name,
      ...(statusOf(promise).version
        ? { version: statusOf(promise).version }
        : {}),
    },
    ...(version ? { requiredVersion: version } : {}),
  };
  updatePromiseStatus(ctx, required.metadata.name, status => {
    const list = Array.isArray(status.requiredBy)
      ? [...(status.requiredBy as any[])]
      : [];
    const index = list.findIndex(
      r => r?.promise?.name === promise.metadata.name,
    );
    if (index >= 0 && JSON.stringify(list[index]) === JSON.stringify(entry))
      return false;
    if (index >= 0) list[index] = entry;
    else list.push(entry);
    status.requiredBy = list;
    return true;
  });
}
