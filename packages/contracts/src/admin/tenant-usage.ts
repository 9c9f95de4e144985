import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { errorResponses, instantQuerySchema, isoDateTime, tenantPathSchema, tenantPaths, tenantRoute } from './shared';

const c = initContract();

export const usageByKindSchema = z.object({
  kind: z.string(),
  /** Decimal as a string (numeric(18,4)): no float rounding. */
  quantity: z.string(),
  records: z.number().int(),
});

/** Part of `adminApiContract.tenant`: metered usage totals. */
export const tenantUsageContract = c.router({
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
    metadata: tenantRoute('viewer', 'usage:read'),
    summary: 'Usage totals by kind in [from, to)',
  },
});
