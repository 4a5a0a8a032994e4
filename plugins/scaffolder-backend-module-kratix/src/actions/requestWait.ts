/*
 * Waiting for a request delivered through Git (a commit, or a pull request) to reach the cluster:
 * the platform has applied it when the Resource carrying its `kratix.backstage.io/request-id`
 * appears on the cluster watch (the same signal the plugin's request ledger marks `applied` on).
 * The scaffolder module has no access to the ledger, so it watches the Resource itself, as the
 * workflow wait does: no polling, the wait ends on the watch's change.
 *
 * Both phases share one deadline, the ticket's timeout: a step never waits longer than the wait
 * service admitted (kratix.waits.maxSeconds), and holds the same one slot of the user's throughout.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  KratixWaitError,
  ticketAfterRequest,
  watchRequestApplied,
  type KratixClusterService,
  type KratixRequestTarget as RequestTarget,
  type KratixWaitTicket,
  type ResolvedResource,
} from '@kratix-backstage/plugin-kratix-node';

const describe = (t: RequestTarget) =>
  `${t.promise} ${t.namespace}/${t.name} on cluster ${t.cluster}`;

/**
 * Resolves with the Resource once it carries the request id (checked in the cache now, then on every
 * change); rejects with a KratixWaitError `timeout` or `aborted`. A Resource of the same name with
 * another request id (an earlier one) is not it: the wait goes on.
 */
export function untilRequestApplied(options: {
  clusters: KratixClusterService;
  target: RequestTarget;
  requestId: string;
  timeoutMs: number;
  signal?: AbortSignal;
}): Promise<ResolvedResource> {
  const { clusters, target, requestId, timeoutMs, signal } = options;
  const what = `request ${requestId} (${describe(target)})`;

  return new Promise((resolve, reject) => {
    let settled = false;
    const cleanups: Array<() => void> = [];
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      cleanups.forEach(cleanup => cleanup());
      outcome();
    };
    const onAbort = () =>
      finish(() =>
        reject(
          new KratixWaitError(
            'aborted',
            `Stopped waiting for the platform to apply ${what}`,
          ),
        ),
      );
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort);
    cleanups.push(() => signal?.removeEventListener('abort', onAbort));

    // The cache now, then every change; an error reading the cache other than absence (an unknown
    // Promise) ends the wait.
    cleanups.push(
      watchRequestApplied(clusters, target, requestId, {
        applied: resource => finish(() => resolve(resource)),
        failed: error => finish(() => reject(error)),
      }),
    );
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new KratixWaitError(
              'timeout',
              `Timed out after ${
                timeoutMs / 1000
              }s waiting for the platform to apply ${what}: no Resource carrying it appeared on the cluster`,
            ),
          ),
        ),
      timeoutMs,
    );
    cleanups.push(() => clearTimeout(timer));
  });
}

/**
 * Waits within `ticket` for the platform to apply the request, then hands back a ticket for the
 * rest of the same timeout (the one slot stays held; releasing either releases it) and the line
 * to log once the caller has decided the initiator may learn that the Resource is there.
 */
export async function waitForApplied(
  ctx: { logger: LoggerService; signal?: AbortSignal },
  clusters: KratixClusterService,
  ticket: KratixWaitTicket,
  target: RequestTarget,
  requestId: string,
): Promise<{
  resource: ResolvedResource;
  rest: KratixWaitTicket;
  appliedLine: string;
}> {
  const started = Date.now();
  ctx.logger.info(
    `Waiting for the platform to apply request ${requestId}: ${describe(
      target,
    )} (at most ${ticket.timeoutSeconds}s)`,
  );
  const resource = await untilRequestApplied({
    clusters,
    target,
    requestId,
    timeoutMs: ticket.timeoutSeconds * 1000,
    signal: ctx.signal,
  });
  const took = (Date.now() - started) / 1000;
  const appliedLine = `Applied by the platform: ${describe(
    target,
  )} carries request ${requestId} (after ${took.toFixed(1)}s)`;
  // The workflow wait gets what is left of the same timeout and slot.
  const rest = ticketAfterRequest({
    clusters,
    ticket,
    startedAt: started,
    requestId,
  });
  return { resource, rest, appliedLine };
}
