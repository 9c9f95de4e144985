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
  /** The lockout in force for this account or address, or null when a login may be tried. */
  check(attempt: { email: string; address: string }): Promise<ThrottleVerdict | null>;
  /** Counts a failed login; answers the lockout it started, if it started one. */
  recordFailure(attempt: { email: string; address: string }): Promise<ThrottleVerdict | null>;
  /** A successful login clears the account's failures (never the address's: an attacker could interleave its own account). */
  recordSuccess(attempt: { email: string }): Promise<void>;
}

/**
 * Failed logins counted in Redis with rate-limiter-flexible, per account and per source address:
 * after `maxFailuresPerAccount` failures of one email within `windowSeconds` (or
 * `maxFailuresPerAddress` from one address) that account (address) is locked for `lockoutSeconds`,
 * the right password included. Unknown emails are counted like known ones, so a lockout tells
 * nothing about which emails exist. Emails are keyed by their SHA-256, so Redis holds no addresses.
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
  const keys = (attempt: { email: string; address: string }) =>
    [
      [account, createHash('sha256').update(attempt.email).digest('hex')],
      [address, attempt.address],
    ] as const;

  const verdict = (scope: ThrottleScope, res: RateLimiterRes): ThrottleVerdict => ({
    scope,
    retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
  });

  return {
    async check(attempt) {
      for (const [{ scope, points, limiter: counter }, key] of keys(attempt)) {
        const res = await counter.get(key);
        // block() stores points + 1: more than `points` consumed means locked.
        if (res && res.consumedPoints > points) return verdict(scope, res);
      }
      return null;
    },
    async recordFailure(attempt) {
      let started: ThrottleVerdict | null = null;
      for (const [{ scope, points, limiter: counter }, key] of keys(attempt)) {
        let res: RateLimiterRes;
        try {
          res = await counter.consume(key);
        } catch (rejection) {
          // Already past the limit (a lockout that raced with this attempt): it stays as it is.
          if (rejection instanceof RateLimiterRes) continue;
          throw rejection;
        }
        if (res.consumedPoints >= points) {
          const blocked = await counter.block(key, settings.lockoutSeconds);
          started ??= verdict(scope, blocked);
        }
      }
      return started;
    },
    async recordSuccess(attempt) {
      await account.limiter.delete(createHash('sha256').update(attempt.email).digest('hex'));
    },
  };
}
