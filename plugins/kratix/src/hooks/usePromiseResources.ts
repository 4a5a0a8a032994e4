import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import { kratixApiRef, type PromiseResourcesResponse } from '../api/KratixApi';

/** What `usePromiseResources` returns. */
export interface PromiseResourcesState {
  loading: boolean;
  value?: PromiseResourcesResponse;
  error?: Error;
}

/** The Promise's Resources the user may read (`GET /promises/{cluster}/{promise}/resources`). */
export function usePromiseResources(
  cluster: string,
  name: string,
): PromiseResourcesState {
  const api = useApi(kratixApiRef);
  return useAsync(
    () => api.getPromiseResources({ cluster, name }),
    [api, cluster, name],
  );
}
