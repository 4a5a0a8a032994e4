/*
 * The bounded log of changes that watches replay from, like the apiserver's watch cache:
 * a resourceVersion older than what is kept answers 410 Gone.
 */
import { gone } from './errors';
import type { StoreChange } from './types';

export interface HistoryEntry {
  rv: number;
  typeId: string;
  change: StoreChange;
}

export class WatchHistory {
  private entries: HistoryEntry[] = [];
  /** Highest resourceVersion no longer kept; a watch from below it cannot be served. */
  private compacted = 0;

  constructor(private readonly limit: number) {}

  add(entry: HistoryEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.limit) {
      const dropped = this.entries.splice(0, this.entries.length - this.limit);
      this.compacted = dropped[dropped.length - 1].rv;
    }
  }

  /** Forgets everything up to `rv` (after a restore). */
  reset(rv: number): void {
    this.entries = [];
    this.compacted = rv;
  }

  isAvailable(rv: number): boolean {
    return rv >= this.compacted;
  }

  /** Entries with resourceVersion > rv, oldest first; 410 when they are no longer all kept. */
  after(rv: number): HistoryEntry[] {
    if (!this.isAvailable(rv)) {
      const oldest = this.entries.length
        ? this.entries[0].rv
        : this.compacted + 1;
      throw gone(`too old resource version: ${rv} (${oldest - 1})`);
    }
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.entries[mid].rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    return this.entries.slice(lo);
  }
}
