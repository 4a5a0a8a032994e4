import { useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { specSchemaOf } from '@kratix-backstage/plugin-kratix-common';
import { kratixApiRef } from '../api/KratixApi';

export interface PromiseSpecSchemaState {
  loading: boolean;
  /** `properties.spec` of the Promise's `openAPIV3Schema`; undefined when it has none. */
  schema?: Record<string, unknown>;
  error?: Error;
}

/** The spec schema of a Promise (from `GET /promises`), loaded when `enabled`. */
export function usePromiseSpecSchema(
  cluster: string,
  promise: string,
  enabled: boolean,
): PromiseSpecSchemaState {
  const api = useApi(kratixApiRef);
  const [state, setState] = useState<PromiseSpecSchemaState>({
    loading: enabled,
  });
  useEffect(() => {
    if (!enabled) return undefined;
    let cancelled = false;
    setState({ loading: true });
    api.getPromises().then(
      response => {
        if (cancelled) return;
        const found = response.items.find(
          p => p.cluster === cluster && p.name === promise,
        );
        setState({ loading: false, schema: specSchemaOf(found?.schema) });
      },
      error => {
        if (!cancelled) setState({ loading: false, error });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, cluster, promise, enabled]);
  return state;
}
