/*
 * Waits for a Resource on behalf of a scaffolder step, within the wait service's admission (a
 * ticket: the timeout, a slot of the user's): progress lines go to the task log, and the step fails
 * (never succeeds silently) with the condition's type, reason and message. When the initiator may
 * not read the Resource, the log and the failure say only what happened (done, failed, timed out),
 * never a condition, message or status: a task log is as visible as the scaffolder's policy makes it.
 * A failed workflow's step log ends with the failing container and its last lines (failureLogs.ts).
 */
import {
  describeCondition,
  KratixWaitError,
  type KratixClusterService,
  type KratixWaitTicket,
  type ResolvedResource,
} from '@kratix-backstage/plugin-kratix-node';
import { reportFailureLogs } from './failureLogs';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { statusMessage } from '@kratix-backstage/plugin-kratix-common';

export async function waitAndReport(
  ctx: { logger: LoggerService; signal?: AbortSignal },
  ticket: KratixWaitTicket,
  resource: ResolvedResource,
  options: {
    waitFor: string;
    readable: boolean;
    /** Where a failed workflow's log is read from, and whether the initiator may read it. */
    failureLogs?: {
      clusters: KratixClusterService;
      mayReadLogs: () => Promise<boolean>;
    };
  },
): Promise<ResolvedResource> {
  const { readable } = options;
  const what = `${resource.kind.promise} ${
    resource.object.metadata.namespace ?? 'default'
  }/${resource.object.metadata.name} on cluster ${resource.kind.cluster}`;
  try {
    const { resource: done, condition } = await ticket.wait({
      resource,
      waitFor: options.waitFor,
      signal: ctx.signal,
      onProgress: readable ? line => ctx.logger.info(line) : undefined,
    });
    ctx.logger.info(
      readable
        ? `Done: ${describeCondition({
            ...condition,
            message: undefined,
          })}: ${statusMessage(done.object.status)}`
        : `Done: the wait for ${what} ended successfully`,
    );
    return done;
  } catch (error) {
    if (
      readable &&
      options.failureLogs &&
      error instanceof KratixWaitError &&
      error.reason === 'failed'
    ) {
      await reportFailureLogs(
        ctx.logger,
        options.failureLogs.clusters,
        resource,
        options.failureLogs.mayReadLogs,
      );
    }
    if (readable || !(error instanceof KratixWaitError)) throw error;
    throw new KratixWaitError(error.reason, redacted(error.reason, what));
  }
}

function redacted(reason: KratixWaitError['reason'], what: string): string {
  const hidden = 'its status is not shown: you may not read it';
  switch (reason) {
    case 'failed':
      return `The workflow of ${what} failed; ${hidden}`;
    case 'timeout':
      return `Timed out waiting for ${what}; ${hidden}`;
    case 'unavailable':
      return `The Promise of ${what} is not Available, so its workflow does not run; ${hidden}`;
    case 'deleted':
      return `${what} was deleted while waiting for it`;
    default:
      return `Stopped waiting for ${what}`;
  }
}
