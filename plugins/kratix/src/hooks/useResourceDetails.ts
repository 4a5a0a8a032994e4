import { useCallback, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import type {
  KratixResourceView,
  ResourceDetailsResponse,
} from '@kratix-backstage/plugin-kratix-common';
import { kratixApiRef, type KratixEntityRef } from '../api/KratixApi';

/**
 * What `useResourceDetails` returns.
 *
 * @public
 */
export interface ResourceDetailsState {
  loading: boolean;
  details?: ResourceDetailsResponse;
  error?: Error;
  /** Load again now (after a conflict, to get the latest object). */
  reload: () => void;
}

/**
 * What changes when the Resource changes: when the live view of a Resource differs, its details
 * (timeline, raw object) are fetched again.
 */
export function resourceSignature(resource: KratixResourceView): string {
  return JSON.stringify([
    resource.message,
    resource.state,
    resource.generation,
    resource.observedGeneration,
    resource.conditions,
    resource.pipelines,
    resource.extraStatus,
    resource.labels,
    // Where it landed can change with no change to the Resource (a Destination relabelled).
    resource.works,
  ]);
}

/**
 * A Resource's timeline and raw object, loaded when `enabled` and again whenever it changes.
 *
 * @public
 */
export function useResourceDetails(
  entityRef: KratixEntityRef,
  resource: KratixResourceView,
  enabled: boolean,
): ResourceDetailsState {
  const api = useApi(kratixApiRef);
  const { cluster, promise, namespace, name } = resource;
  const signature = resourceSignature(resource);
  // Not useAsyncRetry: its retry does nothing while a load is under way, and after a conflict the
  // load under way may have started before the write that conflicted.
  const [attempt, setAttempt] = useState(0);
  const { loading, value, error } = useAsync(
    () =>
      enabled
        ? api.getResourceDetails(entityRef, {
            cluster,
            promise,
            namespace,
            name,
          })
        : Promise.resolve(undefined),
    [
      api,
      entityRef,
      cluster,
      promise,
      namespace,
      name,
      signature,
      enabled,
      attempt,
    ],
  );
  // The last details loaded stay on screen while new ones load, and when loading them fails.
  const shown = useRef<ResourceDetailsResponse>();
  if (value) shown.current = value;

  const reload = useCallback(() => setAttempt(a => a + 1), []);
  return {
    loading: enabled && loading,
    details: shown.current,
    error,
    reload,
  };
}
