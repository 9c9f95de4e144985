import type { RedisClient } from '@neurosphere/http';
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

export function createSessionRevocations(redis: RedisClient, keyPrefix = 'admin-session-ended'): SessionRevocations {
  // A token signed just before the session ended lives ADMIN_TOKEN_TTL_SECONDS more; a minute of slack for clocks.
  const ttlSeconds = ADMIN_TOKEN_TTL_SECONDS + 60;
  return {
    async revoke(sessionIds) {
      if (sessionIds.length === 0) return;
      // One SET per session rather than one MULTI: on a Redis Cluster the sessions' keys live in
      // different hash slots, and each entry stands on its own.
      await Promise.all(sessionIds.map((id) => redis.set(`${keyPrefix}:${id}`, '1', 'EX', ttlSeconds)));
    },
    async isRevoked(sessionId) {
      return (await redis.exists(`${keyPrefix}:${sessionId}`)) === 1;
    },
  };
}
