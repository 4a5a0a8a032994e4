/*
 * Waits for a Resource on behalf of a scaffolder step, within the wait service's admission (a
 * ticket: the timeout, a slot of the user's): progress lines go to the task log, and the step fails
 * (never succeeds silently) with the condition's type, reason and message. When the initiator may
 * not read the Resource, the log and the failure say only what happened (done, failed, timed out),
 * never a condition, message or status: a task log is as visible as the scaffolder's policy makes it.
 */
import {
  describeCondition,
  KratixWaitError,
  type KratixWaitTicket,
  type ResolvedResource,
} from '@kratix-backstage/plugin-kratix-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { statusMessage } from '@kratix-backstage/plugin-kratix-common';

export async function waitAndReport(
  ctx: { logger: LoggerService; signal?: AbortSignal },
  ticket: KratixWaitTicket,
  resource: ResolvedResource,
  options: { waitFor: string; readable: boolean },
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
