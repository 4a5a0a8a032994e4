import {
  kratixResourceKey,
  type KratixResourceView,
} from '@kratix-backstage/plugin-kratix-common';
import { toMillis } from './time';

/**
 * The key of a Resource on a page: unique across clusters, Promises and namespaces, and the value
 * of the tab's `?resource=` links (one format, from kratix-common).
 */
export const resourceKey = (
  r: Pick<KratixResourceView, 'cluster' | 'namespace' | 'promise' | 'name'>,
) => kratixResourceKey(r);

const num = (value: unknown) => (typeof value === 'number' ? value : undefined);

/**
 * "2 of 2 succeeded" from the per-pipeline phases (Kratix 2026-03+), else from the workflow counters
 * (2025-07+); undefined when the cluster reports neither.
 */
export function pipelineSummary(
  resource: Pick<KratixResourceView, 'pipelines' | 'kratixStatus'>,
): string | undefined {
  const { pipelines, kratixStatus } = resource;
  if (pipelines.length > 0) {
    const done = pipelines.filter(p => p.phase === 'Succeeded').length;
    const failed = pipelines.filter(p => p.phase === 'Failed').length;
    return `${done} of ${pipelines.length} succeeded${
      failed ? `, ${failed} failed` : ''
    }`;
  }
  const total = num(kratixStatus.workflows);
  if (!total) return undefined;
  const succeeded = num(kratixStatus.workflowsSucceeded) ?? 0;
  const failed = num(kratixStatus.workflowsFailed) ?? 0;
  return `${succeeded} of ${total} succeeded${
    failed ? `, ${failed} failed` : ''
  }`;
}

/** The most recent condition transition: when the Resource last changed state. */
export function lastTransition(
  resource: Pick<KratixResourceView, 'conditions'>,
): string | undefined {
  let latest: { time: string; ms: number } | undefined;
  for (const condition of resource.conditions) {
    const ms = toMillis(condition.lastTransitionTime);
    if (ms !== undefined && (!latest || ms > latest.ms)) {
      latest = { time: condition.lastTransitionTime!, ms };
    }
  }
  return latest?.time;
}

/** What a row shows: when it changes, the row is highlighted. */
export const rowSignature = (r: KratixResourceView) =>
  JSON.stringify([r.state, r.message, r.health?.state, pipelineSummary(r)]);
