/**
 * A small map whose entries carry their own expiry, bounded in size. Used for service tokens on
 * both ends: the signer reuses a token it made, the verifier remembers a token it checked. Both
 * run on every service request, so lookups stay O(1) and a full map is swept, not grown.
 */
export class ExpiringCache<V> {
  readonly #entries = new Map<string, { value: V; expiresAtMs: number }>();

  constructor(
    readonly maxEntries: number,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** The value, or undefined when absent or expired (an expired entry is dropped on the way). */
  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (this.nowMs() >= entry.expiresAtMs) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V, expiresAtMs: number): void {
    if (this.maxEntries <= 0) return;
    this.#entries.delete(key);
    if (this.#entries.size >= this.maxEntries) this.#makeRoom();
    this.#entries.set(key, { value, expiresAtMs });
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Drops every expired entry; when none had expired, the oldest tenth (Maps iterate in insertion order). */
  #makeRoom(): void {
    const now = this.nowMs();
    for (const [key, entry] of this.#entries) {
      if (now >= entry.expiresAtMs) this.#entries.delete(key);
    }
    if (this.#entries.size < this.maxEntries) return;
    let toDrop = Math.max(1, Math.floor(this.maxEntries / 10));
    for (const key of this.#entries.keys()) {
      if (toDrop-- === 0) break;
      this.#entries.delete(key);
    }
  }
}
