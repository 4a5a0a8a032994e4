/*
 * The one rule for confirming: every action that starts, stops or removes work asks first, and says
 * what will happen in plain words — re-run (runs the workflow again), pause (stops reconciling),
 * resume (starts it again), delete (runs the delete workflow; the name is typed, as it cannot be
 * undone). Editing the spec needs no extra question: the editor is the confirmation, and Save says
 * what it does.
 */
import type { KratixResourceView } from '@kratix-backstage/plugin-kratix-common';
import type { ManageButton } from './availability';

/** The actions confirmed in a ConfirmDialog (every button but Edit spec, whose editor is one). */
export type ConfirmedAction = Exclude<ManageButton, 'edit'>;

export interface Confirmation {
  title: string;
  /** What will happen, in plain words. */
  body: string;
  /** The confirm button: the action's own name. */
  confirmLabel: string;
  danger?: boolean;
  /** The text to type before confirming (for what cannot be undone). */
  typeToConfirm?: string;
}

type Subject = Pick<
  KratixResourceView,
  'kind' | 'namespace' | 'name' | 'cluster' | 'promise'
>;

export const CONFIRMED_ACTIONS: readonly ConfirmedAction[] = [
  'reconcile',
  'pause',
  'resume',
  'delete',
];

/** What the dialog of `action` on `resource` asks and says. */
export function confirmationOf(
  action: ConfirmedAction,
  resource: Subject,
): Confirmation {
  const label = `${resource.kind} ${resource.namespace}/${resource.name}`;
  switch (action) {
    case 'reconcile':
      return {
        title: `Re-run the workflow of ${label}?`,
        body: `Kratix runs the ${resource.promise} Promise’s configure workflow for ${resource.name} again, with its current spec. What the workflow manages is brought back in line with it; the new run appears on the timeline.`,
        confirmLabel: 'Re-run workflow',
      };
    case 'pause':
      return {
        title: `Pause ${label}?`,
        body: `Kratix stops reconciling ${resource.name} (label kratix.io/paused): spec changes and re-runs wait until it is resumed. What it already created keeps running.`,
        confirmLabel: 'Pause',
      };
    case 'resume':
      return {
        title: `Resume ${label}?`,
        body: `Kratix reconciles ${resource.name} again: a spec change made while it was paused is applied, which runs its workflow.`,
        confirmLabel: 'Resume',
      };
    case 'delete':
    default:
      return {
        title: `Delete ${label}?`,
        body: `Kratix runs the ${resource.promise} Promise’s delete workflow and removes what it created for ${resource.name} on ${resource.cluster}. This cannot be undone.`,
        confirmLabel: 'Delete',
        danger: true,
        typeToConfirm: resource.name,
      };
  }
}
