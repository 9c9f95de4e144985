import type { accountContract, adminAuthContract } from '@neurosphere/contracts';
import { AppError } from '@neurosphere/http';
import type { ContractImplementation } from '@neurosphere/http';
import { setPasswordWithToken } from '../domain/admin-users/password-setup';
import { loginAdmin } from '../domain/auth/login-admin';
import { adminOf } from './authorize';
import type { RouteDeps } from './route-deps';

// Unknown email, no password yet, wrong password: one answer, so logins cannot probe for accounts.
const INVALID_CREDENTIALS = 'Invalid email or password';

export function authRoutes(deps: RouteDeps): ContractImplementation<typeof adminAuthContract> & ContractImplementation<typeof accountContract> {
  return {
    confirmPasswordReset: async ({ body }) => {
      await setPasswordWithToken({ platformDb: deps.platformDb, token: body.token, password: body.password });
      return { status: 200, body: { success: true } };
    },
    login: async ({ body }) => {
      const session = await loginAdmin({ platformDb: deps.platformDb, tokens: deps.tokens, email: body.email, password: body.password });
      if (!session) throw new AppError('UNAUTHENTICATED', INVALID_CREDENTIALS);
      return {
        status: 200,
        body: { success: true, access_token: session.accessToken, token_type: 'Bearer', expires_in: session.expiresIn, user: session.user },
      };
    },
    me: async ({ res }) => ({ status: 200, body: { success: true, user: adminOf(res) } }),
  };
}
