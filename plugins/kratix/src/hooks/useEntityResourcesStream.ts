import { useCallback, useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import type { EntityResourcesResponse } from '@kratix-backstage/plugin-kratix-common';
import {
  KratixAccessLostError,
  kratixApiRef,
  type KratixWatchError,
} from '../api/KratixApi';

/** What the live stream of an entity's Resources has delivered so far. */
export interface EntityResourcesStreamState {
  /** The latest snapshot the stream sent. */
  data?: EntityResourcesResponse;
  /** When `data` arrived. */
  receivedAt?: Date;
  /** Whether the stream is delivering right now: true from its first snapshot to its next failure. */
  live: boolean;
  /** Why the stream is down, and whether the client is reconnecting by itself. */
  streamError?: KratixWatchError;
  /** The stream's final word that the user may no longer read these Resources. */
  accessLost?: Error;
}

/**
 * The live stream (SSE) of an entity's Resources. A new entity, or `reconnect`, starts a new stream
 * from nothing; the client reconnects by itself after a transient failure.
 */
export function useEntityResourcesStream(
  entityRef: string,
): EntityResourcesStreamState & { reconnect: () => void } {
  const api = useApi(kratixApiRef);
  const [connection, setConnection] = useState(0);
  const [state, setState] = useState<EntityResourcesStreamState>({
    live: false,
  });

  useEffect(() => {
    setState({ live: false });
    // KratixApi is public: an implementation may still call back after unsubscribing.
    let subscribed = true;
    const unsubscribe = api.watchEntityResources(
      entityRef,
      data => {
        if (subscribed) setState({ data, receivedAt: new Date(), live: true });
      },
      streamError => {
        if (!subscribed) return;
        if (streamError.error instanceof KratixAccessLostError) {
          // Access was revoked while watching: what the user may no longer see goes.
          setState({ live: false, accessLost: streamError.error });
          return;
        }
        setState(previous => ({ ...previous, live: false, streamError }));
      },
    );
    return () => {
      subscribed = false;
      unsubscribe();
    };
  }, [api, entityRef, connection]);

  const reconnect = useCallback(() => setConnection(c => c + 1), []);
  return { ...state, reconnect };
}
