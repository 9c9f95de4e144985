import type { Redis } from 'ioredis';
import { ADMIN_TOKEN_TTL_SECONDS } from '../auth/admin-token';

/**
 * Access tokens are stateless JWTs, so ending a session (logout, sign out everywhere, a password
 * change, a reused refresh token) also lists its id in Redis for as long as a token of it can
 * live; the authorization middleware refuses tokens of listed sessions. Refresh tokens need no
 * such list: their rows say the session ended.
 */
export interface SessionRevocations {
  revoke(sessionIds: readonly string[]): Promise<void>;
  isRevoked(sessionId: string): Promise<boolean>;
}

export function createSessionRevocations(redis: Redis, keyPrefix = 'admin-session-ended'): SessionRevocations {
  // A token signed just before the session ended lives ADMIN_TOKEN_TTL_SECONDS more; a minute of slack for clocks.
  const ttlSeconds = ADMIN_TOKEN_TTL_SECONDS + 60;
  return {
    async revoke(sessionIds) {
      if (sessionIds.length === 0) return;
      const pipeline = redis.multi();
      for (const id of sessionIds) pipeline.set(`${keyPrefix}:${id}`, '1', 'EX', ttlSeconds);
      await pipeline.exec();
    },
    async isRevoked(sessionId) {
      return (await redis.exists(`${keyPrefix}:${sessionId}`)) === 1;
    },
  };
}
