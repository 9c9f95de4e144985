import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { customerIdSchema } from '../common';
import { errorResponses, instantQuerySchema, isoDateTime, platformRoute } from './shared';

const c = initContract();

const usageQuerySchema = z
  .object({ from: instantQuerySchema, to: instantQuerySchema, customer_id: customerIdSchema.optional() })
  .refine((range) => range.from < range.to, { message: 'from must be before to', path: ['to'] });

export const tenantUsageRowSchema = z.object({
  customer_id: z.number().int(),
  business_name: z.string().nullable(),
  /** Meter: call_minutes, llm_tokens, tts_chars, sms_segments_in, sms_segments_out, summary_tokens, ... */
  kind: z.string(),
  /** Decimal as a string (numeric(18,4)): no float rounding. */
  quantity: z.string(),
  records: z.number().int(),
});

/** Part of `adminApiContract.platform`: metered usage across tenants for a period. */
export const platformUsageContract = c.router({
  getPlatformUsage: {
    method: 'GET',
    path: '/v1/platform/usage',
    query: usageQuerySchema,
    responses: {
      200: z.object({ success: z.literal(true), from: isoDateTime, to: isoDateTime, usage: z.array(tenantUsageRowSchema) }),
      ...errorResponses,
    },
    metadata: platformRoute,
    summary: 'Usage per tenant and meter in [from, to)',
  },
  exportPlatformUsage: {
    method: 'GET',
    path: '/v1/platform/usage/export',
    query: usageQuerySchema,
    responses: { 200: c.otherResponse({ contentType: 'text/csv; charset=utf-8', body: z.string() }), ...errorResponses },
    metadata: platformRoute,
    summary: 'The same as CSV (customer_id,business_name,kind,quantity,records)',
  },
});
