import { AppError } from '@neurosphere/http';
import { withPlatform } from '@neurosphere/db';
import { ADMIN_TOKEN_TTL_SECONDS } from '../auth/admin-token';
import { adminActor } from '../shared/actor';
import { hexToUuid, parseToken, secretMatches } from '../shared/secret-token';
import { endSessions } from './end-sessions';
import { issueRefreshToken } from './open-session';
import type { IssuedSession, SessionDeps } from './session-types';
import { principalSelect, toPrincipal } from './session-types';

const INVALID = 'Invalid or expired refresh token: sign in again';
const REUSED = 'This refresh token was already used: the session has been ended, sign in again';

export interface RefreshSessionOptions {
  refreshToken: string;
  /** Set when the token came in the session cookie: it must be a cookie session's. */
  transport: 'bearer' | 'cookie';
  /** Called before anything changes, with the session the token names (the cookie route checks its CSRF token here). */
  beforeRotate?: (sessionId: string) => void;
}

type Outcome =
  { kind: 'refreshed'; session: IssuedSession } | { kind: 'reused'; sessionId: string; adminUserId: string } | { kind: 'invalid' };

/**
 * Exchanges a refresh token for a new access + refresh token. The presented token is marked
 * rotated; presenting it again (a stolen copy, or a replay) ends the whole session, and that is
 * audited on its own (`admin.session.refresh_token_reused`). Memberships and the platform flag are
 * read again here, so a removed member loses access at the next refresh at the latest.
 */
export async function refreshSession(deps: SessionDeps, options: RefreshSessionOptions): Promise<IssuedSession> {
  const parsed = parseToken('nsr', options.refreshToken);
  const tokenId = parsed ? hexToUuid(parsed.publicPart) : null;
  if (!parsed || !tokenId) throw new AppError('UNAUTHENTICATED', INVALID);

  const outcome = await withPlatform<Outcome>(
    deps.platformDb,
    { actor: 'anonymous', action: 'admin.session.refresh', details: { refresh_token_id: tokenId } },
    async (tx) => {
      const token = await tx.adminRefreshToken.findUnique({ where: { id: tokenId }, include: { session: true } });
      // The secret is checked before anything else, so knowing a token's id alone changes nothing.
      if (!token || !secretMatches(parsed.secret, token.secretHash)) return { kind: 'invalid' };
      const { session } = token;
      if (session.transport !== options.transport) return { kind: 'invalid' };
      options.beforeRotate?.(session.id);
      if (session.revokedAt) return { kind: 'invalid' };
      const now = new Date();
      if (token.rotatedAt) return { kind: 'reused', sessionId: session.id, adminUserId: session.adminUserId };
      if (token.expiresAt <= now || session.expiresAt <= now) return { kind: 'invalid' };
      // Conditional on not yet rotated: of two concurrent refreshes with one token, one wins, the other is reuse.
      const claimed = await tx.adminRefreshToken.updateMany({ where: { id: token.id, rotatedAt: null }, data: { rotatedAt: now } });
      if (claimed.count !== 1) return { kind: 'reused', sessionId: session.id, adminUserId: session.adminUserId };

      await tx.adminSession.update({ where: { id: session.id }, data: { lastRefreshedAt: now } });
      const user = await tx.adminUser.findUniqueOrThrow({ where: { id: session.adminUserId }, select: principalSelect });
      const refresh = await issueRefreshToken(tx, {
        sessionId: session.id,
        sessionExpiresAt: session.expiresAt,
        idleTimeoutSeconds: deps.settings.sessionIdleTimeoutSeconds,
        now,
      });
      const principal = toPrincipal(user);
      return {
        kind: 'refreshed',
        session: {
          sessionId: session.id,
          transport: session.transport,
          accessToken: await deps.tokens.sign(principal, session.id),
          expiresIn: ADMIN_TOKEN_TTL_SECONDS,
          ...refresh,
          user: principal,
        },
      };
    },
  );

  switch (outcome.kind) {
    case 'refreshed':
      return outcome.session;
    case 'reused':
      await endSessions(deps, {
        actor: adminActor(outcome.adminUserId),
        action: 'admin.session.refresh_token_reused',
        adminUserId: outcome.adminUserId,
        sessionIds: [outcome.sessionId],
        reason: 'refresh_token_reused',
        details: { refresh_token_id: tokenId },
      });
      throw new AppError('UNAUTHENTICATED', REUSED);
    case 'invalid':
      throw new AppError('UNAUTHENTICATED', INVALID);
  }
}
