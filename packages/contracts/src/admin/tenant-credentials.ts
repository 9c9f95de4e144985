import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { errorResponses, isoDateTime, tenantPathSchema, tenantPaths, tenantRoute } from './shared';
import { secretInputSchema, twilioAccountSidSchema, twilioErrorResponses } from './twilio-shared';

const c = initContract();

/** The providers a tenant may bring its own key for. */
export const credentialProviders = ['twilio', 'openai', 'elevenlabs'] as const;
export const credentialProviderSchema = z.enum(credentialProviders);

/** All that is ever shown of a stored key: never the key itself. */
export const tenantCredentialSchema = z.object({
  provider: credentialProviderSchema,
  /** Non-secret account identifier (the Twilio Account SID); null for API keys. */
  account_identifier: z.string().nullable(),
  last_four: z.string().nullable(),
  verified_at: isoDateTime.nullable(),
  updated_at: isoDateTime,
});
export type TenantCredentialView = z.infer<typeof tenantCredentialSchema>;

/** A key to set or rotate: the secret (Twilio auth token, API key) and, for Twilio, the Account SID. */
export const setCredentialRequestSchema = z
  .object({
    secret: secretInputSchema('secret'),
    account_sid: twilioAccountSidSchema.optional(),
  })
  .strict();

const credentialPathSchema = tenantPathSchema.extend({ provider: credentialProviderSchema });
const credentialResponse = z.object({ success: z.literal(true), credential: tenantCredentialSchema });

/**
 * Part of `adminApiContract.tenant`: the tenant's own provider keys (BYOK), owners only. The routes
 * are write-only: a key is checked with the provider before it is stored (encrypted), and only its
 * kind, last four characters and when it was verified ever come back. Every service uses the
 * tenant's key where one is set. Twilio keys are the tenant's own account: setting one makes it the
 * account the tenant's new numbers go into.
 */
export const tenantCredentialsContract = c.router({
  listCredentials: {
    method: 'GET',
    path: tenantPaths('/credentials'),
    pathParams: tenantPathSchema,
    responses: { 200: z.object({ success: z.literal(true), credentials: z.array(tenantCredentialSchema) }), ...errorResponses },
    metadata: tenantRoute('owner'),
    summary: 'The tenant’s own provider keys (kind, last four characters, verified_at; never the key)',
  },
  setCredential: {
    method: 'PUT',
    path: tenantPaths('/credentials/:provider'),
    pathParams: credentialPathSchema,
    body: setCredentialRequestSchema,
    responses: { 200: credentialResponse, ...errorResponses, ...twilioErrorResponses },
    metadata: tenantRoute('owner'),
    summary: 'Set a provider key (checked with the provider first, stored encrypted)',
  },
  rotateCredential: {
    method: 'POST',
    path: tenantPaths('/credentials/:provider/rotate'),
    pathParams: credentialPathSchema,
    body: setCredentialRequestSchema,
    responses: { 200: credentialResponse, ...errorResponses, ...twilioErrorResponses },
    metadata: tenantRoute('owner'),
    summary: 'Replace a stored key with a new one (checked first; the old one stays until the new one passes)',
  },
  verifyCredential: {
    method: 'POST',
    path: tenantPaths('/credentials/:provider/verify'),
    pathParams: credentialPathSchema,
    body: z.object({}).strict().optional(),
    responses: { 200: credentialResponse, ...errorResponses, ...twilioErrorResponses },
    metadata: tenantRoute('owner'),
    summary: 'Check the stored key with the provider again (updates verified_at; 422 naming the cause when refused)',
  },
  removeCredential: {
    method: 'DELETE',
    path: tenantPaths('/credentials/:provider'),
    pathParams: credentialPathSchema,
    body: z.object({}).strict().optional(),
    responses: { 200: z.object({ success: z.literal(true) }), ...errorResponses, 409: twilioErrorResponses[409] },
    metadata: tenantRoute('owner'),
    summary: 'Remove a stored key (the platform’s key is used again); a Twilio account that still has numbers cannot be removed (409)',
  },
});
