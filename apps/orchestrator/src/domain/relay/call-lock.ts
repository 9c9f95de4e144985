import { randomUUID } from 'node:crypto';
import { AppError } from '@neurosphere/http';
import type { RedisClient } from '@neurosphere/http';

/**
 * One writer at a time per call, across orchestrator instances. A relay turn holds the lock while
 * it streams and writes the call state; an interrupt (or the next prompt) waits for it, so the
 * aborted turn's lines are saved before the interrupt trims them to what the caller heard. The
 * lock expires on its own if its holder dies.
 */
export interface CallLocks {
  /** Runs `work` holding the call's lock; waits up to `waitMs` for it, then fails with UNAVAILABLE. */
  withLock<T>(options: { customerId: number; callSid: string; waitMs: number }, work: () => Promise<T>): Promise<T>;
}

const RELEASE_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const POLL_MS = 5;

export function createCallLocks(options: { redis: RedisClient; holdMs: number }): CallLocks {
  const { redis, holdMs } = options;
  return {
    async withLock({ customerId, callSid, waitMs }, work) {
      // Same hash tag as the call state: one tenant's keys stay in one Redis Cluster slot.
      const key = `call-lock:{${customerId}}:${callSid}`;
      const owner = randomUUID();
      const giveUpAt = Date.now() + waitMs;
      while ((await redis.set(key, owner, 'PX', holdMs, 'NX')) !== 'OK') {
        if (Date.now() >= giveUpAt) throw new AppError('UNAVAILABLE', `Call ${callSid} is busy with another request`);
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      try {
        return await work();
      } finally {
        await redis.eval(RELEASE_IF_OWNER, 1, key, owner).catch(() => undefined);
      }
    },
  };
}
