import { useMemo } from 'react';
import {
  specFormSchema,
  type FormSchema,
} from '@kratix-backstage/plugin-kratix-common';
import { useKratixPromise } from './useKratixPromise';

export interface PromiseSpecSchemaState {
  loading: boolean;
  /**
   * The form schema of the Resource's spec, converted from the Promise's `openAPIV3Schema` as the
   * generated software templates are (kratix-common's specFormSchema); undefined when the Promise
   * does not describe its spec's fields.
   */
  schema?: FormSchema;
  error?: Error;
}

/** The form schema of a Promise's spec (from `GET /promises`), loaded when `enabled`. */
export function usePromiseSpecSchema(
  cluster: string,
  promise: string,
  enabled: boolean,
): PromiseSpecSchemaState {
  const state = useKratixPromise(cluster, promise, enabled);
  const loaded = state.promise;
  // One schema object per Promise: the form re-reads its schema when the object changes.
  const schema = useMemo(() => {
    if (!loaded) return undefined;
    const form = specFormSchema(loaded.schema, loaded.kind);
    if (!form.described) return undefined;
    // The editor's title already names the Resource; the form's own title would repeat it.
    const { title: _title, ...fields }: FormSchema = form.schema;
    return fields;
  }, [loaded]);
  return { loading: state.loading, schema, error: state.error };
}
