import { CSRF_HEADER, INSECURE_SESSION_COOKIE_NAMES, SESSION_COOKIE_NAMES } from '@neurosphere/contracts';
import type { CookieOptions, Request, Response } from 'express';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IssuedSession } from '../domain/sessions/session-types';

/** Path of the refresh cookie: only the auth routes ever receive the refresh token. */
const REFRESH_COOKIE_PATH = '/v1/auth';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What the cookie helpers read of a request (structural, so a ts-rest request fits). */
export type CookieRequest = Pick<Request, 'get' | 'method' | 'cookies'>;

export interface SessionCookies {
  readonly names: { access: string; refresh: string; csrf: string };
  /** Sets the three cookies of a cookie session; answers the CSRF token (also in its cookie). */
  set(res: Response, session: IssuedSession): string;
  clear(res: Response): void;
  access(req: CookieRequest): string | undefined;
  refresh(req: CookieRequest): string | undefined;
  /**
   * The CSRF defence of a request that authenticates with the cookies: for POST, PUT, PATCH and
   * DELETE, the X-CSRF-Token header must equal the CSRF cookie and be the token issued for this
   * session, and Origin must be an allowed origin. Answers what is wrong, or null.
   */
  checkCsrf(req: CookieRequest, sessionId: string): string | null;
  /** Origin check alone (cookie login: there is no session yet to bind a token to). */
  originAllowed(req: CookieRequest): boolean;
}

/**
 * The console's cookie session. All three cookies are SameSite=Strict: the console and this API
 * are one site (the console is served beside it, or proxied to it in development), so no
 * cross-site request ever needs them, and Strict keeps them off every request another site
 * starts, top-level navigations included. A link from a mail opens the console's page without
 * cookies; its own requests that follow are same-site and carry them. Lax would only add
 * cross-site top-level GETs, which this API does not need.
 *
 * The CSRF token is `<nonce>.<HMAC(session id, nonce)>`: signed double submit (OWASP). It is bound to
 * the session, so a token planted by a sibling subdomain, or taken from another session, fails.
 */
export function createSessionCookies(options: { jwtSecret: string; secure: boolean; allowedOrigins: readonly string[] }): SessionCookies {
  const names = options.secure ? SESSION_COOKIE_NAMES : INSECURE_SESSION_COOKIE_NAMES;
  // A key of its own, derived from the admin secret (domain separation from the JWT signatures).
  const csrfKey = createHmac('sha256', options.jwtSecret).update('admin-api csrf token key v1').digest();
  const allowedOrigins = new Set(options.allowedOrigins);
  const base: CookieOptions = { secure: options.secure, sameSite: 'strict' };

  const mac = (sessionId: string, nonce: string) => createHmac('sha256', csrfKey).update(`${sessionId}.${nonce}`).digest('base64url');
  const issueCsrf = (sessionId: string) => {
    const nonce = randomBytes(16).toString('base64url');
    return `${nonce}.${mac(sessionId, nonce)}`;
  };
  const sameText = (a: string, b: string) => {
    const left = Buffer.from(a);
    const right = Buffer.from(b);
    return left.length === right.length && timingSafeEqual(left, right);
  };
  const cookie = (req: CookieRequest, name: string): string | undefined => {
    const value = (req.cookies as Record<string, unknown> | undefined)?.[name];
    return typeof value === 'string' && value.length > 0 ? value : undefined;
  };
  const originAllowed = (req: CookieRequest) => {
    const origin = req.get('origin');
    return origin !== undefined && allowedOrigins.has(origin);
  };

  return {
    names,
    set(res, session) {
      const csrf = issueCsrf(session.sessionId);
      const refreshMs = session.refreshExpiresIn * 1000;
      res.cookie(names.access, session.accessToken, { ...base, httpOnly: true, path: '/', maxAge: session.expiresIn * 1000 });
      res.cookie(names.refresh, session.refreshToken, { ...base, httpOnly: true, path: REFRESH_COOKIE_PATH, maxAge: refreshMs });
      // Readable by the console's scripts (that is the point): it holds nothing that authenticates on its own.
      res.cookie(names.csrf, csrf, { ...base, httpOnly: false, path: '/', maxAge: refreshMs });
      return csrf;
    },
    clear(res) {
      res.clearCookie(names.access, { ...base, httpOnly: true, path: '/' });
      res.clearCookie(names.refresh, { ...base, httpOnly: true, path: REFRESH_COOKIE_PATH });
      res.clearCookie(names.csrf, { ...base, httpOnly: false, path: '/' });
    },
    access: (req) => cookie(req, names.access),
    refresh: (req) => cookie(req, names.refresh),
    originAllowed,
    checkCsrf(req, sessionId) {
      if (!UNSAFE_METHODS.has(req.method)) return null;
      if (!originAllowed(req)) return `Origin ${req.get('origin') ?? '(none)'} may not make requests with the session cookie`;
      const header = req.get(CSRF_HEADER);
      const fromCookie = cookie(req, names.csrf);
      if (!header || !fromCookie) return `Missing CSRF token: send the ${names.csrf} cookie's value in the ${CSRF_HEADER} header`;
      const [nonce, signature, ...rest] = header.split('.');
      const valid = rest.length === 0 && nonce && signature && sameText(header, fromCookie) && sameText(signature, mac(sessionId, nonce));
      return valid ? null : 'Invalid CSRF token';
    },
  };
}
