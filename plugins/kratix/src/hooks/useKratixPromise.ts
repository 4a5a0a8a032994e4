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
  /** The names of every Promise on the same cluster (what is installed there). */
  installed?: ReadonlySet<string>;
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
    const onCluster = items.filter(p => p.cluster === cluster);
    return {
      promise: onCluster.find(p => p.name === name) ?? null,
      installed: new Set(onCluster.map(p => p.name)),
    };
  }, [api, cluster, name, enabled]);
  return {
    loading: enabled && loading,
    promise: value?.promise,
    installed: value?.installed,
    error,
  };
}
