/*
 * The list path: selectors, key order, limit and continue. A continue token pins the list to the
 * resourceVersion of its first page, so later pages are served from that point in time by rolling
 * the current objects back through the change history.
 */
import { decodeContinue, encodeContinue } from './continueToken';
import { gone } from './errors';
import type { WatchHistory } from './history';
import { keyOf, typeIdOf } from './keys';
import { objectFilter } from './selectors';
import type { TypeState } from './tables';
import type { KubeObject, ListOptions, ListResult } from './types';

export function listObjects(
  state: TypeState,
  options: ListOptions,
  history: WatchHistory,
  currentRv: number,
): ListResult {
  const matches = objectFilter(state.type, options);
  let snapshotRv = currentRv;
  let start: string | undefined;
  if (options.continue) {
    const position = decodeContinue(options.continue);
    if (!history.isAvailable(position.rv)) {
      throw gone(
        'The provided continue parameter is too old to display a consistent list result. ' +
          'You can start a new list without the continue parameter.',
      );
    }
    snapshotRv = position.rv;
    start = position.start;
  }
  const entries: Array<[string, KubeObject]> = [];
  for (const [k, object] of objectsAt(state, snapshotRv, history, currentRv)) {
    if ((start === undefined || k > start) && matches(object))
      entries.push([k, object]);
  }
  // Plain code-unit order (as etcd keys sort), not locale order.
  entries.sort((a, b) => {
    if (a[0] === b[0]) return 0;
    return a[0] < b[0] ? -1 : 1;
  });
  const limit = options.limit && options.limit > 0 ? options.limit : undefined;
  const page = limit !== undefined ? entries.slice(0, limit) : entries;
  const result: ListResult = {
    items: page.map(e => e[1]),
    resourceVersion: String(snapshotRv),
  };
  if (limit !== undefined && entries.length > limit) {
    result.continue = encodeContinue({
      rv: snapshotRv,
      start: page[page.length - 1][0],
    });
    result.remainingItemCount = entries.length - limit;
  }
  return result;
}

/** The type's objects as of `rv`: current ones with later changes rolled back from history. */
function objectsAt(
  state: TypeState,
  rv: number,
  history: WatchHistory,
  currentRv: number,
): Iterable<[string, KubeObject]> {
  if (rv >= currentRv) return state.objects.entries();
  const view = new Map(state.objects);
  const id = typeIdOf(state.type);
  const later = history.after(rv);
  for (let i = later.length - 1; i >= 0; i--) {
    const { typeId, change } = later[i];
    if (typeId !== id) continue;
    const k = keyOf(
      change.object.metadata.namespace,
      change.object.metadata.name,
    );
    if (change.type === 'ADDED') view.delete(k);
    else if (change.previous) view.set(k, change.previous);
  }
  return view.entries();
}
