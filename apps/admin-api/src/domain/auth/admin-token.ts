import { adminMembershipClaimSchema } from '@neurosphere/contracts';
import type { AdminPrincipal } from '@neurosphere/contracts';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/** Admin access tokens live 15 minutes: memberships in the token are at most that stale. */
export const ADMIN_TOKEN_TTL_SECONDS = 15 * 60;

const ISSUER = 'admin-api';
// A distinct audience and typ keep admin tokens from being mistaken for service tokens.
const AUDIENCE = 'admin-api:admin';
const TOKEN_TYPE = 'admin+jwt';

const claimsSchema = z.object({
  sub: z.string().min(1),
  /** The session (admin_sessions.id) the token belongs to: ending the session ends its access tokens. */
  sid: z.string().uuid(),
  email: z.string(),
  is_platform_admin: z.boolean(),
  memberships: z.array(adminMembershipClaimSchema),
});

export class AdminTokenError extends Error {
  override readonly name = 'AdminTokenError';
}

export interface VerifiedAccessToken {
  principal: AdminPrincipal;
  sessionId: string;
}

export interface AdminTokens {
  /** Signs a token for `principal` in session `sessionId`, valid ADMIN_TOKEN_TTL_SECONDS. */
  sign(principal: AdminPrincipal, sessionId: string): Promise<string>;
  /** The principal and session of a valid token; throws AdminTokenError for anything else. */
  verify(token: string): Promise<VerifiedAccessToken>;
}

/**
 * HS256 tokens under ADMIN_JWT_SECRET. This service is the only signer and the only verifier, so
 * a shared secret is enough (EdDSA would only pay off if other services verified admin tokens).
 */
export function createAdminTokens(secret: string): AdminTokens {
  const key = new TextEncoder().encode(secret);
  return {
    async sign(principal, sessionId) {
      return new SignJWT({
        sid: sessionId,
        email: principal.email,
        is_platform_admin: principal.is_platform_admin,
        memberships: principal.memberships,
      })
        .setProtectedHeader({ alg: 'HS256', typ: TOKEN_TYPE })
        .setSubject(principal.id)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setJti(randomUUID())
        .setExpirationTime(`${ADMIN_TOKEN_TTL_SECONDS}s`)
        .sign(key);
    },
    async verify(token) {
      let payload: unknown;
      try {
        ({ payload } = await jwtVerify(token, key, {
          algorithms: ['HS256'],
          issuer: ISSUER,
          audience: AUDIENCE,
          typ: TOKEN_TYPE,
          requiredClaims: ['exp', 'sub'],
        }));
      } catch (error) {
        if (error instanceof joseErrors.JWTExpired) throw new AdminTokenError('Access token expired');
        if (error instanceof joseErrors.JOSEError) throw new AdminTokenError('Invalid access token');
        throw error;
      }
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success) throw new AdminTokenError('Invalid access token');
      const { sub, sid, ...rest } = claims.data;
      return { principal: { id: sub, ...rest }, sessionId: sid };
    },
  };
}
