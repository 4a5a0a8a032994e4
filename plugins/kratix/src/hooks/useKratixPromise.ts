import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import type { KratixPromiseView } from '@kratix-backstage/plugin-kratix-common';
import { kratixApiRef } from '../api/KratixApi';

/** What `useKratixPromise` returns. */
export interface KratixPromiseState {
  /** False while not `enabled`. */
  loading: boolean;
  /** Undefined until loaded; null when the cluster has no Promise of that name. */
  promise?: KratixPromiseView | null;
  error?: Error;
}

/** One Promise on one cluster (from `GET /promises`), loaded when `enabled`. */
export function useKratixPromise(
  cluster: string,
  name: string,
  enabled = true,
): KratixPromiseState {
  const api = useApi(kratixApiRef);
  const { loading, value, error } = useAsync(async () => {
    if (!enabled) return undefined;
    const { items } = await api.getPromises();
    return items.find(p => p.cluster === cluster && p.name === name) ?? null;
  }, [api, cluster, name, enabled]);
  return { loading: enabled && loading, promise: value, error };
}
