import { useCallback } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import type { EntityResourcesResponse } from '@kratix-backstage/plugin-kratix-common';
import { kratixApiRef, type KratixWatchError } from '../api/KratixApi';
import { useEntityResourcesStream } from './useEntityResourcesStream';

/**
 * What `useEntityKratixResources` returns: the data, loading, errors and staleness.
 *
 * @public
 */
export interface EntityKratixResourcesState {
  /** True until the first snapshot or error arrives. */
  loading: boolean;
  /** The latest snapshot (kept while the live stream is down, then `stale` is true). */
  data?: EntityResourcesResponse;
  /** The first load failed and there is nothing to show. */
  error?: Error;
  /** Whether updates are arriving right now. */
  live: boolean;
  /** The data shown may be out of date: the live stream is down. */
  stale: boolean;
  /** Why the live stream is down, and whether it is reconnecting. */
  streamError?: KratixWatchError;
  /** When the data shown was last received. */
  receivedAt?: Date;
  /** Load again from scratch (after a permanent error). */
  retry: () => void;
}

/**
 * An entity's Kratix Resources: the first snapshot from the REST route, then every change from the live
 * stream. When the stream breaks the last data stays on screen and is marked stale until it recovers.
 *
 * @public
 */
export function useEntityKratixResources(
  entity: Entity,
): EntityKratixResourcesState {
  const api = useApi(kratixApiRef);
  const entityRef = stringifyEntityRef(entity);
  const snapshot = useAsyncRetry(
    async () => ({
      data: await api.getEntityResources(entityRef),
      receivedAt: new Date(),
    }),
    [api, entityRef],
  );
  const stream = useEntityResourcesStream(entityRef);

  // A snapshot counts once settled: while a retry loads, the page starts again from nothing. The
  // stream's data is newer than the snapshot's whenever it has any; after access was lost, neither
  // is shown.
  const settled = snapshot.loading ? undefined : snapshot;
  const fromSnapshot = stream.accessLost ? undefined : settled?.value;
  const data = stream.data ?? fromSnapshot?.data;
  const error =
    stream.accessLost ?? (data === undefined ? settled?.error : undefined);

  const { retry: reload } = snapshot;
  const { reconnect } = stream;
  const retry = useCallback(() => {
    reload();
    reconnect();
  }, [reload, reconnect]);

  return {
    loading: data === undefined && error === undefined && snapshot.loading,
    data,
    error,
    live: stream.live,
    stale: stream.streamError !== undefined && data !== undefined,
    streamError: stream.streamError,
    receivedAt: stream.data ? stream.receivedAt : fromSnapshot?.receivedAt,
    retry,
  };
}
