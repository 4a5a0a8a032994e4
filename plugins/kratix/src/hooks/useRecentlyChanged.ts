import { useEffect, useRef, useState } from 'react';

/**
 * Keys of the items whose signature changed in the last `durationMs` (items seen for the first time
 * do not count): a live update that changes a row highlights it briefly, so the eye finds it.
 */
export function useRecentlyChanged<T>(
  items: T[] | undefined,
  keyOf: (item: T) => string,
  signatureOf: (item: T) => string,
  durationMs = 4000,
): ReadonlySet<string> {
  const previous = useRef<Map<string, string> | undefined>(undefined);
  const [changed, setChanged] = useState<ReadonlySet<string>>(new Set());

  useEffect(() => {
    if (!items) return undefined;
    const current = new Map(items.map(i => [keyOf(i), signatureOf(i)]));
    const before = previous.current;
    previous.current = current;
    if (!before) return undefined;
    const fresh = [...current].filter(
      ([key, signature]) => before.has(key) && before.get(key) !== signature,
    );
    if (fresh.length === 0) return undefined;
    const keys = fresh.map(([key]) => key);
    setChanged(set => new Set([...set, ...keys]));
    // The highlight is a visual cue that fades; nothing waits on it.
    const timer = setTimeout(
      () => setChanged(set => new Set([...set].filter(k => !keys.includes(k)))),
      durationMs,
    );
    return () => clearTimeout(timer);
    // keyOf/signatureOf are pure; only new items matter.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [items, durationMs]);

  return changed;
}
