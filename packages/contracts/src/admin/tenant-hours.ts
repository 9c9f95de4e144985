import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { afterHoursModes, afterHoursModeSchema, businessHoursSchema, timeZoneSchema, transferScheduleSchema } from '../agent-settings';
import { errorResponses, isoDateTime, nullableText, tenantPathSchema, tenantPaths, tenantRoute } from './shared';

const c = initContract();

/**
 * When the business is open and what the agent does otherwise: the time zone (also the agent's
 * "today"), weekly hours and holidays (null: always open, and transfers are always allowed),
 * after-hours behaviour, and which number transfers go to at which times.
 */
export const businessHoursSettingsSchema = z.object({
  customer_id: z.number().int(),
  time_zone: z.string(),
  business_hours: businessHoursSchema.nullable(),
  /** answer: the agent answers as usual (after_hours_greeting first, when set); messages_only: it only takes messages. */
  after_hours_mode: afterHoursModeSchema,
  after_hours_greeting: z.string().nullable(),
  /** The first matching rule's number takes transfers; otherwise transfer_number (agent settings). */
  transfer_schedule: transferScheduleSchema,
  updated_at: isoDateTime,
});
export type BusinessHoursSettings = z.infer<typeof businessHoursSettingsSchema>;

/** Replaces all of it at once: hours, schedule and behaviour are read together, so they are written together. */
export const putBusinessHoursRequestSchema = z
  .object({
    time_zone: timeZoneSchema,
    business_hours: businessHoursSchema.nullable(),
    after_hours_mode: z.enum(afterHoursModes, { errorMap: () => ({ message: 'after_hours_mode must be answer or messages_only' }) }),
    after_hours_greeting: nullableText('after_hours_greeting', 1000).default(null),
    transfer_schedule: transferScheduleSchema.default([]),
  })
  .strict();
export type PutBusinessHoursRequest = z.output<typeof putBusinessHoursRequestSchema>;

/** Part of `adminApiContract.tenant`: business hours, time zone, after-hours behaviour and the transfer schedule. */
export const tenantHoursContract = c.router({
  getBusinessHours: {
    method: 'GET',
    path: tenantPaths('/hours'),
    pathParams: tenantPathSchema,
    responses: { 200: z.object({ success: z.literal(true), hours: businessHoursSettingsSchema }), ...errorResponses },
    metadata: tenantRoute('viewer', 'settings:read'),
    summary: 'Business hours, time zone, after-hours behaviour and transfer numbers by time of day',
  },
  putBusinessHours: {
    method: 'PUT',
    path: tenantPaths('/hours'),
    pathParams: tenantPathSchema,
    body: putBusinessHoursRequestSchema,
    responses: { 200: z.object({ success: z.literal(true), hours: businessHoursSettingsSchema }), ...errorResponses },
    metadata: tenantRoute('admin', 'settings:write'),
    summary: 'Replace business hours, time zone, after-hours behaviour and the transfer schedule (audited)',
  },
});
