/*
 * What a step hands to later steps, read from the Resource with the shared status functions: the
 * status message, the extra status keys the workflow wrote (so a template can read
 * `${{ steps.x.output.status.initialLoginDetails.passwordSecretName }}`), the conditions, and the
 * link to the entity's Kratix tab opened on the Resource.
 */
import {
  kratixEntityTabPath,
  parseKratixPermissionRef,
  stringifyKratixPermissionRef,
  type KratixCondition,
  type KratixPermissionRef,
} from '@kratix-backstage/plugin-kratix-common';
import {
  resourceViewOf,
  type ResolvedResource,
} from '@kratix-backstage/plugin-kratix-node';

export interface StepOutput {
  resourceRef: string;
  message: string;
  status: Record<string, unknown>;
  conditions: KratixCondition[];
  entityUrl?: string;
}

/**
 * `<app.baseUrl>/catalog/<namespace>/<kind>/<name>/kratix?resource=<key>`: the entity's Kratix tab
 * opened on the Resource, in the one link format the tab and search share.
 */
export function entityKratixUrl(
  appBaseUrl: string,
  entityRef: string,
  resource?: KratixPermissionRef,
): string | undefined {
  try {
    return `${appBaseUrl.replace(/\/+$/, '')}${kratixEntityTabPath(
      entityRef,
      resource,
    )}`;
  } catch {
    return undefined;
  }
}

export function stepOutput(
  resolved: ResolvedResource,
  appBaseUrl: string,
): StepOutput {
  const view = resourceViewOf(resolved);
  const entityUrl = view.entityRef
    ? entityKratixUrl(appBaseUrl, view.entityRef, view)
    : undefined;
  return {
    resourceRef: stringifyKratixPermissionRef(view),
    message: view.message,
    status: view.extraStatus,
    conditions: view.conditions,
    ...(entityUrl ? { entityUrl } : {}),
  };
}

/**
 * The output for a Resource the initiator may not read: where it is, nothing of its status (a
 * task's output is as visible as the task).
 */
export function hiddenStepOutput(
  resourceRef: string,
  appBaseUrl: string,
  entityRef?: string,
): StepOutput {
  const entityUrl = entityRef
    ? entityKratixUrl(
        appBaseUrl,
        entityRef,
        parseKratixPermissionRef(resourceRef),
      )
    : undefined;
  return {
    resourceRef,
    message: '',
    status: {},
    conditions: [],
    ...(entityUrl ? { entityUrl } : {}),
  };
}
