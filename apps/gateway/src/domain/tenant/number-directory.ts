import type { Db, Keyring } from '@neurosphere/db';
import { resolveNumberOwner } from './resolve-number-owner';
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
  db: Db;
  platformAuthToken: string;
  keyring: Keyring | undefined;
  /** How long a found owner is reused (0: never). Status changes take effect within this. */
  cacheTtlMs: number;
  /** Budget for one lookup; the caller answers with a generic apology after it. */
  lookupTimeoutMs: number;
  /** Most numbers kept; the oldest entry goes first. */
  maxEntries?: number;
}

/**
 * Number routing for every webhook. Found owners are cached briefly (numbers are read on every
 * turn of every call and change rarely); unknown numbers are not cached, so a number assigned a
 * moment ago routes at once. Concurrent lookups of one number share one query.
 */
export function createNumberDirectory(options: NumberDirectoryOptions): NumberDirectory {
  const { cacheTtlMs, lookupTimeoutMs, maxEntries = 10_000 } = options;
  const cache = new Map<string, { owner: NumberOwner; expiresAt: number }>();
  const inFlight = new Map<string, Promise<NumberOwner | null>>();

  async function lookup(e164: string): Promise<NumberOwner | null> {
    const owner = await resolveNumberOwner({ db: options.db, e164, platformAuthToken: options.platformAuthToken, keyring: options.keyring });
    if (owner && cacheTtlMs > 0) {
      cache.delete(e164);
      cache.set(e164, { owner, expiresAt: Date.now() + cacheTtlMs });
      if (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
    }
    return owner;
  }

  return {
    async find(e164) {
      const cached = cache.get(e164);
      if (cached && cached.expiresAt > Date.now()) return cached.owner;
      let pending = inFlight.get(e164);
      if (!pending) {
        pending = lookup(e164).finally(() => inFlight.delete(e164));
        inFlight.set(e164, pending);
      }
      return withTimeout(pending, lookupTimeoutMs);
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
