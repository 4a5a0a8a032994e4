/*
 * Small helpers for controllers writing to the Store: read-modify-write with retry on 409,
 * the way controller-runtime reconcilers recover from stale writes.
 */
import type { KubeObject, Store, TypeKey } from '../../store/types';

export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** HTTP code carried by a store error (KubeApiError), if any. */
export function errorCode(error: unknown): number | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as Record<string, unknown>;
  for (const key of ['code', 'statusCode', 'status']) {
    if (typeof e[key] === 'number') return e[key] as number;
  }
  return undefined;
}

export const isConflict = (error: unknown) => errorCode(error) === 409;
export const isNotFound = (error: unknown) => errorCode(error) === 404;

const MAX_ATTEMPTS = 10;

/**
 * Applies `mutate` to a fresh copy of the object and writes it (main resource or /status).
 * `mutate` returns false to skip the write. Returns the stored object, or undefined if it is gone.
 */
export function writeWithRetry(
  store: Store,
  key: TypeKey,
  namespace: string | undefined,
  name: string,
  mutate: (object: KubeObject) => boolean | void,
  subresource?: 'status',
): KubeObject | undefined {
  for (let attempt = 1; ; attempt++) {
    const current = store.get(key, namespace, name);
    if (!current) return undefined;
    const next = clone(current);
    if (mutate(next) === false) return current;
    try {
      return store.update(key, next, subresource ? { subresource } : undefined);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      if (!isConflict(error) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

/** Shorthand for status writes: `mutate` gets `status` (created if missing). */
export function updateStatus(
  store: Store,
  key: TypeKey,
  namespace: string | undefined,
  name: string,
  mutate: (
    status: Record<string, unknown>,
    object: KubeObject,
  ) => boolean | void,
): KubeObject | undefined {
  return writeWithRetry(
    store,
    key,
    namespace,
    name,
    object => {
      const status = (
        object.status && typeof object.status === 'object' ? object.status : {}
      ) as Record<string, unknown>;
      object.status = status;
      return mutate(status, object);
    },
    store.getType(key)?.statusSubresource ? 'status' : undefined,
  );
}

export function labelsOf(
  object: KubeObject | undefined,
): Record<string, string> {
  return object?.metadata.labels ?? {};
}

export function statusOf(
  object: KubeObject | undefined,
): Record<string, unknown> {
  const status = object?.status;
  return status && typeof status === 'object'
    ? (status as Record<string, unknown>)
    : {};
}
