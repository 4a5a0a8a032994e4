/*
 * When a manage action can apply to a Resource, by its state alone (permissions are checked
 * separately). An action that cannot apply is disabled with the reason, not hidden and not left to
 * fail: re-running a paused Resource would do nothing until it is resumed, and a blocked one runs no
 * workflow until its Promise is available.
 */
import {
  CONDITION,
  type KratixManageAction,
  type KratixResourceView,
} from '@kratix-backstage/plugin-kratix-common';

/** The actions with a button of their own (the spec update is the Edit spec button). */
export type ManageButton = Exclude<KratixManageAction, 'update'> | 'edit';

type ResourceState = Pick<
  KratixResourceView,
  'state' | 'paused' | 'promise' | 'conditions'
>;

/** The PromiseAvailable condition when it says False: Kratix runs no workflow for the Resource. */
function unavailablePromise(resource: ResourceState): string | undefined {
  const condition = resource.conditions.find(
    c => c.type === CONDITION.promiseAvailable && c.status === 'False',
  );
  if (!condition) return undefined;
  const why = condition.message || condition.reason;
  return `the ${resource.promise} Promise is not available${
    why ? ` (${why})` : ''
  }`;
}

/**
 * Why Kratix runs no workflow for the Resource while its Promise is unavailable (requirements not
 * installed, or PromiseAvailable False for another reason); undefined when it can run.
 */
export function blockedReason(resource: ResourceState): string | undefined {
  const unavailable = unavailablePromise(resource);
  if (resource.state !== 'blocked' && !unavailable) return undefined;
  return `Blocked: ${
    unavailable ?? `the ${resource.promise} Promise is not available`
  }; Kratix runs no workflow until it is`;
}

/**
 * Why `action` cannot apply to the Resource in its current state, in plain words for a tooltip;
 * undefined when it can.
 */
export function unavailableReason(
  action: ManageButton,
  resource: ResourceState,
): string | undefined {
  if (resource.state === 'deleting') {
    return action === 'delete'
      ? 'Deletion is already under way'
      : 'This Resource is being deleted';
  }
  switch (action) {
    case 'reconcile': {
      // The label decides: Resume removes it, and the Resume button shows while it is set.
      if (resource.paused) {
        return 'Paused: resume it first';
      }
      return blockedReason(resource);
    }
    case 'pause':
      return resource.paused ? 'Already paused' : undefined;
    case 'resume':
      return resource.paused ? undefined : 'Not paused';
    default:
      return undefined;
  }
}
