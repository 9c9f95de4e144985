import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { e164PhoneSchema, errorResponseSchema } from '../common';
import {
  adminPasswordSchema,
  cursorSchema,
  emailSchema,
  errorResponses,
  isoDateTime,
  pageLimitSchema,
  platformRoute,
  requiredText,
  tenantPathSchema,
  tenantStatusSchema,
} from './shared';

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

/** Part of `adminApiContract.platform`: onboarding and the lifecycle of tenants. */
export const platformTenantsContract = c.router({
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
});
