import {
  StatusAborted,
  StatusError,
  StatusOK,
} from '@backstage/core-components';
import type { KratixPromiseView } from '@kratix-backstage/plugin-kratix-common';

/** Whether Kratix says the Promise cannot take requests (`status.status`, or its Available condition). */
export function isUnavailable(promise: KratixPromiseView): boolean {
  if (promise.status === 'Unavailable') return true;
  return (promise.conditions ?? []).some(
    c => c.type === 'Available' && c.status === 'False',
  );
}

/**
 * Why an Unavailable Promise cannot take requests, in plain words: the required Promises that are not
 * installed on its cluster (`installed`: the names there), then what its failing conditions say.
 * Undefined when it is available.
 */
export function unavailableReasons(
  promise: KratixPromiseView,
  installed: ReadonlySet<string>,
): string[] | undefined {
  if (!isUnavailable(promise)) return undefined;
  const reasons: string[] = [];
  const missing = (promise.requiredPromises ?? []).filter(
    name => !installed.has(name),
  );
  if (missing.length > 0) {
    reasons.push(
      `It needs the ${missing.join(', ')} Promise${
        missing.length > 1 ? 's' : ''
      }, not installed on ${promise.cluster}.`,
    );
  }
  for (const c of promise.conditions ?? []) {
    // Available=False only repeats "Unavailable"; the others say why.
    if (c.status !== 'False' || c.type === 'Available') continue;
    reasons.push(
      `${c.type}: ${c.message ?? c.reason ?? 'False'}${
        c.reason && c.message ? ` (${c.reason})` : ''
      }`,
    );
  }
  if (reasons.length === 0) {
    const available = (promise.conditions ?? []).find(
      c => c.type === 'Available',
    );
    reasons.push(
      available?.message ?? 'Kratix reports it Unavailable and says no more.',
    );
  }
  return reasons;
}

/** The Promise's status as a Backstage status icon and a word. */
export function PromiseStatus(props: { promise: KratixPromiseView }) {
  const { promise } = props;
  const label = promise.status ?? 'Status not reported';
  let Status = StatusAborted;
  if (isUnavailable(promise)) Status = StatusError;
  else if (promise.status === 'Available') Status = StatusOK;
  return (
    <span
      data-testid="kratix-promise-status"
      data-status={promise.status ?? 'unknown'}
      style={{ whiteSpace: 'nowrap' }}
    >
      <Status>{label}</Status>
    </span>
  );
}
