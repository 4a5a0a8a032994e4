/*
 * Waits for a Resource on behalf of a scaffolder step: progress lines go to the task log, and the
 * step fails (never succeeds silently) with the condition's type, reason and message.
 */
import {
  waitForResource,
  type KratixClusterService,
  type ResolvedResource,
} from '@kratix-backstage/plugin-kratix-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { statusMessage } from '@kratix-backstage/plugin-kratix-common';

export async function waitAndReport(
  ctx: { logger: LoggerService; signal?: AbortSignal },
  clusters: KratixClusterService,
  resource: ResolvedResource,
  options: { waitFor: string; timeoutSeconds: number },
): Promise<ResolvedResource> {
  const { resource: done, condition } = await waitForResource({
    clusters,
    resource,
    waitFor: options.waitFor,
    timeoutMs: options.timeoutSeconds * 1000,
    signal: ctx.signal,
    onProgress: line => ctx.logger.info(line),
  });
  ctx.logger.info(
    `Done: ${condition.type}=${condition.status}${
      condition.reason ? ` (${condition.reason})` : ''
    }: ${statusMessage(done.object.status)}`,
  );
  return done;
}
