import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { e164PhoneSchema } from '../common';
import {
  cursorSchema,
  emailSchema,
  errorResponses,
  isoDateTime,
  pageLimitSchema,
  platformRoute,
  nullableText,
  requiredText,
  tenantPathSchema,
  tenantStatusSchema,
} from './shared';
import {
  numberChoiceSchema,
  numberPurposeSchema,
  tenantNumberSchema,
  twilioAccountChoiceSchema,
  twilioAccountKindSchema,
  twilioErrorResponses,
} from './twilio-shared';

const c = initContract();

export const platformTenantSchema = z.object({
  customer_id: z.number().int(),
  business_name: z.string(),
  agent_name: z.string(),
  industry: z.string(),
  template_version: z.number().int(),
  status: tenantStatusSchema,
  suspended_message: z.string().nullable(),
  phone_numbers: z.array(z.string()),
  /** The kind of Twilio account the tenant's numbers go into. */
  twilio_account: twilioAccountKindSchema,
  created_at: isoDateTime,
  updated_at: isoDateTime,
});
export type PlatformTenant = z.infer<typeof platformTenantSchema>;

const templateVersionField = z
  .number({ required_error: 'template_version is required', invalid_type_error: 'template_version must be an integer' })
  .int('template_version must be an integer')
  .positive('template_version must be positive');

/**
 * The onboarding document: everything a business needs to go live, in one request (and in one
 * file for the CLI). Sent with an `Idempotency-Key` header; a retry with the same key and document
 * resumes where a failure stopped and never buys a second number.
 */
export const onboardTenantRequestSchema = z
  .object({
    business_name: requiredText('business_name', 200),
    industry: requiredText('industry', 100),
    template_version: templateVersionField,
    agent_name: requiredText('agent_name', 100),
    greeting: requiredText('greeting', 1000),
    voice_id: requiredText('voice_id', 100).optional(),
    personality: z.string().max(4000, 'personality must be at most 4000 characters').optional(),
    transfer_number: e164PhoneSchema.optional(),
    help_text: requiredText('help_text', 320).optional(),
    sms_ai_reply_enabled: z.boolean({ invalid_type_error: 'sms_ai_reply_enabled must be true or false' }).optional(),
    /** Where the tenant's numbers live; a platform sub-account unless said otherwise. */
    twilio_account: twilioAccountChoiceSchema.default({ kind: 'subaccount' }),
    number: numberChoiceSchema,
    number_purpose: numberPurposeSchema.default('voice_and_sms'),
    /** Gets an owner invitation (a one-time link); never a password in this document. */
    owner_email: emailSchema,
  })
  .strict();
export type OnboardTenantRequest = z.infer<typeof onboardTenantRequestSchema>;
export type OnboardTenantDocument = z.input<typeof onboardTenantRequestSchema>;

export const idempotencyKeySchema = z
  .string({ required_error: 'Idempotency-Key header is required' })
  .trim()
  .regex(/^[A-Za-z0-9._:-]{8,128}$/, 'Idempotency-Key must be 8-128 characters of letters, digits, . _ : -');

/** The owner's invitation: the token is shown once, when the invitation is made. */
export const ownerInvitationSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: z.literal('owner'),
  expires_at: isoDateTime,
  /** One-time token to accept the invitation; null when this answer is a replay (re-issue it then). */
  token: z.string().nullable(),
  /** Whether the invitation link was mailed to the owner (no SMTP server, or the CLI: pass the token on). */
  mailed: z.boolean(),
});

export const onboardTenantResponseSchema = z.object({
  success: z.literal(true),
  tenant: platformTenantSchema,
  twilio_account: z.object({ kind: twilioAccountKindSchema, account_sid: z.string() }),
  number: tenantNumberSchema,
  owner_invitation: ownerInvitationSchema,
  onboarding: z.object({
    idempotency_key: z.string(),
    /** True when this answer repeats an onboarding finished earlier (nothing was done now). */
    replayed: z.boolean(),
    /** Steps this request ran (a resumed onboarding skips those done before). */
    steps_run: z.array(z.string()),
  }),
});
export type OnboardTenantResponse = z.infer<typeof onboardTenantResponseSchema>;

