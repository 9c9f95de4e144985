import { z } from 'zod';
import { customerIdSchema, errorResponseSchema } from '../common';

/**
 * Pieces every admin area shares: who may call a route, the admin principal, paging, instants,
 * text and password rules. Callers authenticate with an admin session (a bearer access token or
 * the console's session cookie, see auth.ts) or, on tenant routes, with a tenant API key
 * (`Authorization: Bearer nsk_...`).
 *
 * Every route declares who may call it in `metadata.access` (see adminRouteAccessSchema); the
 * admin-api enforces it in one middleware before the handler runs:
 * - `public`: no credentials (login, refresh, password reset, invitation acceptance);
 * - `authenticated`: any admin session (API keys are refused with 403);
 * - `platform`: platform admins only (403 otherwise);
 * - `tenant`: `/v1/tenants/:customerId/...`, needs a membership of that tenant with at least
 *   `role` (viewer < admin < owner); without a membership the tenant answers 404, so its
 *   existence is not revealed; with too low a role 403. An API key of that tenant may call the
 *   route only when the route names a `scope` and the key has it (403 naming the scope otherwise);
 *   a key used on another tenant's path answers 404. A platform admin in an open support session
 *   on the tenant (platform-support.ts) may call its GET routes; other methods only once a tenant
 *   owner granted writes for that session.
 */

export const membershipRoles = ['viewer', 'admin', 'owner'] as const;
export const membershipRoleSchema = z.enum(membershipRoles);
export type MembershipRoleName = z.infer<typeof membershipRoleSchema>;

/**
 * What a tenant API key may be allowed to do: the one list. A tenant route names the scope an API
 * key needs in its metadata (`tenantRoute('viewer', 'calls:read')`); a route without one is for
 * people only (team, API keys themselves).
 */
export const apiKeyScopes = [
  'calls:read',
  'callers:read',
  'callers:write',
  'inbox:read',
  'inbox:write',
  'sms:read',
  'sms:send',
  'settings:read',
  'settings:write',
  'usage:read',
  'audit:read',
] as const;
export const apiKeyScopeSchema = z.enum(apiKeyScopes, {
  errorMap: () => ({ message: `must be one of ${apiKeyScopes.join(', ')}` }),
});
export type ApiKeyScope = z.infer<typeof apiKeyScopeSchema>;

export const adminRouteAccessSchema = z.discriminatedUnion('access', [
  z.object({ access: z.literal('public') }),
  z.object({ access: z.literal('authenticated') }),
  z.object({ access: z.literal('platform') }),
  z.object({ access: z.literal('tenant'), role: membershipRoleSchema, scope: apiKeyScopeSchema.optional() }),
]);
export type AdminRouteAccess = z.infer<typeof adminRouteAccessSchema>;

export const publicRoute = { access: 'public' } as const satisfies AdminRouteAccess;
export const authenticatedRoute = { access: 'authenticated' } as const satisfies AdminRouteAccess;
export const platformRoute = { access: 'platform' } as const satisfies AdminRouteAccess;
/** A tenant route for members with at least `role`; with `scope`, also for API keys that have it. */
export function tenantRoute(role: MembershipRoleName, scope?: ApiKeyScope) {
  return (scope === undefined ? { access: 'tenant', role } : { access: 'tenant', role, scope }) satisfies AdminRouteAccess;
}

export const isoDateTime = z.string();

/** A query-string instant: an ISO-8601 date-time with offset, or a date (midnight UTC). */
export const instantQuerySchema = z
  .string()
  .trim()
  .refine((raw) => /^\d{4}-\d{2}-\d{2}$/.test(raw) || z.string().datetime({ offset: true }).safeParse(raw).success, {
    message: 'must be an ISO-8601 date (2026-11-01) or date-time with offset (2026-11-01T09:00:00Z)',
  })
  .transform((raw) => new Date(/^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00Z` : raw))
  .refine((date) => !Number.isNaN(date.getTime()), { message: 'is not a real date' });

export const pageLimitSchema = z.coerce
  .number({ invalid_type_error: 'limit must be an integer between 1 and 100' })
  .int('limit must be an integer between 1 and 100')
  .min(1, 'limit must be an integer between 1 and 100')
  .max(100, 'limit must be an integer between 1 and 100')
  .default(25);

/** Opaque cursor returned as next_cursor by list routes. */
export const cursorSchema = z.string().min(1, 'cursor must not be empty').max(500, 'cursor is too long');

export const tenantPathSchema = z.object({ customerId: customerIdSchema });

/** The path of a tenant route: `tenantPaths('/calls')` is `/v1/tenants/:customerId/calls`. */
export const tenantPaths = (suffix: string) => `/v1/tenants/:customerId${suffix}`;

export const errorResponses = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
} as const;

export const requiredText = (field: string, max: number) =>
  z
    .string({ required_error: `${field} is required`, invalid_type_error: `${field} must be a string` })
    .trim()
    .min(1, `${field} must not be empty`)
    .max(max, `${field} must be at most ${max} characters`);

export const nullableText = (field: string, max: number) => requiredText(field, max).nullable();

/** Minimum length of an admin password (NIST 800-63B: length over composition rules). */
export const ADMIN_PASSWORD_MIN_LENGTH = 12;
export const adminPasswordSchema = z
  .string({ required_error: 'password is required' })
  .min(ADMIN_PASSWORD_MIN_LENGTH, `password must be at least ${ADMIN_PASSWORD_MIN_LENGTH} characters`)
  .max(256, 'password must be at most 256 characters');

export const emailSchema = z
  .string({ required_error: 'email is required' })
  .trim()
  .toLowerCase()
  .email('email must be an email address')
  .max(320, 'email is too long');

export const tenantStatusSchema = z.enum(['active', 'suspended']);

export const adminMembershipClaimSchema = z.object({ customer_id: z.number().int().positive(), role: membershipRoleSchema });
export type AdminMembershipClaim = z.infer<typeof adminMembershipClaimSchema>;

export const adminPrincipalSchema = z.object({
  id: z.string(),
  email: z.string(),
  is_platform_admin: z.boolean(),
  memberships: z.array(adminMembershipClaimSchema),
});
export type AdminPrincipal = z.infer<typeof adminPrincipalSchema>;
