import { useCallback, useEffect, useState } from 'react';
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
  const [state, setState] = useState<Omit<ResourceDetailsState, 'reload'>>({
    loading: enabled,
  });
  const [attempt, setAttempt] = useState(0);
  const { cluster, promise, namespace, name } = resource;
  const signature = resourceSignature(resource);

  useEffect(() => {
    if (!enabled) return undefined;
    let cancelled = false;
    // Keep showing the previous details while the new ones load.
    setState(previous => ({ ...previous, loading: true }));
    api
      .getResourceDetails(entityRef, { cluster, promise, namespace, name })
      .then(
        details => {
          if (!cancelled) setState({ loading: false, details });
        },
        error => {
          if (!cancelled) {
            setState(previous => ({ ...previous, loading: false, error }));
          }
        },
      );
    return () => {
      cancelled = true;
    };
  }, [
    api,
    entityRef,
    cluster,
    promise,
    namespace,
    name,
    signature,
    enabled,
    attempt,
  ]);

  const reload = useCallback(() => setAttempt(a => a + 1), []);
  return { ...state, reload };
}
