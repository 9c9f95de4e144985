import type { accountContract } from '@neurosphere/contracts';
import type { ContractImplementation } from '@neurosphere/http';
import { changePassword } from '../domain/account/change-password';
import { confirmPasswordReset } from '../domain/account/confirm-password-reset';
import { requestPasswordReset } from '../domain/account/request-password-reset';
import { acceptInvitation } from '../domain/team/accept-invitation';
import { previewInvitation } from '../domain/team/preview-invitation';
import { sessionOf } from './authorize';
import type { RouteDeps } from './route-deps';
import { tooManyAttempts } from './session-response';

const RESET_ANSWER = 'If an account exists for this email, a link to reset its password is on its way.';

/** Passwords (change, reset by mail) and invitation acceptance. */
export function accountRoutes(deps: RouteDeps): ContractImplementation<typeof accountContract> {
  const throttled = { ...deps.sessions, throttle: deps.throttle };
  return {
    changePassword: async ({ body, req, res }) => {
      const session = sessionOf(res);
      const result = await changePassword(throttled, {
        adminUserId: session.admin.id,
        sessionId: session.sessionId,
        currentPassword: body.current_password,
        newPassword: body.new_password,
        address: req.ip ?? 'unknown',
      });
      if (result.outcome === 'throttled') throw tooManyAttempts(result.retryAfterSeconds);
      return { status: 200, body: { success: true, other_sessions_ended: result.otherSessionsEnded } };
    },
    requestPasswordReset: async ({ body, req }) => {
      // Answered before any lookup: the same words in the same time whether or not the account exists.
      const log = req.log ?? deps.logger;
      void requestPasswordReset({
        platformDb: deps.platformDb,
        mailer: deps.mailer,
        mailLimiter: deps.resetMailLimiter,
        email: body.email,
        consoleUrl: deps.settings.consoleUrl,
        ttlSeconds: deps.settings.passwordResetTtlSeconds,
      }).then(
        (outcome) => log.info({ event: 'password_reset_requested', outcome }, 'password reset request handled'),
        (error: unknown) => log.error({ err: error, event: 'password_reset_failed' }, 'password reset request failed'),
      );
      return { status: 202, body: { success: true, message: RESET_ANSWER } };
    },
    confirmPasswordReset: async ({ body }) => {
      await confirmPasswordReset(throttled, { token: body.token, password: body.password });
      return { status: 200, body: { success: true } };
    },
    previewInvitation: async ({ body }) => {
      const invitation = await previewInvitation({ platformDb: deps.platformDb, token: body.token });
      return { status: 200, body: { success: true, invitation } };
    },
    acceptInvitation: async ({ body }) => {
      const joined = await acceptInvitation({ platformDb: deps.platformDb, token: body.token, password: body.password });
      return { status: 200, body: { success: true, customer_id: joined.customerId, role: joined.role, email: joined.email } };
    },
  };
}
