/*
 * When a workflow fails, the step's log ends with why: the failing pipeline container's name, its
 * exit code and its last lines (FAILURE_LOG_LINES), read from the run's Pod. Only for an initiator
 * who may read the Resource's logs (`kratix.resource.logs.read`, decided by the permission
 * framework on the Resource as the backend decides it): logs can hold secrets, and a task's log is
 * as visible as the scaffolder's policy makes it. Anyone else gets one sentence saying so.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  KratixPodLogError,
  type KratixClusterService,
  type ResolvedResource,
} from '@kratix-backstage/plugin-kratix-node';

/** Lines of the failing container a step's log ends with. */
export const FAILURE_LOG_LINES = 20;

/** The bytes read for those lines: a long line does not fill the task log. */
const FAILURE_LOG_BYTES = 64 * 1024;

export const LOGS_NOT_SHOWN =
  "The pipeline's log is not shown: you may not read this Resource's logs (kratix.resource.logs.read, held by the entity's owners and the platform team).";

/** Writes the failing container's name, exit code and last lines (or why they are not shown). */
export async function reportFailureLogs(
  logger: LoggerService,
  clusters: KratixClusterService,
  resource: ResolvedResource,
  mayReadLogs: () => Promise<boolean>,
): Promise<void> {
  try {
    if (!(await mayReadLogs())) {
      logger.info(LOGS_NOT_SHOWN);
      return;
    }
    const { runs, logsError } = await clusters.listWorkflowRuns(resource);
    const run = runs.find(r => r.failedContainer);
    const container = run?.containers.find(c => c.name === run.failedContainer);
    if (!run || !container) {
      logger.info(
        logsError
          ? `The failed run's log could not be read: ${logsError}`
          : 'No failed pipeline container was found on the cluster (its Pod may already be gone).',
      );
      return;
    }
    const where = `Pipeline ${run.pipeline} (run ${
      run.job
    }) failed in container ${container.name}${
      container.exitCode === undefined
        ? ''
        : ` with exit code ${container.exitCode}`
    }`;
    if (!run.pod) {
      logger.info(`${where}; its Pod is gone, so its log cannot be read here.`);
      return;
    }
    const text = await clusters.readPodLog(resource.kind.cluster, {
      namespace: run.namespace,
      pod: run.pod,
      container: container.name,
      tailLines: FAILURE_LOG_LINES,
      limitBytes: FAILURE_LOG_BYTES,
    });
    const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
    logger.info(
      lines.length === 0
        ? `${where}; it wrote nothing.`
        : `${where}. Its last ${lines.length} lines:`,
    );
    for (const line of lines) logger.info(`  ${line}`);
  } catch (error) {
    // The failure itself is what the step reports; not reading its log must not hide it.
    logger.info(
      `The failed run's log could not be read: ${
        error instanceof KratixPodLogError
          ? error.message
          : (error as Error)?.message ?? String(error)
      }`,
    );
  }
}
