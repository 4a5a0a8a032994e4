/*
 * Fan-out of changes to watches and subscribers. Delivery is synchronous and ordered: a write made
 * by a listener is queued behind the change being delivered, so every listener sees changes in
 * resourceVersion order, and all of them before the outer write returns.
 */
import { badRequest } from './errors';
import type { HistoryEntry, WatchHistory } from './history';
import { typeIdOf } from './keys';
import { objectFilter } from './selectors';
import type { TypeState } from './tableTypes';
import type {
  KubeObject,
  StoreChange,
  WatchEvent,
  WatchOptions,
} from './types';
import { bookmarkObject, watchEventFor } from './watchers';

/** A recorded change, or the end of a type (removed: its watches close). */
export type Dispatch = { entry: HistoryEntry } | { endOf: string };
type Listener = (item: Dispatch) => void;

/** What a new watch reads from the store before it goes live. */
export interface WatchSource {
  history: WatchHistory;
  currentRv(): number;
  /** The current matching objects, for a watch started without a resourceVersion. */
  listCurrent(): KubeObject[];
}

function parseResourceVersion(value: string): number {
  if (!/^\d+$/.test(value))
    throw badRequest(`invalid resource version: ${value}`);
  return Number(value);
}

export class WatchHub {
  private readonly listeners = new Set<Listener>();
  private readonly pending: Dispatch[] = [];
  private dispatching = false;

  constructor(private readonly bookmarkIntervalMs: number) {}

  /** Delivers in order; writes made by listeners are queued behind the change being delivered. */
  dispatch(item: Dispatch): void {
    this.pending.push(item);
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      for (let i = 0; i < this.pending.length; i++) {
        for (const listener of [...this.listeners]) {
          try {
            listener(this.pending[i]);
          } catch (error) {
            // A failing listener must not undo or block a write that already happened.
            process.emitWarning(
              `store listener failed: ${(error as Error).stack ?? error}`,
            );
          }
        }
      }
    } finally {
      this.pending.length = 0;
      this.dispatching = false;
    }
  }

  subscribe(listener: (change: StoreChange) => void): () => void {
    const wrapped: Listener = item => {
      if ('entry' in item) listener(item.entry.change);
    };
    this.listeners.add(wrapped);
    return () => {
      this.listeners.delete(wrapped);
    };
  }

  /**
   * A watch on one type: replay from options.resourceVersion (or the current objects as ADDED),
   * then live changes, each delivered once and filtered through the watch's selectors.
   */
  watch(
    state: TypeState,
    options: WatchOptions,
    onEvent: (event: WatchEvent) => void,
    onEnd: (() => void) | undefined,
    source: WatchSource,
  ): () => void {
    const id = typeIdOf(state.type);
    const matches = objectFilter(state.type, options);
    const rv = options.resourceVersion;
    const from = rv && rv !== '0' ? parseResourceVersion(rv) : undefined;
    const replay = from !== undefined ? source.history.after(from) : [];

    let delivered = from ?? source.currentRv();
    let stopped = false;
    const deliver = (entry: HistoryEntry) => {
      if (stopped || entry.typeId !== id || entry.rv <= delivered) return;
      delivered = entry.rv;
      const event = watchEventFor(entry.change, matches);
      if (event) onEvent(event);
    };
    let timer: NodeJS.Timeout | undefined = undefined;
    const listener: Listener = item => {
      if ('entry' in item) deliver(item.entry);
      else if (item.endOf === id && !stopped) {
        stopped = true;
        this.listeners.delete(listener);
        if (timer) clearInterval(timer);
        onEnd?.();
      }
    };
    const stop = () => {
      stopped = true;
      this.listeners.delete(listener);
      if (timer) clearInterval(timer);
    };

    if (from === undefined) {
      // No resourceVersion (or "0"): the current state as synthetic ADDED events, then live.
      for (const object of source.listCurrent()) {
        if (stopped) break;
        onEvent({ type: 'ADDED', object });
      }
    } else {
      for (const entry of replay) deliver(entry);
    }
    delivered = Math.max(delivered, source.currentRv());
    if (stopped) return stop;
    this.listeners.add(listener);
    if (options.allowWatchBookmarks) {
      timer = setInterval(() => {
        if (!stopped)
          onEvent({
            type: 'BOOKMARK',
            // state.type, not a copy: a redefined type's bookmarks carry its new apiVersion.
            object: bookmarkObject(state.type, String(source.currentRv())),
          });
      }, this.bookmarkIntervalMs);
      timer.unref();
    }
    return stop;
  }
}
