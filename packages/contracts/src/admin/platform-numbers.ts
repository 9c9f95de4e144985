import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { e164PhoneSchema } from '../common';
import { customerIdSchema } from '../common';
import { errorResponses, platformRoute, tenantPathSchema } from './shared';
import { numberChoiceSchema, numberPurposeSchema, numberSearchSchema, tenantNumberSchema, twilioErrorResponses } from './twilio-shared';

const c = initContract();

/** A number Twilio has for sale. */
export const availableNumberSchema = z.object({
  phone_number: z.string(),
  locality: z.string().nullable(),
  region: z.string().nullable(),
  capabilities: z.object({ voice: z.boolean(), sms: z.boolean() }),
});

/** `/v1/platform/tenants/:customerId/numbers/:phoneNumber` (the number in E.164, `+` as is or as %2B). */
const numberPathSchema = tenantPathSchema.extend({ phoneNumber: e164PhoneSchema });

const webhookRepairSchema = z.object({
  phone_number: z.string(),
  customer_id: z.number().int(),
  /** repaired | already_pointing_here | failed */
  outcome: z.enum(['repaired', 'already_pointing_here', 'failed']),
  error: z.string().nullable(),
});

/**
 * Part of `adminApiContract.platform`: a tenant's phone numbers. Numbers are searched, bought and
 * managed in the tenant's own Twilio account (sub-account, BYOK, or the platform's); every number
 * the platform buys or attaches gets its voice URL, status callback and SMS URL set to this
 * platform's PUBLIC_BASE_URL. A number is routed to one tenant only: a number in use answers 409.
 */
export const platformNumbersContract = c.router({
  searchAvailableNumbers: {
    method: 'GET',
    path: '/v1/platform/tenants/:customerId/available-numbers',
    pathParams: tenantPathSchema,
    query: numberSearchSchema
      .extend({
        voice: z
          .enum(['true', 'false'])
          .transform((value) => value === 'true')
          .default('true'),
        sms: z
          .enum(['true', 'false'])
          .transform((value) => value === 'true')
          .default('true'),
        limit: z.coerce.number().int().min(1).max(30).default(10),
      })
      .strict(),
    responses: {
      200: z.object({ success: z.literal(true), numbers: z.array(availableNumberSchema) }),
      ...errorResponses,
      ...twilioErrorResponses,
    },
    metadata: platformRoute,
    summary: "Numbers Twilio has for sale, searched in the tenant's Twilio account (area code, digits it contains, voice/SMS)",
  },
  listTenantNumbers: {
    method: 'GET',
    path: '/v1/platform/tenants/:customerId/numbers',
    pathParams: tenantPathSchema,
    responses: { 200: z.object({ success: z.literal(true), numbers: z.array(tenantNumberSchema) }), ...errorResponses },
    metadata: platformRoute,
    summary: 'The tenant’s numbers, with their Twilio SID and whether their webhooks point here',
  },
  addTenantNumber: {
    method: 'POST',
    path: '/v1/platform/tenants/:customerId/numbers',
    pathParams: tenantPathSchema,
    body: z.object({ number: numberChoiceSchema, purpose: numberPurposeSchema.default('voice_and_sms') }).strict(),
    responses: { 201: z.object({ success: z.literal(true), number: tenantNumberSchema }), ...errorResponses, ...twilioErrorResponses },
    metadata: platformRoute,
    summary: "Buy a number into the tenant's account (search criteria or a number seen in a search) or attach one it has; webhooks set",
  },
  moveTenantNumber: {
    method: 'POST',
    path: '/v1/platform/tenants/:customerId/numbers/:phoneNumber/move',
    pathParams: numberPathSchema,
    body: z.object({ to_customer_id: customerIdSchema }).strict(),
    responses: { 200: z.object({ success: z.literal(true), number: tenantNumberSchema }), ...errorResponses, ...twilioErrorResponses },
    metadata: platformRoute,
    summary: "Move a number to another tenant (and, between platform sub-accounts, into that tenant's Twilio account)",
  },
  releaseTenantNumber: {
    method: 'DELETE',
    path: '/v1/platform/tenants/:customerId/numbers/:phoneNumber',
    pathParams: numberPathSchema,
    body: z.object({}).strict().optional(),
    responses: {
      200: z.object({ success: z.literal(true), phone_number: z.string(), released_from_twilio: z.boolean() }),
      ...errorResponses,
      ...twilioErrorResponses,
    },
    metadata: platformRoute,
    summary:
      'Release a number: a bought number goes back to Twilio; an attached one is detached (webhooks cleared) and stays in its account',
  },
  repairWebhooks: {
    method: 'POST',
    path: '/v1/platform/numbers/repair-webhooks',
    body: z.object({ customer_id: customerIdSchema.optional() }).strict(),
    responses: {
      200: z.object({ success: z.literal(true), numbers: z.array(webhookRepairSchema) }),
      ...errorResponses,
      ...twilioErrorResponses,
    },
    metadata: platformRoute,
    summary: "Re-set every number's webhooks (of one tenant, or all) to the current PUBLIC_BASE_URL, e.g. after it changed",
  },
});
