import type { RedisClient } from '@neurosphere/http';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { createHash } from 'node:crypto';
import type { LoginThrottleSettings } from './auth-settings';

/** Which limit refused a login: the account's or the source address's. */
export type ThrottleScope = 'account' | 'address';

export interface ThrottleVerdict {
  scope: ThrottleScope;
  /** Whole seconds until the lockout ends (the Retry-After header). */
  retryAfterSeconds: number;
}

export interface LoginThrottle {
  /**
   * Counts an attempt before its password is checked, and answers the lockout in force for its
   * account or address (the attempt must stop), or null (go on; then recordFailure or recordSuccess).
   */
  begin(attempt: { email: string; address: string }): Promise<ThrottleVerdict | null>;
  /** The attempt failed: answers the lockout it started, if it started one. */
  recordFailure(attempt: { email: string; address: string }): Promise<ThrottleVerdict | null>;
  /**
   * The right password: the account's failures are forgotten (never the address's: an attacker
   * could interleave its own account), and with `address` the attempt stops counting against it.
   */
  recordSuccess(attempt: { email: string; address?: string }): Promise<void>;
}

/**
 * Failed logins counted in Redis with rate-limiter-flexible, per account and per source address:
 * after `maxFailuresPerAccount` failures of one email within `windowSeconds` (or
 * `maxFailuresPerAddress` from one address) that account (address) is locked for `lockoutSeconds`,
 * the right password included. Every attempt is counted when it starts (an atomic INCR), not when
 * its password turns out wrong: otherwise a burst of parallel guesses would all pass the check
 * before the first failure was counted. Unknown emails are counted like known ones, so a lockout
 * tells nothing about which emails exist. Emails are keyed by their SHA-256, so Redis holds no
 * addresses.
 */
export function createLoginThrottle(redis: RedisClient, settings: LoginThrottleSettings): LoginThrottle {
  const prefix = settings.keyPrefix ?? 'admin-login';
  const limiter = (scope: ThrottleScope, points: number) => ({
    scope,
    points,
    limiter: new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}:${scope}`, points, duration: settings.windowSeconds }),
  });
  const account = limiter('account', settings.maxFailuresPerAccount);
  const address = limiter('address', settings.maxFailuresPerAddress);
  const accountKey = (email: string) => createHash('sha256').update(email).digest('hex');

  const verdict = (scope: ThrottleScope, res: RateLimiterRes): ThrottleVerdict => ({
    scope,
    retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
  });
  /** Counts one attempt; the verdict when that goes past the limit (or a lockout is in force). */
  const consume = async (counter: RateLimiterRedis, scope: ThrottleScope, key: string): Promise<ThrottleVerdict | null> => {
    try {
      await counter.consume(key);
      return null;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return verdict(scope, rejection);
      throw rejection;
    }
  };

  return {
    async begin(attempt) {
      const lockedAccount = await consume(account.limiter, 'account', accountKey(attempt.email));
      if (lockedAccount) return lockedAccount;
      const lockedAddress = await consume(address.limiter, 'address', attempt.address);
      // Refused for its address: the account is not charged for an attempt that never ran.
      if (lockedAddress) await account.limiter.reward(accountKey(attempt.email));
      return lockedAddress;
    },
    async recordFailure(attempt) {
      let started: ThrottleVerdict | null = null;
      for (const [{ scope, points, limiter: counter }, key] of [
        [account, accountKey(attempt.email)],
        [address, attempt.address],
      ] as const) {
        const res = await counter.get(key);
        // begin() counted this attempt: reaching the limit locks. block() stores points + 1 and
        // restarts the lockout, so it runs from the last failure.
        if (res && res.consumedPoints >= points) {
          const blocked = await counter.block(key, settings.lockoutSeconds);
          started ??= verdict(scope, blocked);
        }
      }
      return started;
    },
    async recordSuccess(attempt) {
      await account.limiter.delete(accountKey(attempt.email));
      if (attempt.address !== undefined) await address.limiter.reward(attempt.address);
    },
  };
}
