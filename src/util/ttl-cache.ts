/**
 * A bounded map whose entries expire: what the DNS cache and the TLS session cache keep. A Map keeps
 * insertion order, so re-inserting on every write makes its head the entry written longest ago: the
 * one evicted when the map is full, and (with lifetimes alike) the first to expire, so expired entries
 * are dropped from the head as new ones come in and never pile up.
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { value: V; expiresAt: number }>();

  constructor(
    /** Entries kept at most; the one written longest ago goes first. */
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The value, unless it has expired (then it is gone). */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > this.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  /** Keep `value` until `expiresAt` (ms since the epoch, on `now`'s clock); a time already past keeps nothing. */
  set(key: K, value: V, expiresAt: number): void {
    this.entries.delete(key);
    const now = this.now();
    if (expiresAt <= now) return;
    this.entries.set(key, { value, expiresAt });
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && entry.expiresAt > now) break;
      this.entries.delete(oldest);
    }
  }

  delete(key: K): void {
    this.entries.delete(key);
  }
}
