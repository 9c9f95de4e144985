import type { SessionResponse } from '@neurosphere/contracts';
import { AppError } from '@neurosphere/http';
import type { Response } from 'express';
import type { IssuedSession } from '../domain/sessions/session-types';
import type { SessionCookies } from './session-cookies';

/**
 * A login or refresh answer: a bearer session gets its tokens in the body; a cookie session gets
 * them as httpOnly cookies and only the CSRF token (and times) in the body, so no page script ever
 * holds a credential.
 */
export function sessionResponse(res: Response, cookies: SessionCookies, session: IssuedSession): SessionResponse {
  const times = { expires_in: session.expiresIn, refresh_expires_in: session.refreshExpiresIn };
  if (session.transport === 'cookie') {
    return { success: true, session: 'cookie', csrf_token: cookies.set(res, session), ...times, user: session.user };
  }
  return {
    success: true,
    session: 'bearer',
    access_token: session.accessToken,
    token_type: 'Bearer',
    refresh_token: session.refreshToken,
    ...times,
    user: session.user,
  };
}

/** A 429 with Retry-After (the error handler sends the header with the error answer). */
export function tooManyAttempts(retryAfterSeconds: number): AppError {
  return new AppError('RATE_LIMITED', `Too many failed sign-in attempts: try again in ${retryAfterSeconds} seconds`, { retryAfterSeconds });
}
