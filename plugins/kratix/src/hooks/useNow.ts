import { useState } from 'react';
import useInterval from 'react-use/esm/useInterval';

/** The current time, refreshed every `intervalMs` so ages and "in this state for" stay true. */
export function useNow(intervalMs = 15000): number {
  const [now, setNow] = useState(() => Date.now());
  useInterval(() => setNow(Date.now()), intervalMs);
  // A render caused by fresh data must not use a stale clock, or new transitions read as future.
  return Math.max(now, Date.now());
}
