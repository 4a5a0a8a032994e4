/*
 * `/kratix/metadata/workflow-control.yaml` (suspend / retryAfter / message), as Kratix's
 * status-writer applies it (KX work-creator/cmd/update_status.go handleWorkflowControlFile,
 * work-creator/lib/status_updater.go MarkPipelineAsSuspended / ClearPipelineSuspension).
 */
import type { WorkflowControl } from '../runner/pipelineRunner';

type Status = Record<string, any>;

export const LABEL_WORKFLOW_SUSPENDED = 'kratix.io/workflow-suspended';

export const suspendsOrRetries = (control: WorkflowControl | undefined) =>
  !!control && (control.suspend === true || !!control.retryAfter);

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** time.ParseDuration, in milliseconds ("1m30s", "500ms"); undefined when malformed. */
export function parseGoDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(trimmed); m; m = re.exec(trimmed)) {
    total += Number(m[1]) * UNIT_MS[m[2]];
    matched = re.lastIndex;
  }
  return matched > 0 && matched === trimmed.length ? total : undefined;
}

function pipelineEntries(status: Status): Status[] {
  const list = status.kratix?.workflows?.pipelines;
  return Array.isArray(list) ? list : [];
}

function withWorkflows(status: Status, patch: (workflows: Status) => void) {
  const kratix = { ...(status.kratix ?? {}) };
  const workflows = { ...(kratix.workflows ?? {}) };
  workflows.pipelines = pipelineEntries(status).map(p => ({ ...p }));
  patch(workflows);
  kratix.workflows = workflows;
  status.kratix = kratix;
}

/** MarkPipelineAsSuspended. */
export function markPipelineAsSuspended(
  status: Status,
  pipelineName: string,
  control: WorkflowControl,
  retryAt: string | undefined,
  generation: number,
): void {
  withWorkflows(status, workflows => {
    const entry = workflows.pipelines.find(
      (p: Status) => p.name === pipelineName,
    );
    if (!entry) return;
    entry.phase = 'Suspended';
    if (control.message) entry.message = control.message;
    else delete entry.message;
    if (retryAt) {
      entry.nextRetryAt = retryAt;
      entry.attempts = (Number(entry.attempts) || 0) + 1;
    } else {
      delete entry.nextRetryAt;
      delete entry.attempts;
    }
    workflows.suspendedGeneration = generation;
  });
}

/** ClearPipelineSuspension. */
export function clearPipelineSuspension(
  status: Status,
  pipelineName: string,
): void {
  if (!pipelineEntries(status).some(p => p.name === pipelineName)) return;
  withWorkflows(status, workflows => {
    const entry = workflows.pipelines.find(
      (p: Status) => p.name === pipelineName,
    );
    entry.phase = 'Running';
    delete entry.message;
    delete entry.attempts;
    delete entry.nextRetryAt;
  });
}

/** GetSuspendedPipelineIndex: the pipeline a suspended workflow stopped at, or -1. */
export function suspendedPipelineIndex(status: Status): number {
  return pipelineEntries(status).findIndex(p => p.phase === 'Suspended');
}

/** The earliest nextRetryAt of the suspended pipeline, in epoch ms. */
export function nextRetryAt(status: Status): number | undefined {
  const entry = pipelineEntries(status).find(p => p.phase === 'Suspended');
  const at = entry?.nextRetryAt ? Date.parse(entry.nextRetryAt) : NaN;
  return Number.isNaN(at) ? undefined : at;
}
