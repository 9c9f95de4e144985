import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { customerIdSchema, e164PhoneSchema, errorResponseSchema } from './common';
import { healthContract } from './health';
import { industryTemplateDefinitionSchema } from './templates';

const c = initContract();

/**
 * The admin API: humans (platform staff and tenant admins) manage tenants. Callers log in with
 * email + password and send the returned admin access token as `Authorization: Bearer ...`.
 *
 * Every route declares who may call it in `metadata.access` (see adminRouteAccessSchema); the
 * admin-api enforces it in one middleware before the handler runs:
 * - `public`: no token (login);
 * - `authenticated`: any valid admin token;
 * - `platform`: platform admins only (403 otherwise);
 * - `tenant`: `/v1/tenants/:customerId/...`, needs a membership of that tenant with at least
 *   `role` (viewer < admin < owner); without a membership the tenant answers 404, so its
 *   existence is not revealed; with too low a role 403.
 */

export const membershipRoles = ['viewer', 'admin', 'owner'] as const;
export const membershipRoleSchema = z.enum(membershipRoles);
export type MembershipRoleName = z.infer<typeof membershipRoleSchema>;

export const adminRouteAccessSchema = z.discriminatedUnion('access', [
  z.object({ access: z.literal('public') }),
  z.object({ access: z.literal('authenticated') }),
  z.object({ access: z.literal('platform') }),
  z.object({ access: z.literal('tenant'), role: membershipRoleSchema }),
]);
export type AdminRouteAccess = z.infer<typeof adminRouteAccessSchema>;

const publicRoute = { access: 'public' } as const satisfies AdminRouteAccess;
const authenticatedRoute = { access: 'authenticated' } as const satisfies AdminRouteAccess;
const platformRoute = { access: 'platform' } as const satisfies AdminRouteAccess;
function tenantRoute(role: MembershipRoleName) {
  return { access: 'tenant', role } as const satisfies AdminRouteAccess;
}

// ---------------------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------------------

const isoDateTime = z.string();

