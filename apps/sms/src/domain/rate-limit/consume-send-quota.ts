import { randomUUID } from 'node:crypto';
import type { RedisClient } from '@neurosphere/http';

const WINDOW_MS = 60_000;

/**
 * Sliding one-minute window per tenant, atomic in Redis: drop entries older than the window,
 * refuse when `limit` remain, else add this send. Redis' own clock is used so several sms
 * instances agree. Returns {allowed, retryAfterMs}.
 */
const SLIDING_WINDOW_SCRIPT = `
local key = KEYS[1]
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) >= limit then
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  local retry = window
  if oldest[2] then retry = tonumber(oldest[2]) + window - now end
  return {0, retry}
end
redis.call('ZADD', key, now, ARGV[3])
redis.call('PEXPIRE', key, window)
return {1, 0}
`;

export interface ConsumeSendQuotaOptions {
  customerId: number;
  /** customers.sms_rate_limit_per_minute; 0 or less refuses every send. */
  limitPerMinute: number;
  /** Key namespace (tests use their own); keys are `<prefix>:rl:{<customerId>}`. */
  keyPrefix: string;
}

export interface SendQuota {
  allowed: boolean;
  /** When refused: seconds until the oldest send in the window expires (at least 1). */
  retryAfterSeconds: number;
}

/** Takes one outbound text from the tenant's per-minute allowance. */
export async function consumeSendQuota(redis: RedisClient, options: ConsumeSendQuotaOptions): Promise<SendQuota> {
  if (options.limitPerMinute <= 0) return { allowed: false, retryAfterSeconds: WINDOW_MS / 1000 };
  // The {customerId} hash tag keeps a tenant's key on one Redis Cluster slot.
  const key = `${options.keyPrefix}:rl:{${options.customerId}}`;
  const reply = (await redis.eval(SLIDING_WINDOW_SCRIPT, 1, key, WINDOW_MS, options.limitPerMinute, randomUUID())) as [number, number];
  const [allowed, retryAfterMs] = reply;
  return { allowed: allowed === 1, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
}
