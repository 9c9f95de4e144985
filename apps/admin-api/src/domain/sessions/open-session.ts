import type { SessionTransport } from '@neurosphere/contracts';
import type { TenantTx } from '@neurosphere/db';
import { ADMIN_TOKEN_TTL_SECONDS } from '../auth/admin-token';
import { formatToken, newSecret, uuidToHex } from '../shared/secret-token';
import type { IssuedSession, SessionDeps } from './session-types';
import { principalSelect, toPrincipal } from './session-types';

/** A new refresh token of `sessionId`, valid for the idle timeout but never past the session's end. */
export async function issueRefreshToken(
  tx: TenantTx,
  options: { sessionId: string; sessionExpiresAt: Date; idleTimeoutSeconds: number; now: Date },
): Promise<{ refreshToken: string; refreshExpiresIn: number }> {
  const idleEnd = new Date(options.now.getTime() + options.idleTimeoutSeconds * 1000);
  const expiresAt = idleEnd < options.sessionExpiresAt ? idleEnd : options.sessionExpiresAt;
  const { secret, secretHash } = newSecret();
  const row = await tx.adminRefreshToken.create({ data: { sessionId: options.sessionId, secretHash, expiresAt }, select: { id: true } });
  return {
    refreshToken: formatToken('nsr', uuidToHex(row.id), secret),
    refreshExpiresIn: Math.max(0, Math.floor((expiresAt.getTime() - options.now.getTime()) / 1000)),
  };
}

/**
 * Opens a session for an admin user inside the caller's withPlatform transaction (login): the
 * session row, its first refresh token and an access token carrying the user's current
 * memberships and platform flag.
 */
export async function openSession(
  tx: TenantTx,
  deps: Pick<SessionDeps, 'tokens' | 'settings'>,
  options: { adminUserId: string; transport: SessionTransport },
): Promise<IssuedSession> {
  const now = new Date();
  const expiresAt = new Date(now.getTime() + deps.settings.sessionMaxAgeSeconds * 1000);
  const user = await tx.adminUser.findUniqueOrThrow({ where: { id: options.adminUserId }, select: principalSelect });
  const session = await tx.adminSession.create({
    data: { adminUserId: user.id, transport: options.transport, expiresAt, lastRefreshedAt: now },
    select: { id: true },
  });
  const refresh = await issueRefreshToken(tx, {
    sessionId: session.id,
    sessionExpiresAt: expiresAt,
    idleTimeoutSeconds: deps.settings.sessionIdleTimeoutSeconds,
    now,
  });
  const principal = toPrincipal(user);
  return {
    sessionId: session.id,
    transport: options.transport,
    accessToken: await deps.tokens.sign(principal, session.id),
    expiresIn: ADMIN_TOKEN_TTL_SECONDS,
    ...refresh,
    user: principal,
  };
}