/** A query-string instant: an ISO-8601 date-time with offset, or a date (midnight UTC). */
export const instantQuerySchema = z
  .string()
  .trim()
  .refine((raw) => /^\d{4}-\d{2}-\d{2}$/.test(raw) || z.string().datetime({ offset: true }).safeParse(raw).success, {
    message: 'must be an ISO-8601 date (2026-11-01) or date-time with offset (2026-11-01T09:00:00Z)',
  })
  .transform((raw) => new Date(/^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00Z` : raw))
  .refine((date) => !Number.isNaN(date.getTime()), { message: 'is not a real date' });

const pageLimitSchema = z.coerce
  .number({ invalid_type_error: 'limit must be an integer between 1 and 100' })
  .int('limit must be an integer between 1 and 100')
  .min(1, 'limit must be an integer between 1 and 100')
  .max(100, 'limit must be an integer between 1 and 100')
  .default(25);

/** Opaque cursor returned as next_cursor by list routes. */
const cursorSchema = z.string().min(1, 'cursor must not be empty').max(500, 'cursor is too long');

const tenantPathSchema = z.object({ customerId: customerIdSchema });

const errorResponses = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
} as const;

const requiredText = (field: string, max: number) =>
  z
    .string({ required_error: `${field} is required`, invalid_type_error: `${field} must be a string` })
    .trim()
    .min(1, `${field} must not be empty`)
    .max(max, `${field} must be at most ${max} characters`);

const nullableText = (field: string, max: number) => requiredText(field, max).nullable();

/** Minimum length of an admin password (NIST 800-63B: length over composition rules). */
export const ADMIN_PASSWORD_MIN_LENGTH = 12;
export const adminPasswordSchema = z
  .string({ required_error: 'password is required' })
  .min(ADMIN_PASSWORD_MIN_LENGTH, `password must be at least ${ADMIN_PASSWORD_MIN_LENGTH} characters`)
  .max(256, 'password must be at most 256 characters');

const emailSchema = z
  .string({ required_error: 'email is required' })
  .trim()
  .toLowerCase()
  .email('email must be an email address')
  .max(320, 'email is too long');

// ---------------------------------------------------------------------------------------------
// Auth
// ---------------------------------------------------------------------------------------------

export const adminMembershipClaimSchema = z.object({ customer_id: z.number().int().positive(), role: membershipRoleSchema });
export type AdminMembershipClaim = z.infer<typeof adminMembershipClaimSchema>;

export const adminPrincipalSchema = z.object({
  id: z.string(),
  email: z.string(),
  is_platform_admin: z.boolean(),
  memberships: z.array(adminMembershipClaimSchema),
});
export type AdminPrincipal = z.infer<typeof adminPrincipalSchema>;

export const loginRequestSchema = z.object({
  email: emailSchema,
  // Not length-checked here: a login must not tell which passwords could never match.
  password: z.string({ required_error: 'password is required' }).min(1, 'password is required').max(1024),
});

export const loginResponseSchema = z.object({
  success: z.literal(true),
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
  user: adminPrincipalSchema,
});

// ---------------------------------------------------------------------------------------------
// Platform: tenants and templates
// ---------------------------------------------------------------------------------------------

export const tenantStatusSchema = z.enum(['active', 'suspended']);

export const platformTenantSchema = z.object({
  customer_id: z.number().int(),
  business_name: z.string(),
  agent_name: z.string(),
  industry: z.string(),
  template_version: z.number().int(),
  status: tenantStatusSchema,
  suspended_message: z.string().nullable(),
  phone_numbers: z.array(z.string()),
  created_at: isoDateTime,
  updated_at: isoDateTime,
});
export type PlatformTenant = z.infer<typeof platformTenantSchema>;

export const onboardTenantRequestSchema = z
  .object({
    business_name: requiredText('business_name', 200),
    agent_name: requiredText('agent_name', 100),
    greeting: requiredText('greeting', 1000),
    voice_id: requiredText('voice_id', 100).optional(),
    personality: z.string().max(4000, 'personality must be at most 4000 characters').optional(),
    industry: requiredText('industry', 100),
    template_version: z
      .number({ required_error: 'template_version is required', invalid_type_error: 'template_version must be an integer' })
      .int('template_version must be an integer')
      .positive('template_version must be positive'),
    phone_number: e164PhoneSchema,
    transfer_number: e164PhoneSchema.optional(),
    owner_email: emailSchema,
    owner_password: adminPasswordSchema,
  })
  .strict();
export type OnboardTenantRequest = z.infer<typeof onboardTenantRequestSchema>;

export const templateVersionSchema = z.object({
  id: z.string(),
  industry: z.string(),
  version: z.number().int(),
  published_at: isoDateTime.nullable(),
  created_at: isoDateTime,
  definition: industryTemplateDefinitionSchema,
});

// ---------------------------------------------------------------------------------------------
// Tenant: settings, calls, callers, usage, audit log
// ---------------------------------------------------------------------------------------------

export const agentSettingsSchema = z.object({
  customer_id: z.number().int(),
  business_name: z.string(),
  status: tenantStatusSchema,
  industry: z.string(),
  template_version: z.number().int(),
  agent_name: z.string(),
  greeting: z.string(),
  voice_id: z.string().nullable(),
  personality: z.string(),
  transfer_number: z.string().nullable(),
  speech_timeout_seconds: z.number().int(),
  openai_model: z.string().nullable(),
  help_text: z.string().nullable(),
  sms_ai_reply_enabled: z.boolean(),
  sms_rate_limit_per_minute: z.number().int(),
  updated_at: isoDateTime,
});
export type AgentSettings = z.infer<typeof agentSettingsSchema>;

const integerIn = (field: string, min: number, max: number) =>
  z
    .number({ required_error: `${field} is required`, invalid_type_error: `${field} must be an integer` })
    .int(`${field} must be an integer`)
    .min(min, `${field} must be between ${min} and ${max}`)
    .max(max, `${field} must be between ${min} and ${max}`);

/** The agent settings a tenant admin may change; every field optional, at least one required. */
const agentSettingsChangesSchema = z
  .object({
    agent_name: requiredText('agent_name', 100),
    greeting: requiredText('greeting', 1000),
    voice_id: nullableText('voice_id', 100),
    personality: z.string({ invalid_type_error: 'personality must be a string' }).max(4000, 'personality must be at most 4000 characters'),
    transfer_number: e164PhoneSchema.nullable(),
    speech_timeout_seconds: integerIn('speech_timeout_seconds', 1, 60),
    openai_model: z
      .string({ invalid_type_error: 'openai_model must be a string' })
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, 'openai_model must be a model id (letters, digits, . _ : -)')
      .nullable(),
    help_text: nullableText('help_text', 320),
    sms_ai_reply_enabled: z.boolean({ invalid_type_error: 'sms_ai_reply_enabled must be true or false' }),
    sms_rate_limit_per_minute: integerIn('sms_rate_limit_per_minute', 1, 600),
  })
  .partial();
type AgentSettingsChanges = z.infer<typeof agentSettingsChangesSchema>;

/**
 * The agent settings a tenant admin may change; every field optional, at least one required.
 * Unknown fields (e.g. `status`, a platform decision) are refused naming the field, not ignored.
 */
export const updateAgentSettingsRequestSchema = agentSettingsChangesSchema
  .passthrough()
  .superRefine((update, ctx) => {
    const unknownKeys = Object.keys(update).filter((key) => !(key in agentSettingsChangesSchema.shape));
    for (const key of unknownKeys) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: `${key} is not an agent setting that can be changed` });
    }
    if (Object.keys(update).length === 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'at least one setting is required' });
    }
  })
  .transform(
    (update): AgentSettingsChanges =>
      Object.fromEntries(Object.entries(update).filter(([key]) => key in agentSettingsChangesSchema.shape)),
  );
export type UpdateAgentSettingsRequest = z.output<typeof updateAgentSettingsRequestSchema>;

export const callListItemSchema = z.object({
  id: z.string(),
  call_sid: z.string(),
  from_number: z.string(),
  to_number: z.string(),
  status: z.string(),
  outcome: z.string().nullable(),
  started_at: isoDateTime,
  ended_at: isoDateTime.nullable(),
  duration_seconds: z.number().int().nullable(),
});

export const callTurnSchema = z.object({
  turn_index: z.number().int(),
  role: z.enum(['user', 'assistant', 'system']),
  text: z.string(),
  llm_ms: z.number().int().nullable(),
  tts_ms: z.number().int().nullable(),
  total_ms: z.number().int().nullable(),
  created_at: isoDateTime,
});

export const callerListItemSchema = z.object({
  id: z.string(),
  phone: z.string(),
  name: z.string().nullable(),
  quick_bio: z.string().nullable(),
  call_count: z.number().int(),
  first_call_at: isoDateTime.nullable(),
  last_call_at: isoDateTime.nullable(),
});

export const callerSummarySchema = z.object({
  call_sid: z.string(),
  summary: z.string(),
  key_topics: z.array(z.string()),
  created_at: isoDateTime,
});

export const usageByKindSchema = z.object({
  kind: z.string(),
  /** Decimal as a string (numeric(18,4)): no float rounding. */
  quantity: z.string(),
  records: z.number().int(),
});

export const auditLogEntrySchema = z.object({
  id: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  details: z.unknown(),
  created_at: isoDateTime,
});

const tenantPaths = (suffix: string) => `/v1/tenants/:customerId${suffix}`;

/** The routes the admin-api mounts (health is served separately by every app). */
export const adminApiContract = c.router({
  auth: {
    login: {
      method: 'POST',
      path: '/v1/auth/login',
      body: loginRequestSchema,
      responses: { 200: loginResponseSchema, 400: errorResponseSchema, 401: errorResponseSchema },
      metadata: publicRoute,
      summary: 'Exchange email + password for a 15-minute admin access token',
    },
    me: {
      method: 'GET',
      path: '/v1/auth/me',
      responses: { 200: z.object({ success: z.literal(true), user: adminPrincipalSchema }), 401: errorResponseSchema },
      metadata: authenticatedRoute,
      summary: 'The caller as the access token describes them',
    },
  },
  platform: {
    onboardTenant: {
      method: 'POST',
      path: '/v1/platform/tenants',
      body: onboardTenantRequestSchema,
      responses: {
        201: z.object({
          success: z.literal(true),
          tenant: platformTenantSchema,
          owner: z.object({ id: z.string(), email: z.string() }),
        }),
        ...errorResponses,
        409: errorResponseSchema,
      },
      metadata: platformRoute,
      summary: 'Create a tenant, its phone number and its owner in one transaction',
    },
    listTenants: {
      method: 'GET',
      path: '/v1/platform/tenants',
      query: z.object({ status: tenantStatusSchema.optional(), cursor: cursorSchema.optional(), limit: pageLimitSchema }),
      responses: {
        200: z.object({ success: z.literal(true), tenants: z.array(platformTenantSchema), next_cursor: z.string().nullable() }),
        ...errorResponses,
      },
      metadata: platformRoute,
      summary: 'All tenants, oldest first',
    },
    suspendTenant: {
      method: 'POST',
      path: '/v1/platform/tenants/:customerId/suspend',
      pathParams: tenantPathSchema,
      body: z.object({ message: requiredText('message', 1000) }).strict(),
      responses: { 200: z.object({ success: z.literal(true), tenant: platformTenantSchema }), ...errorResponses },
      metadata: platformRoute,
      summary: 'Suspend a tenant; callers hear / receive `message` instead of the agent',
    },
    resumeTenant: {
      method: 'POST',
      path: '/v1/platform/tenants/:customerId/resume',
      pathParams: tenantPathSchema,
      body: z.object({}).strict().optional(),
      responses: { 200: z.object({ success: z.literal(true), tenant: platformTenantSchema }), ...errorResponses },
      metadata: platformRoute,
      summary: 'Resume a suspended tenant',
    },
    setTenantTemplate: {
      method: 'PUT',
      path: '/v1/platform/tenants/:customerId/template',
      pathParams: tenantPathSchema,
      body: z
        .object({
          industry: requiredText('industry', 100).optional(),
          version: z
            .number({ required_error: 'version is required', invalid_type_error: 'version must be an integer' })
            .int('version must be an integer')
            .positive('version must be positive'),
        })
        .strict(),
      responses: { 200: z.object({ success: z.literal(true), tenant: platformTenantSchema }), ...errorResponses },
      metadata: platformRoute,
      summary: 'Pin a tenant to another (existing) industry template version',
    },
    listTemplateVersions: {
      method: 'GET',
      path: '/v1/platform/templates',
      responses: {
        200: z.object({
          success: z.literal(true),
          versions: z.array(templateVersionSchema.omit({ definition: true }).extend({ name: z.string() })),
        }),
        ...errorResponses,
      },
      metadata: platformRoute,
      summary: 'Every industry template version',
    },
    publishTemplateVersion: {
      method: 'POST',
      path: '/v1/platform/templates',
      body: z.object({ definition: industryTemplateDefinitionSchema }).strict(),
      responses: { 201: z.object({ success: z.literal(true), template_version: templateVersionSchema }), ...errorResponses, 409: errorResponseSchema },
      metadata: platformRoute,
      summary: 'Publish a new industry template version (versions are immutable: an existing one is a 409)',
    },
  },
  tenant: {
    getSettings: {
      method: 'GET',
      path: tenantPaths('/settings'),
      pathParams: tenantPathSchema,
      responses: { 200: z.object({ success: z.literal(true), settings: agentSettingsSchema }), ...errorResponses },
      metadata: tenantRoute('viewer'),
      summary: 'The agent settings of the tenant',
    },
    updateSettings: {
      method: 'PATCH',
      path: tenantPaths('/settings'),
      pathParams: tenantPathSchema,
      body: updateAgentSettingsRequestSchema,
      responses: { 200: z.object({ success: z.literal(true), settings: agentSettingsSchema }), ...errorResponses },
      metadata: tenantRoute('admin'),
      summary: 'Change agent settings (audited in the tenant audit log)',
    },
    listCalls: {
      method: 'GET',
      path: tenantPaths('/calls'),
      pathParams: tenantPathSchema,
      query: z.object({
        from: instantQuerySchema.optional(),
        to: instantQuerySchema.optional(),
        caller: e164PhoneSchema.optional(),
        cursor: cursorSchema.optional(),
        limit: pageLimitSchema,
      }),
      responses: {
        200: z.object({ success: z.literal(true), calls: z.array(callListItemSchema), next_cursor: z.string().nullable() }),
        ...errorResponses,
      },
      metadata: tenantRoute('viewer'),
      summary: 'Calls, newest first; `from` inclusive, `to` exclusive, `caller` = the caller number',
    },
    getCall: {
      method: 'GET',
      path: tenantPaths('/calls/:callId'),
      pathParams: tenantPathSchema.extend({ callId: z.string().uuid('callId must be a call id (UUID)') }),
      responses: {
        200: z.object({ success: z.literal(true), call: callListItemSchema.extend({ turns: z.array(callTurnSchema) }) }),
        ...errorResponses,
      },
      metadata: tenantRoute('viewer'),
      summary: 'One call with its transcript turns',
    },
    listCallers: {
      method: 'GET',
      path: tenantPaths('/callers'),
      pathParams: tenantPathSchema,
      query: z.object({ cursor: cursorSchema.optional(), limit: pageLimitSchema }),
      responses: {
        200: z.object({ success: z.literal(true), callers: z.array(callerListItemSchema), next_cursor: z.string().nullable() }),
        ...errorResponses,
      },
      metadata: tenantRoute('viewer'),
      summary: 'Known callers, most recent call first',
    },
    getCaller: {
      method: 'GET',
      path: tenantPaths('/callers/:callerId'),
      pathParams: tenantPathSchema.extend({ callerId: z.string().uuid('callerId must be a caller id (UUID)') }),
      responses: {
        200: z.object({
          success: z.literal(true),
          caller: callerListItemSchema.extend({ variables: z.record(z.unknown()), recent_summaries: z.array(callerSummarySchema) }),
        }),
        ...errorResponses,
      },
      metadata: tenantRoute('viewer'),
      summary: 'One caller with their most recent call summaries',
    },
    getUsage: {
      method: 'GET',
      path: tenantPaths('/usage'),
      pathParams: tenantPathSchema,
      query: z
        .object({ from: instantQuerySchema, to: instantQuerySchema })
        .refine((range) => range.from < range.to, { message: 'from must be before to', path: ['to'] }),
      responses: {
        200: z.object({ success: z.literal(true), from: isoDateTime, to: isoDateTime, usage: z.array(usageByKindSchema) }),
        ...errorResponses,
      },
      metadata: tenantRoute('viewer'),
      summary: 'Usage totals by kind in [from, to)',
    },
    listAuditLog: {
      method: 'GET',
      path: tenantPaths('/audit-log'),
      pathParams: tenantPathSchema,
      query: z.object({ cursor: cursorSchema.optional(), limit: pageLimitSchema }),
      responses: {
        200: z.object({ success: z.literal(true), entries: z.array(auditLogEntrySchema), next_cursor: z.string().nullable() }),
        ...errorResponses,
      },
      metadata: tenantRoute('admin'),
      summary: 'The tenant audit trail, newest first',
    },
  },
});

/** The admin service's HTTP API, health routes included (the OpenAPI document's source). */
export const adminContract = c.router({
  health: healthContract,
  ...adminApiContract,
});
