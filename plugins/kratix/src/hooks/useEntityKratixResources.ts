import { useCallback, useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import type { EntityResourcesResponse } from '@kratix-backstage/plugin-kratix-common';
import {
  KratixAccessLostError,
  kratixApiRef,
  type KratixWatchError,
} from '../api/KratixApi';

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
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<Omit<EntityKratixResourcesState, 'retry'>>(
    { loading: true, live: false, stale: false },
  );

  useEffect(() => {
    let cancelled = false;
    setState({ loading: true, live: false, stale: false });

    const receive = (data: EntityResourcesResponse, live: boolean) =>
      setState(previous => ({
        loading: false,
        data,
        live: live || previous.live,
        stale: false,
        receivedAt: new Date(),
      }));

    api.getEntityResources(entityRef).then(
      data => {
        // The stream may already have delivered newer data.
        if (!cancelled) {
          setState(previous =>
            previous.data
              ? previous
              : {
                  ...previous,
                  loading: false,
                  data,
                  receivedAt: new Date(),
                },
          );
        }
      },
      error => {
        if (!cancelled) {
          setState(previous =>
            previous.data ? previous : { ...previous, loading: false, error },
          );
        }
      },
    );

    const unsubscribe = api.watchEntityResources(
      entityRef,
      data => {
        if (!cancelled) receive(data, true);
      },
      streamError => {
        if (cancelled) return;
        if (streamError.error instanceof KratixAccessLostError) {
          // Access was revoked while watching: stop showing what the user may no longer see.
          setState({
            loading: false,
            live: false,
            stale: false,
            error: streamError.error,
          });
          return;
        }
        setState(previous => ({
          ...previous,
          live: false,
          stale: previous.data !== undefined,
          streamError,
        }));
      },
    );

    return () => {
      cancelled = true;
      unsubscribe();
    };
  }, [api, entityRef, attempt]);

  const retry = useCallback(() => setAttempt(a => a + 1), []);
  return { ...state, retry };
}
