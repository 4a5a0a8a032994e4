import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import type { ResourceDetailsResponse } from '@kratix-backstage/plugin-kratix-common';
import { kratixApiRef, type KratixResourceKey } from '../api/KratixApi';

/** What `useKratixResource` returns. */
export interface KratixResourceState {
  loading: boolean;
  details?: ResourceDetailsResponse;
  /** A 404 also means the user may not read it. */
  error?: Error;
}

/**
 * A Resource on its own, not through an entity (`GET /resources/...`): its view, Works and timeline,
 * loaded once per Resource.
 */
export function useKratixResource(key: KratixResourceKey): KratixResourceState {
  const api = useApi(kratixApiRef);
  const { cluster, namespace, promise, name } = key;
  const { loading, value, error } = useAsync(
    () => api.getResource({ cluster, namespace, promise, name }),
    [api, cluster, namespace, promise, name],
  );
  return { loading, details: value, error };
}