/** Business details a platform admin may edit (agent settings are the tenant's own, see tenant-settings). */
export const updateTenantDetailsRequestSchema = z
  .object({
    business_name: requiredText('business_name', 200),
    help_text: nullableText('help_text', 320),
    transfer_number: e164PhoneSchema.nullable(),
  })
  .partial()
  .strict()
  .refine((changes) => Object.keys(changes).length > 0, { message: 'at least one detail is required' });

/** One step of an offboarding, done or (dry run) to be done. */
export const offboardStepSchema = z.object({
  step: z.enum(['export', 'release_numbers', 'close_subaccount', 'erase']),
  description: z.string(),
  /** done | skipped (nothing to do) | planned (dry run). */
  status: z.enum(['done', 'skipped', 'planned']),
  details: z.record(z.unknown()),
});

export const offboardTenantResponseSchema = z.object({
  success: z.literal(true),
  customer_id: z.number().int(),
  dry_run: z.boolean(),
  steps: z.array(offboardStepSchema),
  /** Rows per tenant table (to export and erase). */
  rows: z.record(z.number().int()),
  /** Where the JSON-lines archive was written (null on a dry run). */
  archive_path: z.string().nullable(),
});
export type OffboardTenantResponse = z.infer<typeof offboardTenantResponseSchema>;

export const tenantHealthSchema = z.object({
  customer_id: z.number().int(),
  business_name: z.string(),
  status: tenantStatusSchema,
  calls_24h: z.number().int(),
  /** Calls of the last 24 h whose outcome was `failed`. */
  failed_calls_24h: z.number().int(),
  /** Answers of the last 24 h that callers got instead of the agent's (out of time, model or call state unavailable). */
  fallback_answers_24h: z.number().int(),
  last_call_at: isoDateTime.nullable(),
  /** Work not done yet: ended calls whose transcript is not with memory, and summaries not written. */
  queue_backlog: z.object({ transcripts_unsubmitted: z.number().int(), summaries_pending: z.number().int() }),
  numbers: z.array(z.object({ phone_number: z.string(), webhooks_point_here: z.boolean() })),
});

/** Part of `adminApiContract.platform`: onboarding and the lifecycle of tenants. */
export const platformTenantsContract = c.router({
  onboardTenant: {
    method: 'POST',
    path: '/v1/platform/tenants',
    headers: z.object({ 'idempotency-key': idempotencyKeySchema }),
    body: onboardTenantRequestSchema,
    responses: {
      201: onboardTenantResponseSchema,
      200: onboardTenantResponseSchema,
      ...errorResponses,
      ...twilioErrorResponses,
    },
    metadata: platformRoute,
    summary:
      'Bring a business live: Twilio account, number with webhooks, tenant and owner invitation, as one idempotent operation (201; 200 when replayed)',
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
  updateTenantDetails: {
    method: 'PATCH',
    path: '/v1/platform/tenants/:customerId',
    pathParams: tenantPathSchema,
    body: updateTenantDetailsRequestSchema,
    responses: { 200: z.object({ success: z.literal(true), tenant: platformTenantSchema }), ...errorResponses },
    metadata: platformRoute,
    summary: 'Edit business details (audited in both audit logs)',
  },
  offboardTenant: {
    method: 'POST',
    path: '/v1/platform/tenants/:customerId/offboard',
    pathParams: tenantPathSchema,
    body: z
      .object({
        dry_run: z.boolean({ invalid_type_error: 'dry_run must be true or false' }).default(true),
        /** Must repeat the tenant's business name to really offboard (not needed for a dry run). */
        confirm_business_name: z.string().optional(),
      })
      .strict(),
    responses: { 200: offboardTenantResponseSchema, ...errorResponses, ...twilioErrorResponses },
    metadata: platformRoute,
    summary:
      'Export every row of the tenant (JSON lines), release its numbers, close its sub-account, erase its rows; dry_run shows what would happen',
  },
  listTenantHealth: {
    method: 'GET',
    path: '/v1/platform/health/tenants',
    query: z.object({ status: tenantStatusSchema.optional(), cursor: cursorSchema.optional(), limit: pageLimitSchema }),
    responses: {
      200: z.object({ success: z.literal(true), tenants: z.array(tenantHealthSchema), next_cursor: z.string().nullable() }),
      ...errorResponses,
    },
    metadata: platformRoute,
    summary:
      'Tenants with their health: calls, failures and fallback answers in the last 24 h, last call, queue backlog, whether webhooks point here',
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
});
