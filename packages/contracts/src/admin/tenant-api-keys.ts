import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { apiKeyScopeSchema, errorResponses, isoDateTime, requiredText, tenantPathSchema, tenantPaths, tenantRoute } from './shared';

const c = initContract();

export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The start of the key (nsk_<customer>-<8 hex>), to recognise it; never the secret. */
  prefix: z.string(),
  scopes: z.array(apiKeyScopeSchema),
  created_by: z.string(),
  created_at: isoDateTime,
  last_used_at: isoDateTime.nullable(),
  revoked_at: isoDateTime.nullable(),
});
export type ApiKeyView = z.infer<typeof apiKeySchema>;

export const createApiKeyRequestSchema = z
  .object({
    name: requiredText('name', 100),
    scopes: z
      .array(apiKeyScopeSchema, { required_error: 'scopes is required', invalid_type_error: 'scopes must be a list of scopes' })
      .min(1, 'scopes must name at least one scope')
      .transform((scopes) => [...new Set(scopes)].sort()),
  })
  .strict();

/**
 * Part of `adminApiContract.tenant`: API keys for the tenant's own developers. A key is sent as
 * `Authorization: Bearer nsk_...` and works on this tenant's routes that name one of its scopes.
 * It is shown once, at creation; only its SHA-256 is stored.
 */
export const tenantApiKeysContract = c.router({
  listApiKeys: {
    method: 'GET',
    path: tenantPaths('/api-keys'),
    pathParams: tenantPathSchema,
    responses: { 200: z.object({ success: z.literal(true), api_keys: z.array(apiKeySchema) }), ...errorResponses },
    metadata: tenantRoute('owner'),
    summary: "The tenant's API keys (revoked ones included), newest first",
  },
  createApiKey: {
    method: 'POST',
    path: tenantPaths('/api-keys'),
    pathParams: tenantPathSchema,
    body: createApiKeyRequestSchema,
    responses: {
      201: z.object({
        success: z.literal(true),
        api_key: apiKeySchema,
        /** The key itself. Shown this once: store it now. */
        key: z.string(),
      }),
      ...errorResponses,
    },
    metadata: tenantRoute('owner'),
    summary: 'Create an API key with scopes (audited); the key is in this answer only',
  },
  revokeApiKey: {
    method: 'DELETE',
    path: tenantPaths('/api-keys/:apiKeyId'),
    pathParams: tenantPathSchema.extend({ apiKeyId: z.string().uuid('apiKeyId must be an API key id (UUID)') }),
    body: c.noBody(),
    responses: { 200: z.object({ success: z.literal(true), api_key: apiKeySchema }), ...errorResponses },
    metadata: tenantRoute('owner'),
    summary: 'Revoke an API key: it stops working at once (audited)',
  },
});
