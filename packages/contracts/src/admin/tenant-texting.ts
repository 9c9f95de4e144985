import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { e164PhoneSchema } from '../common';
import {
  cursorSchema,
  errorResponses,
  isoDateTime,
  pageLimitSchema,
  requiredText,
  tenantPathSchema,
  tenantPaths,
  tenantRoute,
} from './shared';

const c = initContract();

/** Placeholders every SMS template may use besides the tenant's template field keys (the sms service fills them). */
export const smsTemplateBuiltInVariables = ['business_name', 'agent_name', 'name'] as const;

export const smsTemplateSchema = z.object({
  id: z.string(),
  name: z.string(),
  body: z.string(),
  /** The {{placeholders}} the body uses. */
  variables: z.array(z.string()),
  created_at: isoDateTime,
  updated_at: isoDateTime,
});

const templateName = z
  .string({ required_error: 'name is required' })
  .trim()
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'name must be lower-case letters, digits, "-" and "_" (e.g. missed-call)')
  .max(100, 'name must be at most 100 characters');

export const smsLogItemSchema = z.object({
  id: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  from: z.string(),
  to: z.string(),
  body: z.string(),
  status: z.string(),
  template: z.string().nullable(),
  error_code: z.string().nullable(),
  error_message: z.string().nullable(),
  created_at: isoDateTime,
});

export const smsOptOutSchema = z.object({ phone: z.string(), keyword: z.string().nullable(), opted_out_at: isoDateTime });

const templatePath = tenantPathSchema.extend({ templateId: z.string().uuid('templateId must be a template id (UUID)') });

/**
 * Part of `adminApiContract.tenant`: texting. SMS templates (their {{variables}} must be ones
 * the sms service can fill: the built-ins and the tenant's template fields), the SMS log and the
 * opt-out list. Staff can add a number to the opt-out list but never remove one: only the
 * caller's own START text opts them back in.
 */
export const tenantTextingContract = c.router({
  listSmsTemplates: {
    method: 'GET',
    path: tenantPaths('/sms-templates'),
    pathParams: tenantPathSchema,
    responses: { 200: z.object({ success: z.literal(true), templates: z.array(smsTemplateSchema) }), ...errorResponses },
    metadata: tenantRoute('viewer', 'sms:read'),
    summary: 'SMS templates, by name',
  },
  createSmsTemplate: {
    method: 'POST',
    path: tenantPaths('/sms-templates'),
    pathParams: tenantPathSchema,
    body: z.object({ name: templateName, body: requiredText('body', 1600) }).strict(),
    responses: { 201: z.object({ success: z.literal(true), template: smsTemplateSchema }), ...errorResponses },
    metadata: tenantRoute('admin', 'settings:write'),
    summary: 'Create an SMS template; unknown {{variables}} are refused (audited)',
  },
  updateSmsTemplate: {
    method: 'PATCH',
    path: tenantPaths('/sms-templates/:templateId'),
    pathParams: templatePath,
    body: z
      .object({ name: templateName.optional(), body: requiredText('body', 1600).optional() })
      .strict()
      .refine((value) => value.name !== undefined || value.body !== undefined, { message: 'send name or body' }),
    responses: { 200: z.object({ success: z.literal(true), template: smsTemplateSchema }), ...errorResponses },
    metadata: tenantRoute('admin', 'settings:write'),
    summary: 'Edit an SMS template (audited)',
  },
  deleteSmsTemplate: {
    method: 'DELETE',
    path: tenantPaths('/sms-templates/:templateId'),
    pathParams: templatePath,
    body: c.noBody(),
    responses: { 200: z.object({ success: z.literal(true) }), ...errorResponses },
    metadata: tenantRoute('admin', 'settings:write'),
    summary: 'Delete an SMS template (audited)',
  },
  listSmsLog: {
    method: 'GET',
    path: tenantPaths('/sms-messages'),
    pathParams: tenantPathSchema,
    query: z.object({
      /** The caller's number: texts to or from it. */
      caller: e164PhoneSchema.optional(),
      direction: z.enum(['inbound', 'outbound']).optional(),
      status: z.enum(['queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'received']).optional(),
      cursor: cursorSchema.optional(),
      limit: pageLimitSchema,
    }),
    responses: {
      200: z.object({ success: z.literal(true), messages: z.array(smsLogItemSchema), next_cursor: z.string().nullable() }),
      ...errorResponses,
    },
    metadata: tenantRoute('viewer', 'sms:read'),
    summary: 'The SMS log, newest first, filtered by caller, direction or status',
  },
  listSmsOptOuts: {
    method: 'GET',
    path: tenantPaths('/sms-opt-outs'),
    pathParams: tenantPathSchema,
    responses: { 200: z.object({ success: z.literal(true), opt_outs: z.array(smsOptOutSchema) }), ...errorResponses },
    metadata: tenantRoute('viewer', 'sms:read'),
    summary: 'Numbers that will not be texted, newest first',
  },
  addSmsOptOut: {
    method: 'POST',
    path: tenantPaths('/sms-opt-outs'),
    pathParams: tenantPathSchema,
    body: z.object({ phone: e164PhoneSchema }).strict(),
    responses: { 200: z.object({ success: z.literal(true), opt_out: smsOptOutSchema }), ...errorResponses },
    metadata: tenantRoute('admin', 'settings:write'),
    summary:
      "Stop texting a number (e.g. the caller asked on the phone; audited). There is no way back from here: only the caller's START text opts in again",
  },
});
