/*
 * Waits for a condition on one Resource, driven by the cluster service's watch (onResourceChange):
 * no polling, so the wait ends as soon as the watch delivers the change. It fails, never silently
 * succeeds, when the workflow fails, the Resource is deleted, the time runs out or the caller aborts;
 * the error carries the awaited condition's type, reason and message.
 */
import {
  CONDITION,
  sortedConditions,
  workflowCompletion,
  type KratixCondition,
  type KratixResourceObject,
} from '@kratix-backstage/plugin-kratix-common';
import type {
  KratixClusterService,
  ResolvedResource,
} from '../KratixClusterService';
import { describeCondition, ProgressTracker } from './progress';

/**
 * What to wait for: `workflow` (the default) is the workflow-completion condition,
 * `ConfigureWorkflowCompleted` on current Kratix and `PipelineCompleted` on older Kratix, detected
 * per Resource; any other value is a condition type that must become True.
 *
 * @public
 */
export type KratixWaitFor = 'workflow' | (string & {});

/**
 * @public
 */
export interface WaitForResourceOptions {
  clusters: KratixClusterService;
  /** The Resource as last seen (e.g. as created); its newer versions come from the watch. */
  resource: ResolvedResource;
  waitFor?: KratixWaitFor;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called with each line of progress (pipelines, conditions, message). */
  onProgress?: (line: string) => void;
}

/**
 * @public
 */
export interface WaitForResourceResult {
  resource: ResolvedResource;
  /** The condition that ended the wait. */
  condition: KratixCondition;
}

/**
 * Why a wait did not succeed.
 *
 * @public
 */
export class KratixWaitError extends Error {
  constructor(
    /**
     * `unavailable`: the Resource's Promise is not Available, so nothing would happen however long
     * the wait; `limit`: the caller already has as many waits running as allowed (nothing waited).
     */
    readonly reason:
      | 'failed'
      | 'timeout'
      | 'deleted'
      | 'aborted'
      | 'unavailable'
      | 'limit',
    message: string,
    readonly condition?: KratixCondition,
  ) {
    super(message);
    this.name =
      reason === 'timeout' ? 'KratixWaitTimeoutError' : 'KratixWaitError';
  }
}

type Verdict =
  | { done: KratixCondition }
  | { failed: KratixCondition }
  | { unavailable: KratixCondition }
  | { waiting: KratixCondition | undefined };

/** A condition about an older generation says nothing about the current spec. */
function isCurrent(condition: KratixCondition, object: KratixResourceObject) {
  const generation = object.metadata.generation;
  return (
    condition.observedGeneration === undefined ||
    generation === undefined ||
    condition.observedGeneration >= generation
  );
}

/** Judges one snapshot of the Resource. */
export function judge(
  object: KratixResourceObject,
  waitFor: KratixWaitFor = 'workflow',
): Verdict {
  const conditions = sortedConditions(object.status);
  const completion = workflowCompletion(conditions);
  const completionCurrent =
    completion && isCurrent(completion.condition, object)
      ? completion
      : undefined;
  if (completionCurrent?.state === 'failed') {
    return { failed: completionCurrent.condition };
  }
  const wanted =
    waitFor === 'workflow'
      ? completion?.condition
      : conditions.find(c => c.type === waitFor);
  const wantedCurrent =
    wanted && isCurrent(wanted, object) ? wanted : undefined;
  if (waitFor === 'workflow' && completionCurrent?.state === 'completed') {
    return { done: completionCurrent.condition };
  }
  if (waitFor !== 'workflow' && wantedCurrent?.status === 'True') {
    return { done: wantedCurrent };
  }
  // Kratix's dynamic controller sets PromiseAvailable False when the Promise's requirements are not
  // met (MarkPromiseConditionAsNotAvailable) and runs nothing until they are: a wait would hold its
  // worker for nothing.
  const promiseAvailable = conditions.find(
    c => c.type === CONDITION.promiseAvailable,
  );
  if (promiseAvailable?.status === 'False') {
    return { unavailable: promiseAvailable };
  }
  if (
    waitFor !== 'workflow' &&
    wantedCurrent?.status === 'False' &&
    /fail/i.test(wantedCurrent.reason ?? '')
  ) {
    return { failed: wantedCurrent };
  }
  return { waiting: wanted };
}

