import type { adminAuthContract } from '@neurosphere/contracts';
import { AppError } from '@neurosphere/http';
import type { ContractImplementation } from '@neurosphere/http';
import { loginAdmin } from '../domain/auth/login-admin';
import { endSessions } from '../domain/sessions/end-sessions';
import { refreshSession } from '../domain/sessions/refresh-session';
import { actorOf, adminOf, sessionOf } from './authorize';
import type { RouteDeps } from './route-deps';
import { sessionResponse, tooManyAttempts } from './session-response';

// Unknown email, no password yet, wrong password: one answer, so logins cannot probe for accounts.
const INVALID_CREDENTIALS = 'Invalid email or password';

/** Sessions: login, refresh, logout, sign out everywhere, who am I. */
export function authRoutes(deps: RouteDeps): ContractImplementation<typeof adminAuthContract> {
  const { cookies } = deps;
  const throttled = { ...deps.sessions, throttle: deps.throttle };
  return {
    login: async ({ body, req, res }) => {
      // A cross-site page must not be able to sign a browser into someone's (or its own) cookie session.
      if (body.session === 'cookie' && !cookies.originAllowed(req)) {
        throw new AppError('FORBIDDEN', `Origin ${req.get('origin') ?? '(none)'} may not open a cookie session`);
      }
      const result = await loginAdmin(throttled, {
        email: body.email,
        password: body.password,
        transport: body.session,
        address: req.ip ?? 'unknown',
      });
      switch (result.outcome) {
        case 'throttled':
          deps.metrics.loginThrottled.inc({ limit: result.verdict.scope });
          throw tooManyAttempts(result.verdict.retryAfterSeconds);
        case 'refused':
          throw new AppError('UNAUTHENTICATED', INVALID_CREDENTIALS);
        case 'signed_in':
          return { status: 200, body: sessionResponse(res, cookies, result.session) };
      }
    },
    refresh: async ({ body, req, res }) => {
      const fromBody = body?.refresh_token;
      const fromCookie = fromBody === undefined ? cookies.refresh(req) : undefined;
      if (fromBody === undefined && fromCookie === undefined) {
        throw new AppError('UNAUTHENTICATED', 'No refresh token: send refresh_token in the body, or the refresh cookie');
      }
      try {
        const session = fromBody
          ? await refreshSession(deps.sessions, { refreshToken: fromBody, transport: 'bearer' })
          : await refreshSession(deps.sessions, {
              refreshToken: fromCookie as string,
              transport: 'cookie',
              beforeRotate: (sessionId) => {
                const problem = cookies.checkCsrf(req, sessionId);
                if (problem) throw new AppError('FORBIDDEN', problem);
              },
            });
        return { status: 200, body: sessionResponse(res, cookies, session) };
      } catch (error) {
        // A dead cookie session: let the browser forget it.
        if (fromCookie !== undefined && error instanceof AppError && error.code === 'UNAUTHENTICATED') cookies.clear(res);
        throw error;
      }
    },
    logout: async ({ res }) => {
      const session = sessionOf(res);
      await endSessions(deps.sessions, {
        actor: actorOf(res),
        action: 'admin.logout',
        adminUserId: session.admin.id,
        sessionIds: [session.sessionId],
        reason: 'logout',
      });
      if (session.transport === 'cookie') cookies.clear(res);
      return { status: 200, body: { success: true } };
    },
    logoutAll: async ({ res }) => {
      const session = sessionOf(res);
      const ended = await endSessions(deps.sessions, {
        actor: actorOf(res),
        action: 'admin.logout_all',
        adminUserId: session.admin.id,
        sessionIds: { all: true },
        reason: 'logout_all',
      });
      if (session.transport === 'cookie') cookies.clear(res);
      return { status: 200, body: { success: true, sessions_ended: ended } };
    },
    me: async ({ res }) => ({ status: 200, body: { success: true, user: adminOf(res) } }),
  };
}
