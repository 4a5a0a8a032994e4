/*
 * The one rule for confirming: every action that starts, stops or removes work asks first, and says
 * what will happen in plain words — re-run (runs the workflow again), pause (stops reconciling),
 * resume (starts it again), delete (runs the delete workflow; the name is typed, as it cannot be
 * undone). Editing the spec needs no extra question: the editor is the confirmation, and Save says
 * what it does.
 *
 * What happens depends on how the Resource's changes reach its cluster (delivery.ts), as the
 * backend does it (ResourceManagement.ts): a delete through Git is a commit removing its file
 * (gitops) or a pull request (pull-request), and the platform deletes it when its agent syncs; re-run,
 * pause and resume always go straight to the cluster's API (they are labels the platform changes
 * itself, not part of the file in Git).
 */
import type {
  KratixDeliveryView,
  KratixResourceView,
} from '@kratix-backstage/plugin-kratix-common';
import type { ManageButton } from './availability';
import { repositoryText } from './delivery';

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

/**
 * On a cluster delivered through Git, re-run, pause and resume still go straight to its API:
 * said, so nobody looks for a commit.
 */
function directOnGit(
  resource: Subject,
  delivery: KratixDeliveryView | undefined,
): string {
  if (!delivery || delivery.mode === 'direct') return '';
  return ` This goes straight to ${
    resource.cluster
  }’s API, not through ${repositoryText(
    delivery,
  )}: it is a label the platform changes itself, not part of the Resource’s file in Git.`;
}

/** The delete, as the Resource's delivery makes it happen. */
function deleteConfirmation(
  resource: Subject,
  label: string,
  delivery: KratixDeliveryView | undefined,
): Confirmation {
  const title = `Delete ${label}?`;
  const workflow = `Kratix runs the ${resource.promise} Promise’s delete workflow and removes what it created for ${resource.name} on ${resource.cluster}`;
  switch (delivery?.mode) {
    case 'direct':
      return {
        title,
        body: `${workflow}. This cannot be undone.`,
        confirmLabel: 'Delete',
        danger: true,
        typeToConfirm: resource.name,
      };
    case 'gitops':
      // No review in between: once committed, the next sync deletes it. Typed, as for a direct delete.
      return {
        title,
        body: `A commit to ${repositoryText(delivery)} removes ${
          resource.name
        }’s file. Nothing is deleted yet: when the platform syncs the commit, it deletes ${
          resource.name
        }, and ${workflow}. That cannot be undone once it has synced.`,
        confirmLabel: 'Commit deletion',
        danger: true,
        typeToConfirm: resource.name,
      };
    case 'pull-request':
      // Reviewed before anything happens, and closing it unmerged cancels it: no typing.
      return {
        title,
        body: `A pull request against ${repositoryText(
          delivery,
        )} proposes removing ${
          resource.name
        }’s file. Nothing changes until it is merged and the platform syncs it; then ${workflow}. Closing the pull request unmerged cancels the deletion.`,
        confirmLabel: 'Open pull request',
        danger: true,
      };
    default:
      // How this cluster takes changes is not known here: say both, and ask as for the worse.
      return {
        title,
        body: `If ${resource.cluster} takes changes directly, ${workflow} now. If it takes them through Git, a commit or pull request removes ${resource.name}’s file, and it is deleted when the platform syncs it. This cannot be undone once it is applied.`,
        confirmLabel: 'Delete',
        danger: true,
        typeToConfirm: resource.name,
      };
  }
}

/** What the dialog of `action` on `resource` asks and says, as its delivery makes it happen. */
export function confirmationOf(
  action: ConfirmedAction,
  resource: Subject,
  delivery?: KratixDeliveryView,
): Confirmation {
  const label = `${resource.kind} ${resource.namespace}/${resource.name}`;
  const direct = directOnGit(resource, delivery);
  switch (action) {
    case 'reconcile':
      return {
        title: `Re-run the workflow of ${label}?`,
        body: `Kratix runs the ${resource.promise} Promise’s configure workflow for ${resource.name} again, with its current spec. What the workflow manages is brought back in line with it; the new run appears on the timeline.${direct}`,
        confirmLabel: 'Re-run workflow',
      };
    case 'pause':
      return {
        title: `Pause ${label}?`,
        body: `Kratix stops reconciling ${resource.name} (label kratix.io/paused): spec changes and re-runs wait until it is resumed. What it already created keeps running.${direct}`,
        confirmLabel: 'Pause',
      };
    case 'resume':
      return {
        title: `Resume ${label}?`,
        body: `Kratix reconciles ${resource.name} again: a spec change made while it was paused is applied, which runs its workflow.${direct}`,
        confirmLabel: 'Resume',
      };
    case 'delete':
    default:
      return deleteConfirmation(resource, label, delivery);
  }
}
