import { useState } from 'react';
import useInterval from 'react-use/esm/useInterval';

/** Milliseconds rounded up to the next whole second. */
export const ceilToSecond = (ms: number) => Math.ceil(ms / 1000) * 1000;

/**
 * The current time, refreshed every `intervalMs` so ages and "in this state for" stay true. Whole
 * seconds: every render within a second sees the same value, so memoized parts (a 500-entry
 * timeline) are not redrawn for a clock that moved a few milliseconds.
 */
export function useNow(intervalMs = 15000): number {
  const [now, setNow] = useState(() => ceilToSecond(Date.now()));
  useInterval(() => setNow(ceilToSecond(Date.now())), intervalMs);
  // A render caused by fresh data must not use a stale clock, or new transitions read as future.
  // Rounded up, never down, for the same reason.
  return Math.max(now, ceilToSecond(Date.now()));
}