/**
 * Waits on the watch for a condition on one Resource; rejects with a {@link KratixWaitError}.
 *
 * @public
 */
export function waitForResource(
  options: WaitForResourceOptions,
): Promise<WaitForResourceResult> {
  const { clusters, resource, timeoutMs, signal, onProgress } = options;
  const waitFor = options.waitFor ?? 'workflow';
  const { kind } = resource;
  const namespace = resource.object.metadata.namespace ?? 'default';
  const name = resource.object.metadata.name;
  const what = `${kind.promise} ${namespace}/${name} on cluster ${kind.cluster}`;
  const awaited =
    waitFor === 'workflow'
      ? `workflow completion (${CONDITION.configureWorkflowCompleted} or ${CONDITION.pipelineCompleted})`
      : `${waitFor}=True`;
  const progress = new ProgressTracker();

  return new Promise<WaitForResourceResult>((resolve, reject) => {
    let last = resource;
    let settled = false;
    // Undone when the wait ends: the watch subscription, the timer, the abort listener.
    const cleanups: Array<() => void> = [];
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      cleanups.forEach(cleanup => cleanup());
      outcome();
    };
    const consider = (current: ResolvedResource) => {
      last = current;
      for (const line of progress.next(current.object)) onProgress?.(line);
      const verdict = judge(current.object, waitFor);
      if ('done' in verdict) {
        for (const line of progress.end('succeeded')) onProgress?.(line);
        finish(() => resolve({ resource: current, condition: verdict.done }));
      } else if ('failed' in verdict) {
        for (const line of progress.end('failed')) onProgress?.(line);
        finish(() =>
          reject(
            new KratixWaitError(
              'failed',
              `The workflow of ${what} failed: ${describeCondition(
                verdict.failed,
              )}`,
              verdict.failed,
            ),
          ),
        );
      } else if ('unavailable' in verdict) {
        finish(() =>
          reject(
            new KratixWaitError(
              'unavailable',
              `The Promise of ${what} is not Available, so its workflow does not run: ${describeCondition(
                verdict.unavailable,
              )}`,
              verdict.unavailable,
            ),
          ),
        );
      }
    };
    let changed = false;
    const unsubscribe = clusters.onResourceChange(change => {
      if (
        change.cluster !== kind.cluster ||
        change.kind.promise !== kind.promise ||
        (change.object.metadata.namespace ?? 'default') !== namespace ||
        change.object.metadata.name !== name
      ) {
        return;
      }
      if (change.type === 'deleted') {
        finish(() =>
          reject(
            new KratixWaitError(
              'deleted',
              `${what} was deleted while waiting for ${awaited}`,
            ),
          ),
        );
        return;
      }
      changed = true;
      consider({ kind: change.kind, object: change.object });
    });
    cleanups.push(unsubscribe);
    const timer = setTimeout(() => {
      const verdict = judge(last.object, waitFor);
      const condition = 'waiting' in verdict ? verdict.waiting : undefined;
      finish(() =>
        reject(
          new KratixWaitError(
            'timeout',
            `Timed out after ${
              timeoutMs / 1000
            }s waiting for ${awaited} on ${what}; last ${
              condition
                ? describeCondition(condition)
                : 'status: no condition yet'
            }`,
            condition,
          ),
        ),
      );
    }, timeoutMs);
    cleanups.push(() => clearTimeout(timer));
    const onAbort = () =>
      finish(() =>
        reject(
          new KratixWaitError(
            'aborted',
            `Stopped waiting for ${awaited} on ${what}`,
          ),
        ),
      );
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort);
    cleanups.push(() => signal?.removeEventListener('abort', onAbort));
    // The snapshot we were given may already satisfy the wait (kubectl wait does the same).
    consider(resource);
    // A change that reached the cache before we subscribed is read from it (later ones arrive above).
    clusters
      .resolveResource({
        cluster: kind.cluster,
        promise: kind.promise,
        namespace,
        name,
      })
      .then(cached => {
        if (!changed && !settled) consider(cached);
      })
      .catch(() => {
        // Not in the cache yet (just created): the watch will deliver it.
      });
  });
}
