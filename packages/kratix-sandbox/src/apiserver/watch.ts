/*
 * `?watch=true`: a chunked stream of newline-delimited WatchEvents. Ends on timeoutSeconds, when
 * the client goes away, when the server closes, or when the type is removed. A resourceVersion
 * older than the kept history answers 200 with one ERROR event (410 Expired), as the watch cache does.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceType, Store, WatchEvent } from '../store/types';
import { toApiError } from './http';
import { presenter } from './presentation';
import { queryBool } from './queryBool';
import { type Rendering, partialObject, renderTable } from './table';

export interface WatchRequest {
  store: Store;
  type: ResourceType;
  version: string;
  namespace?: string;
  query: URLSearchParams;
  rendering: Rendering;
  /** Streams to end when the server closes. */
  open: Set<() => void>;
}

const DEFAULT_TIMEOUT_SECONDS = 1800;

export function serveWatch(
  req: IncomingMessage,
  res: ServerResponse,
  w: WatchRequest,
): void {
  const { query, rendering } = w;
  const present = presenter(w.type, w.version);
  let firstTable = true;
  const render = (event: WatchEvent): unknown => {
    if (event.type === 'BOOKMARK' || rendering.as === 'json') {
      return { type: event.type, object: present(event.object) };
    }
    if (rendering.as === 'PartialObjectMetadata') {
      return {
        type: event.type,
        object: partialObject(event.object, rendering.version),
      };
    }
    const table = renderTable(w.type, [event.object], {
      tableVersion: rendering.version,
      version: w.version,
      includeObject: query.get('includeObject') ?? undefined,
      withColumns: firstTable,
      present,
    });
    firstTable = false;
    return { type: event.type, object: table };
  };

  const buffered: unknown[] = [];
  let streaming = false;
  let ended = false;
  const send = (payload: unknown) => {
    if (ended || res.destroyed) return;
    if (!streaming) buffered.push(payload);
    else res.write(`${JSON.stringify(payload)}\n`);
  };
  let stop: () => void = () => {};
  let timer: NodeJS.Timeout | undefined = undefined;
  const end = () => {
    if (ended) return;
    ended = true;
    stop();
    if (timer) clearTimeout(timer);
    w.open.delete(end);
    if (streaming && !res.writableEnded) res.end();
  };

  let error: ReturnType<typeof toApiError> | undefined;
  try {
    stop = w.store.watch(
      w.type,
      {
        namespace: w.namespace,
        labelSelector: query.get('labelSelector') ?? undefined,
        fieldSelector: query.get('fieldSelector') ?? undefined,
        resourceVersion: query.get('resourceVersion') ?? undefined,
        allowWatchBookmarks: queryBool(query, 'allowWatchBookmarks'),
      },
      event => send(render(event)),
      () => end(),
    );
  } catch (e) {
    error = toApiError(e);
    // Bad requests fail before the stream starts; an expired resourceVersion is an ERROR event.
    if (error.code !== 410) throw error;
  }

  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Transfer-Encoding': 'chunked',
    'Cache-Control': 'no-cache, private',
  });
  res.flushHeaders();
  streaming = true;
  for (const payload of buffered.splice(0)) send(payload);
  if (error) {
    send({ type: 'ERROR', object: error.toStatus() });
    end();
    return;
  }
  if (ended) {
    // The type went away while the initial events were sent.
    res.end();
    return;
  }
  const timeout =
    Number(query.get('timeoutSeconds')) || DEFAULT_TIMEOUT_SECONDS;
  timer = setTimeout(end, timeout * 1000);
  w.open.add(end);
  req.on('close', end);
  res.on('close', end);
}
