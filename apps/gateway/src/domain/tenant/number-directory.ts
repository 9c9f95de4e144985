import type { NumberOwner } from './resolve-number-owner';

/** The lookup took longer than the gateway's budget for it. */
export class NumberLookupTimeoutError extends Error {
  override readonly name = 'NumberLookupTimeoutError';
}

export interface NumberDirectory {
  /** The tenant behind a called number (E.164), or null. Throws when PostgreSQL fails or is too slow. */
  find(e164: string): Promise<NumberOwner | null>;
}

export interface NumberDirectoryOptions {
  /** Reads the owner from the database (resolveNumberOwner). */
  lookup: (e164: string) => Promise<NumberOwner | null>;
  /** How long a found owner is used as is (0: never cached). Status changes take effect after this. */
  cacheTtlMs: number;
  /** Budget for one lookup a webhook waits for; the caller answers with a generic apology after it. */
  lookupTimeoutMs: number;
  /** A refresh in the background failed; the owner read before stays in use until it is too old. */
  onRefreshFailed: (e164: string, error: unknown) => void;
  /** Most numbers kept; the oldest entry goes first. */
  maxEntries?: number;
  /** Milliseconds since the epoch; tests move it. */
  nowMs?: () => number;
}

/**
 * Number routing for every webhook. Numbers are read on every turn of every call and change
 * rarely, so a found owner is cached for `cacheTtlMs`. After that it is refreshed ahead: the next
 * webhook still gets the owner read before (if it is less than twice the TTL old) and a lookup
 * runs in the background for the ones after it. Without this, every TTL one turn of every busy
 * number waited for the database (two statements and a transaction), along with any webhook for
 * that number arriving meanwhile. Unknown numbers are never cached, so a number assigned a moment
 * ago routes at once; a refresh that finds no owner any more forgets the number. Concurrent
 * lookups of one number share one query.
 */
export function createNumberDirectory(options: NumberDirectoryOptions): NumberDirectory {
  const { cacheTtlMs, lookupTimeoutMs, maxEntries = 10_000 } = options;
  const nowMs = options.nowMs ?? Date.now;
  const cache = new Map<string, { owner: NumberOwner; freshUntil: number; usableUntil: number }>();
  const inFlight = new Map<string, Promise<NumberOwner | null>>();

  const remember = (e164: string, owner: NumberOwner | null) => {
    cache.delete(e164);
    if (!owner || cacheTtlMs <= 0) return;
    const readAt = nowMs();
    cache.set(e164, { owner, freshUntil: readAt + cacheTtlMs, usableUntil: readAt + 2 * cacheTtlMs });
    if (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
  };

  const lookup = (e164: string): Promise<NumberOwner | null> => {
    let pending = inFlight.get(e164);
    if (!pending) {
      pending = options
        .lookup(e164)
        .then((owner) => {
          remember(e164, owner);
          return owner;
        })
        .finally(() => inFlight.delete(e164));
      inFlight.set(e164, pending);
    }
    return pending;
  };

  return {
    async find(e164) {
      const cached = cache.get(e164);
      const now = nowMs();
      if (cached && now < cached.freshUntil) return cached.owner;
      if (cached && now < cached.usableUntil) {
        // One refresh at a time, reported once if it fails (not once per webhook that came meanwhile).
        if (!inFlight.has(e164)) lookup(e164).catch((error: unknown) => options.onRefreshFailed(e164, error));
        return cached.owner;
      }
      return withTimeout(lookup(e164), lookupTimeoutMs);
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new NumberLookupTimeoutError(`number lookup took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
