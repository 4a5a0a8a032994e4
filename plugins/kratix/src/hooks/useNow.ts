import { useEffect, useState } from 'react';

/** The current time, refreshed every `intervalMs` so ages and "in this state for" stay true. */
export function useNow(intervalMs = 15000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  // A render caused by fresh data must not use a stale clock, or new transitions read as future.
  return Math.max(now, Date.now());
}
