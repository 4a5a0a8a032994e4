import { specSchemaOf } from '@kratix-backstage/plugin-kratix-common';
import { useKratixPromise } from './useKratixPromise';

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
  const state = useKratixPromise(cluster, promise, enabled);
  return {
    loading: state.loading,
    schema: specSchemaOf(state.promise?.schema),
    error: state.error,
  };
}
