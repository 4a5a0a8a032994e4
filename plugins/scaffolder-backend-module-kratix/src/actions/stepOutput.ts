/*
 * What a step hands to later steps, read from the Resource with the shared status functions: the
 * status message, the extra status keys the workflow wrote (so a template can read
 * `${{ steps.x.output.status.initialLoginDetails.passwordSecretName }}`), the conditions, and the
 * link to the entity's Kratix tab opened on the Resource. A request delivered through Git adds
 * where it went (requestOutput), and before the platform has applied it stands in for the Resource
 * (pendingStepOutput).
 */
import {
  kratixEntityTabPath,
  parseKratixPermissionRef,
  stringifyKratixPermissionRef,
  type KratixCondition,
  type KratixPermissionRef,
  type KratixRequestState,
  type KratixRequestView,
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

/** A request delivered through Git, as a step outputs it (schemas.ts requestOutputFields). */
export interface RequestOutput {
  requestId: string;
  requestState: KratixRequestState;
  commitSha: string;
  commitUrl?: string;
  pullRequestUrl?: string;
  repository: string;
  branch: string;
  path: string;
  requestUrl?: string;
}

/**
 * Where the request went; `state` is the ledger's at delivery (`pending`), or `applied` once the
 * step saw the Resource carrying it. `requestUrl` is the one link to follow it for a template's
 * `output.links`: the pull request, else the commit, else the entity's Kratix tab.
 */
export function requestOutput(
  request: KratixRequestView,
  state: KratixRequestState,
  entityUrl: string | undefined,
): RequestOutput {
  const requestUrl = request.pullRequestUrl ?? request.commitUrl ?? entityUrl;
  return {
    requestId: request.id,
    requestState: state,
    commitSha: request.commitSha,
    ...(request.commitUrl ? { commitUrl: request.commitUrl } : {}),
    ...(request.pullRequestUrl
      ? { pullRequestUrl: request.pullRequestUrl }
      : {}),
    repository: request.repository,
    branch: request.branch,
    path: request.path,
    ...(requestUrl ? { requestUrl } : {}),
  };
}

/**
 * The output of a request the platform has not applied yet: the Resource's address, the request's
 * message ("Committed abc1234 to main, waiting for the platform to sync") and nothing of a status.
 */
export function pendingStepOutput(
  request: KratixRequestView,
  resource: KratixPermissionRef & { entityRef?: string },
  appBaseUrl: string,
): StepOutput & RequestOutput {
  const entityUrl = resource.entityRef
    ? entityKratixUrl(appBaseUrl, resource.entityRef, resource)
    : undefined;
  return {
    resourceRef: stringifyKratixPermissionRef(resource),
    message: request.message,
    status: {},
    conditions: [],
    ...(entityUrl ? { entityUrl } : {}),
    ...requestOutput(request, request.state, entityUrl),
  };
}
