/*
 * Caps the open event streams per caller (kratix.streams.maxPerUser, default 20), so one user cannot
 * hold hundreds of connections and watch listeners. Counted per backend process: with N replicas a
 * caller can hold at most N times the cap.
 */
export class StreamLimiter {
  private readonly open = new Map<string, number>();

  constructor(readonly maxPerCaller: number) {}

  /** Takes a slot for the caller; returns its release function, or undefined when over the cap. */
  acquire(caller: string): (() => void) | undefined {
    const count = this.open.get(caller) ?? 0;
    if (count >= this.maxPerCaller) return undefined;
    this.open.set(caller, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(caller) ?? 1) - 1;
      if (left <= 0) this.open.delete(caller);
      else this.open.set(caller, left);
    };
  }

  /** Open streams of a caller (for tests and metrics). */
  count(caller: string): number {
    return this.open.get(caller) ?? 0;
  }
}
