import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { errorResponseSchema } from '../common';
import { adminPrincipalSchema, authenticatedRoute, emailSchema, publicRoute } from './shared';

const c = initContract();

/**
 * Admin sessions, for two kinds of client:
 *
 * - **bearer** (scripts, API clients): login answers an access token (a JWT, 15 minutes) and an
 *   opaque refresh token. Send `Authorization: Bearer <access_token>`; when it expires, exchange
 *   the refresh token at `POST /v1/auth/refresh` `{refresh_token}` for a new pair. Each refresh
 *   token works once: presenting one that was already exchanged ends the whole session.
 * - **cookie** (the web console): login with `session: "cookie"` answers no token at all. It sets
 *   three cookies: the access token and the refresh token (both httpOnly, so page scripts never
 *   see them) and a CSRF token that page scripts can read. Every state-changing request made with
 *   the cookies (POST, PUT, PATCH, DELETE, including refresh and logout) must send the CSRF token
 *   back in the `X-CSRF-Token` header, and come from an allowed `Origin`. On a 401, call
 *   `POST /v1/auth/refresh` once (no body, CSRF header), then retry.
 */
export const SESSION_COOKIE_NAMES = {
  /** httpOnly; the access token; sent with every request (Path=/). */
  access: '__Host-ns_access',
  /** httpOnly; the refresh token; sent only to /v1/auth/ routes. */
  refresh: '__Secure-ns_refresh',
  /** Readable by page scripts: copy it into the CSRF header. */
  csrf: '__Host-ns_csrf',
} as const;

/** Names without the __Host-/__Secure- prefixes, used only where cookies cannot be Secure (plain http in local use). */
export const INSECURE_SESSION_COOKIE_NAMES = { access: 'ns_access', refresh: 'ns_refresh', csrf: 'ns_csrf' } as const;

export const CSRF_HEADER = 'x-csrf-token';

export const sessionTransportSchema = z.enum(['bearer', 'cookie'], {
  errorMap: () => ({ message: 'session must be "bearer" or "cookie"' }),
});
export type SessionTransport = z.infer<typeof sessionTransportSchema>;

export const loginRequestSchema = z.object({
  email: emailSchema,
  // Not length-checked here: a login must not tell which passwords could never match.
  password: z.string({ required_error: 'password is required' }).min(1, 'password is required').max(1024),
  session: sessionTransportSchema.default('bearer'),
});

const sessionTimes = {
  /** Seconds the access token lives. */
  expires_in: z.number().int(),
  /** Seconds the refresh token lives if unused (a refresh gives a new one). */
  refresh_expires_in: z.number().int(),
};

export const bearerSessionSchema = z.object({
  success: z.literal(true),
  session: z.literal('bearer'),
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  refresh_token: z.string(),
  ...sessionTimes,
  user: adminPrincipalSchema,
});

export const cookieSessionSchema = z.object({
  success: z.literal(true),
  session: z.literal('cookie'),
  /** The same value as the CSRF cookie, for convenience; not a credential on its own. */
  csrf_token: z.string(),
  ...sessionTimes,
  user: adminPrincipalSchema,
});

export const sessionResponseSchema = z.discriminatedUnion('session', [bearerSessionSchema, cookieSessionSchema]);
export type SessionResponse = z.infer<typeof sessionResponseSchema>;

/** The refresh token: in the body for bearer sessions; cookie sessions send none (the cookie carries it). */
export const refreshRequestSchema = z
  .object({ refresh_token: z.string().min(1, 'refresh_token must not be empty').max(200, 'refresh_token is too long').optional() })
  .strict();

const throttled = { 429: errorResponseSchema };

/** `adminApiContract.auth` (with account.ts): sessions. */
export const adminAuthContract = c.router({
  login: {
    method: 'POST',
    path: '/v1/auth/login',
    body: loginRequestSchema,
    responses: { 200: sessionResponseSchema, 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, ...throttled },
    metadata: publicRoute,
    summary: 'Sign in: a bearer session (access + refresh token) or, with session "cookie", the console\'s cookie session',
    description:
      'Throttled per account and per source address: too many failed attempts answer 429 with Retry-After, ' +
      'even for the right password, until the lockout ends. Unknown emails and wrong passwords get the same 401.',
  },
  refresh: {
    method: 'POST',
    path: '/v1/auth/refresh',
    body: refreshRequestSchema.optional(),
    responses: { 200: sessionResponseSchema, 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema },
    metadata: publicRoute,
    summary: 'Exchange a refresh token (body, or the refresh cookie) for a new access + refresh token',
    description:
      'Memberships and the platform flag are read again from the database. A refresh token works once; ' +
      'presenting an already-exchanged one ends the whole session (401).',
  },
  logout: {
    method: 'POST',
    path: '/v1/auth/logout',
    body: z.object({}).strict().optional(),
    responses: { 200: z.object({ success: z.literal(true) }), 401: errorResponseSchema, 403: errorResponseSchema },
    metadata: authenticatedRoute,
    summary: 'End this session (its refresh token and access token stop working; cookies are cleared)',
  },
  logoutAll: {
    method: 'POST',
    path: '/v1/auth/logout-all',
    body: z.object({}).strict().optional(),
    responses: {
      200: z.object({ success: z.literal(true), sessions_ended: z.number().int() }),
      401: errorResponseSchema,
      403: errorResponseSchema,
    },
    metadata: authenticatedRoute,
    summary: 'Sign out everywhere: end every session of this user, this one included',
  },
  me: {
    method: 'GET',
    path: '/v1/auth/me',
    responses: {
      200: z.object({ success: z.literal(true), user: adminPrincipalSchema }),
      401: errorResponseSchema,
      403: errorResponseSchema,
    },
    metadata: authenticatedRoute,
    summary: 'The caller as the access token describes them',
  },
});
