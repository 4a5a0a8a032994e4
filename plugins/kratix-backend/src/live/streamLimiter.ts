/*
 * Caps what one caller's event streams may hold, per backend process (with N replicas a caller can
 * hold at most N times each cap):
 * - open streams (kratix.streams.maxPerUser, default 20), so one user cannot hold hundreds of
 *   connections and watch listeners;
 * - bytes written but not yet taken by the caller's sockets, summed over their streams
 *   (kratix.streams.maxBufferedBytesPerUser, default 4 MiB), so clients that do not read cannot make
 *   the backend hoard memory. A stream whose next frame would pass the cap waits for another of the
 *   caller's streams to drain or close (and is closed itself when that takes longer than the drain
 *   bound, see entityStream.ts).
 */

export interface StreamLimits {
  maxPerCaller: number;
  maxBufferedBytesPerCaller: number;
}

/** One open stream's share of its caller's limits. */
export class StreamSlot {
  /** Bytes this stream has written that its socket has not taken yet (set by the stream). */
  bufferedBytes: () => number = () => 0;
  private waiter?: () => void;

  constructor(
    readonly caller: string,
    private readonly peers: Set<StreamSlot>,
    private readonly maxCallerBytes: number,
    private readonly onEmpty: () => void,
  ) {}

  /** Frees the slot and its bytes; safe to call on every path, any number of times. */
  release(): void {
    this.waiter = undefined;
    if (!this.peers.delete(this)) return;
    this.onEmpty();
    this.wakePeers();
  }

  /** Bytes all of the caller's streams hold unsent, this one included. */
  callerBufferedBytes(): number {
    let total = 0;
    for (const peer of this.peers) total += peer.bufferedBytes();
    return total;
  }

  /** Whether writing `bytes` more keeps the caller within their cap. */
  mayBuffer(bytes: number): boolean {
    return this.callerBufferedBytes() + bytes <= this.maxCallerBytes;
  }

  /** Calls `wake` once, the next time another of the caller's streams drains or closes. */
  waitForPeers(wake: () => void): void {
    this.waiter = wake;
  }

  /** This stream's socket took everything: streams of the caller waiting for room may go on. */
  drained(): void {
    this.wakePeers();
  }

  private wakePeers(): void {
    for (const peer of [...this.peers]) {
      if (peer === this || !peer.waiter) continue;
      const wake = peer.waiter;
      peer.waiter = undefined;
      wake();
    }
  }
}

export class StreamLimiter {
  private readonly callers = new Map<string, Set<StreamSlot>>();

  constructor(readonly limits: StreamLimits) {}

  get maxPerCaller(): number {
    return this.limits.maxPerCaller;
  }

  /** Takes a slot for the caller; undefined when they already hold the most streams allowed. */
  acquire(caller: string): StreamSlot | undefined {
    let peers = this.callers.get(caller);
    if ((peers?.size ?? 0) >= this.limits.maxPerCaller) return undefined;
    if (!peers) {
      peers = new Set();
      this.callers.set(caller, peers);
    }
    const slot = new StreamSlot(
      caller,
      peers,
      this.limits.maxBufferedBytesPerCaller,
      () => {
        if (peers!.size === 0 && this.callers.get(caller) === peers)
          this.callers.delete(caller);
      },
    );
    peers.add(slot);
    return slot;
  }

  /** Open streams of a caller (for tests and metrics). */
  count(caller: string): number {
    return this.callers.get(caller)?.size ?? 0;
  }
}
