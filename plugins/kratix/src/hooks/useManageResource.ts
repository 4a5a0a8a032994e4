import { useCallback, useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import type {
  KratixManageAction,
  KratixRequestView,
  KratixResourceView,
  ManageResourceResponse,
  UpdateResourceRequest,
} from '@kratix-backstage/plugin-kratix-common';
import { kratixApiRef } from '../api/KratixApi';
import { errorMessage } from '../utils/errors';

export type ManageResult =
  | { ok: true; response: ManageResourceResponse }
  | { ok: false; error: Error };

const DONE: Record<KratixManageAction, (name: string) => string> = {
  reconcile: name =>
    `Re-running the workflow of ${name}: the new run appears on its timeline`,
  pause: name => `Paused ${name}: Kratix will not reconcile it until resumed`,
  resume: name => `Resumed ${name}: Kratix reconciles it again`,
  update: name => `Saved the spec of ${name}: Kratix runs its workflow again`,
  delete: name =>
    `Deleting ${name}: Kratix runs the delete workflow, then it disappears`,
};

/** A change delivered through Git is not done: it waits in a commit or a pull request. */
const REQUESTED: Record<KratixManageAction, (name: string) => string> = {
  reconcile: name => `Requested a new run of ${name}`,
  pause: name => `Requested to pause ${name}`,
  resume: name => `Requested to resume ${name}`,
  update: name => `Requested the spec change of ${name}`,
  delete: name => `Requested the deletion of ${name}`,
};

const VERB: Record<KratixManageAction, string> = {
  reconcile: 're-run the workflow of',
  pause: 'pause',
  resume: 'resume',
  update: 'save the spec of',
  delete: 'delete',
};

/**
 * The manage actions on one Resource, with their result told through Backstage's alert API. Spec
 * updates report failures to the caller only: the editor shows them in place (a 409 needs a choice).
 * On a cluster with Git delivery the answer carries the delivered request, handed to `onRequest`.
 */
export function useManageResource(
  entityRef: string,
  resource: KratixResourceView,
  onRequest?: (request: KratixRequestView) => void,
) {
  const api = useApi(kratixApiRef);
  const alertApi = useApi(alertApiRef);
  const [pending, setPending] = useState<KratixManageAction>();
  const { cluster, promise, namespace, name } = resource;

  const run = useCallback(
    async (
      action: KratixManageAction,
      request?: UpdateResourceRequest,
    ): Promise<ManageResult> => {
      const key = { cluster, promise, namespace, name };
      setPending(action);
      try {
        let response: ManageResourceResponse;
        if (action === 'reconcile') {
          response = await api.reconcileResource(entityRef, key);
        } else if (action === 'pause') {
          response = await api.pauseResource(entityRef, key);
        } else if (action === 'resume') {
          response = await api.resumeResource(entityRef, key);
        } else if (action === 'delete') {
          response = await api.deleteResource(entityRef, key);
        } else {
          if (!request) throw new Error('No spec to save');
          response = await api.updateResource(entityRef, key, request);
        }
        // Through Git the answer is a request, not the change: say where it waits (the panel shows
        // its link; an alert has text only).
        alertApi.post(
          response.request
            ? {
                message: `${REQUESTED[action](name)}: ${
                  response.request.message
                }`,
                severity: 'info',
                display: 'transient',
              }
            : {
                message: DONE[action](name),
                severity: 'success',
                display: 'transient',
              },
        );
        if (response.request) onRequest?.(response.request);
        return { ok: true, response };
      } catch (e) {
        const error = e instanceof Error ? e : new Error(String(e));
        if (action !== 'update') {
          alertApi.post({
            message: `Could not ${VERB[action]} ${name}: ${errorMessage(
              error,
            )}`,
            severity: 'error',
          });
        }
        return { ok: false, error };
      } finally {
        setPending(undefined);
      }
    },
    [api, alertApi, entityRef, cluster, promise, namespace, name, onRequest],
  );

  return { run, pending };
}
