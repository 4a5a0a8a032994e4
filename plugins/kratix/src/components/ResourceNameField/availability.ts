/* Whether a Promise can be requested now, from the backend's Promise list, with Kratix's reason. */
import {
  isPromiseUnavailable,
  promiseUnavailableReason,
  type KratixPromiseView,
} from '@kratix-backstage/plugin-kratix-common';

/** Why the Promise cannot be requested (its failing condition's message), or undefined when it can. */
export function unavailableMessage(
  promises: KratixPromiseView[],
  target: { promise: string; cluster?: string },
): string | undefined {
  const wanted = target.promise.toLocaleLowerCase('en-US');
  const promise = promises.find(
    p =>
      (!target.cluster || p.cluster === target.cluster) &&
      (p.name === target.promise ||
        p.kind.toLocaleLowerCase('en-US') === wanted),
  );
  // No status (an older Kratix) or not listed (the backend will say): not known to be unavailable.
  if (!promise || !isPromiseUnavailable(promise)) return undefined;
  const reason = promiseUnavailableReason(promise);
  return `The ${promise.name} Promise is ${promise.status}: ${reason}. It cannot be requested until the platform team makes it Available.`;
}
