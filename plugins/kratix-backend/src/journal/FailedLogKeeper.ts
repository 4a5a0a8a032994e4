/*
 * Keeps the last lines of each failed pipeline container (kratix.history.failedLogLines, default 50;
 * 0 turns keeping off): when the Job watch sees a workflow Job fail, its Pod's failed container is
 * read once, while Kratix still has the Pod, and written to KeptLogs. Jobs that had failed before
 * the backend started are seen by the watch's first list, so a restart catches up while their Pods
 * last. Every replica may do this; the table's unique key keeps one copy.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  KratixClusterService,
  WatchChange,
} from '@kratix-backstage/plugin-kratix-node';
import type { V1Job } from '@kubernetes/client-node';
import type { KeptLogs } from './KeptLogs';

/** Default of kratix.history.failedLogLines. */
export const DEFAULT_FAILED_LOG_LINES = 50;

const failed = (job: V1Job) =>
  (job.status?.conditions ?? []).some(
    c => c.type === 'Failed' && c.status === 'True',
  );

export class FailedLogKeeper {
  /** Runs handled (kept, or found with nothing to keep) by this replica: `cluster/ns/job`. */
  private readonly handled = new Set<string>();
  private pending: Promise<void> = Promise.resolve();
  private unsubscribe?: () => void;

  constructor(
    private readonly clusters: KratixClusterService,
    private readonly kept: KeptLogs,
    private readonly logger: LoggerService,
    private readonly lines: number = DEFAULT_FAILED_LOG_LINES,
  ) {}

  start(): void {
    if (this.lines <= 0) return;
    this.unsubscribe = this.clusters.onWorkflowJobChange(change =>
      this.observe(change),
    );
  }

  stop(): Promise<void> {
    this.unsubscribe?.();
    return this.pending;
  }

  /** Resolves when everything observed so far is kept (tests and shutdown). */
  flush(): Promise<void> {
    return this.pending;
  }

  private observe(change: { cluster: string } & WatchChange<V1Job>) {
    const job = change.object;
    const namespace = job.metadata?.namespace ?? 'default';
    const key = `${change.cluster}/${namespace}/${job.metadata?.name}`;
    if (change.type === 'deleted') {
      this.handled.delete(key);
      return;
    }
    if (!failed(job) || this.handled.has(key)) return;
    this.handled.add(key);
    this.pending = this.pending
      .then(() => this.keep(change.cluster, job))
      .catch(error => {
        // Forget it, so the Job's next change tries again.
        this.handled.delete(key);
        this.logger.warn(
          `Could not keep the log of failed Kratix run ${key}: ${error}`,
        );
      });
  }

  private async keep(cluster: string, job: V1Job): Promise<void> {
    const labels = job.metadata?.labels ?? {};
    const promise = labels['kratix.io/promise-name'];
    const name = labels['kratix.io/resource-name'];
    const namespace =
      labels['kratix.io/resource-namespace'] ??
      job.metadata?.namespace ??
      'default';
    // A Promise's own workflow has no Resource: nothing to keep it with.
    if (!promise || !name) return;
    const resource = await this.clusters
      .resolveResource({ cluster, promise, namespace, name })
      .catch(() => undefined);
    const uid = resource?.object.metadata.uid;
    if (!resource || !uid) return;
    const { runs } = await this.clusters.listWorkflowRuns(resource);
    const run = runs.find(
      r =>
        r.job === job.metadata?.name &&
        r.namespace === (job.metadata?.namespace ?? 'default'),
    );
    const container = run?.containers.find(c => c.name === run.failedContainer);
    if (!run?.pod || !container) return;
    if (await this.kept.has(cluster, run.namespace, run.job, container.name))
      return;
    const text = await this.clusters.readPodLog(cluster, {
      namespace: run.namespace,
      pod: run.pod,
      container: container.name,
      tailLines: this.lines,
      // A line is rarely longer than 1 KiB; this bounds what one container can put in the table.
      limitBytes: this.lines * 1024,
    });
    const lines = splitLines(text).slice(-this.lines);
    await this.kept.keep({
      cluster,
      promise,
      namespace,
      name,
      resourceUid: uid,
      jobNamespace: run.namespace,
      job: run.job,
      pipeline: run.pipeline,
      action: run.action,
      container: container.name,
      exitCode: container.exitCode,
      reason: container.reason,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      lines,
    });
    this.logger.debug(
      `Kept the last ${lines.length} lines of failed container ${container.name} of Kratix run ${run.job}`,
      { cluster, job: run.job, container: container.name },
    );
  }
}

/** A log's lines, without the empty one after its last newline. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
