/*
 * How one watch sees a change: the apiserver filters each event through the watch's selectors
 * and turns "stopped matching" into DELETED and "started matching" into ADDED.
 */
import type {
  KubeObject,
  ObjectMeta,
  ResourceType,
  StoreChange,
  WatchEvent,
} from './types';

export function watchEventFor(
  change: StoreChange,
  matches: (object: KubeObject) => boolean,
): WatchEvent | undefined {
  const object = change.object;
  if (change.type === 'DELETED')
    return matches(object) ? { type: 'DELETED', object } : undefined;
  const now = matches(object);
  if (change.type === 'ADDED')
    return now ? { type: 'ADDED', object } : undefined;
  const before = change.previous !== undefined && matches(change.previous);
  if (now) return { type: before ? 'MODIFIED' : 'ADDED', object };
  return before ? { type: 'DELETED', object } : undefined;
}

/** The object of a BOOKMARK event: only kind, apiVersion and the resourceVersion reached. */
export function bookmarkObject(
  type: ResourceType,
  resourceVersion: string,
): KubeObject {
  return {
    kind: type.kind,
    apiVersion: type.group
      ? `${type.group}/${type.storageVersion}`
      : type.storageVersion,
    // No name, as on the wire: bookmarks carry only the resourceVersion.
    metadata: { resourceVersion } as ObjectMeta,
  };
}
