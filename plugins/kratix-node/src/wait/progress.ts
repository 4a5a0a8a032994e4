/*
 * Turns successive snapshots of one Resource into progress lines for a task log: each pipeline
 * starting and ending, each condition change (with its reason and message), each new message.
 * Only what changed since the previous snapshot is reported.
 */
import {
  pipelineStatuses,
  sortedConditions,
  statusMessage,
  type KratixCondition,
  type KratixResourceObject,
} from '@kratix-backstage/plugin-kratix-common';

/**
 * A condition as one log line: `Type=Status (Reason): message`.
 *
 * @public
 */
export function describeCondition(condition: KratixCondition): string {
  const reason = condition.reason ? ` (${condition.reason})` : '';
  const message = condition.message ? `: ${condition.message}` : '';
  return `${condition.type}=${condition.status}${reason}${message}`;
}

const PHASE_WORDS: Record<string, string> = {
  Running: 'started',
  Succeeded: 'ended: succeeded',
  Failed: 'ended: failed',
};

export class ProgressTracker {
  private readonly conditions = new Map<string, string>();
  private readonly pipelines = new Map<string, string>();
  private message?: string;

  /** The lines describing what changed since the last call. */
  next(object: KratixResourceObject): string[] {
    const lines: string[] = [];
    for (const pipeline of pipelineStatuses(object.status)) {
      if (this.pipelines.get(pipeline.name) === pipeline.phase) continue;
      this.pipelines.set(pipeline.name, pipeline.phase);
      const word = PHASE_WORDS[pipeline.phase] ?? pipeline.phase.toLowerCase();
      lines.push(`Pipeline ${pipeline.name} ${word}`);
    }
    for (const condition of sortedConditions(object.status)) {
      const line = describeCondition(condition);
      if (this.conditions.get(condition.type) === line) continue;
      this.conditions.set(condition.type, line);
      lines.push(`Condition ${line}`);
    }
    const message = object.status ? statusMessage(object.status) : undefined;
    if (message !== undefined && message !== this.message) {
      this.message = message;
      lines.push(`Message: ${message}`);
    }
    return lines;
  }

  /**
   * Kratix marks the workflow complete before it marks the last pipeline Succeeded: when the wait
   * ends, pipelines still running are reported with the workflow's outcome.
   */
  end(outcome: 'succeeded' | 'failed'): string[] {
    const lines: string[] = [];
    for (const [name, phase] of this.pipelines) {
      if (phase !== 'Running') continue;
      this.pipelines.set(
        name,
        outcome === 'succeeded' ? 'Succeeded' : 'Failed',
      );
      lines.push(`Pipeline ${name} ended: ${outcome}`);
    }
    return lines;
  }
}
