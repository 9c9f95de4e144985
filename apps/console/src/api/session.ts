import type { AdminPrincipal, MembershipRoleName } from '@neurosphere/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isApiError, ok } from './client';

export const SESSION_QUERY_KEY = ['session'] as const;

/** The signed-in admin (null: nobody is signed in), read from GET /v1/auth/me. */
export function useSession() {
  return useQuery({
    queryKey: SESSION_QUERY_KEY,
    queryFn: async (): Promise<AdminPrincipal | null> => {
      try {
        return (await ok(api.auth.me())).user;
      } catch (error) {
        if (isApiError(error, 401)) return null;
        throw error;
      }
    },
    staleTime: 5 * 60_000,
    retry: false,
  });
}

/** Forgets everything cached for the previous user (another user may sign in next in this tab). */
export function useForgetSession() {
  const queryClient = useQueryClient();
  return () => {
    queryClient.clear();
    queryClient.setQueryData(SESSION_QUERY_KEY, null);
  };
}

const ROLE_RANK: Record<MembershipRoleName, number> = { viewer: 0, admin: 1, owner: 2 };

export function roleIn(user: AdminPrincipal, customerId: number): MembershipRoleName | null {
  return user.memberships.find((membership) => membership.customer_id === customerId)?.role ?? null;
}

/** Whether `role` is at least `minimum` (viewer < admin < owner): what the API checks too. */
export function atLeast(role: MembershipRoleName | null, minimum: MembershipRoleName): boolean {
  return role !== null && ROLE_RANK[role] >= ROLE_RANK[minimum];
}

/** Where a user lands after signing in: their first tenant, or the platform console. */
export function homePath(user: AdminPrincipal): string {
  const first = user.memberships[0];
  if (first) return `/customer/${first.customer_id}/admin/calls`;
  if (user.is_platform_admin) return '/platform/admin/tenants';
  return '/no-access';
}
