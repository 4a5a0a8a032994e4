import type {
  KratixCondition,
  KratixResourceState,
  KratixResourceView,
} from '@kratix-backstage/plugin-kratix-common';

export const STATE_LABEL: Record<KratixResourceState, string> = {
  ready: 'Ready',
  'in-progress': 'In progress',
  failed: 'Failed',
  paused: 'Paused',
  blocked: 'Blocked',
  deleting: 'Deleting',
  unknown: 'Unknown',
};

/** Worst first: the order of the state counts, and of attention. */
export const STATE_ORDER: KratixResourceState[] = [
  'failed',
  'blocked',
  'deleting',
  'in-progress',
  'paused',
  'unknown',
  'ready',
];

/**
 * The condition the state was read from, mirroring kratix-common's `resourceState` order: Reconciled
 * when present, else the workflow-completion condition. Shown to users as "why".
 */
export function decidingCondition(
  resource: Pick<KratixResourceView, 'conditions' | 'workflowCompletion'>,
): KratixCondition | undefined {
  return (
    resource.conditions.find(c => c.type === 'Reconciled') ??
    resource.workflowCompletion?.condition
  );
}
