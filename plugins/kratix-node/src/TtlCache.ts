/*
 * A small time-bounded cache with in-flight de-duplication: concurrent misses for one key share one
 * load. Entries older than `ttlMs` are never served, which is the bound every cache in this plugin
 * documents; a ttl of 0 turns caching off. Failed loads are not kept.
 */

/**
 * A time-bounded cache whose concurrent misses share one load.
 *
 * @public
 */
export class TtlCache<V> {
  private readonly entries = new Map<
    string,
    { at: number; value: Promise<V> }
  >();

  constructor(
    readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    if (this.ttlMs <= 0) return load();
    const now = this.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value;
    if (this.entries.size >= this.maxEntries) this.evictExpired(now);
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const value = load();
    const entry = { at: now, value };
    this.entries.set(key, entry);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  private evictExpired(now: number) {
    for (const [key, entry] of this.entries) {
      if (now - entry.at >= this.ttlMs) this.entries.delete(key);
    }
  }
}
