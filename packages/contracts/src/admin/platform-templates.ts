import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { errorResponseSchema } from '../common';
import { industryTemplateDefinitionSchema } from '../templates';
import { errorResponses, isoDateTime, platformRoute } from './shared';

const c = initContract();

export const templateVersionSchema = z.object({
  id: z.string(),
  industry: z.string(),
  version: z.number().int(),
  published_at: isoDateTime.nullable(),
  created_at: isoDateTime,
  definition: industryTemplateDefinitionSchema,
});

/** Part of `adminApiContract.platform`: the industry template versions tenants are pinned to. */
export const platformTemplatesContract = c.router({
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
    responses: {
      201: z.object({ success: z.literal(true), template_version: templateVersionSchema }),
      ...errorResponses,
      409: errorResponseSchema,
    },
    metadata: platformRoute,
    summary: 'Publish a new industry template version (versions are immutable: an existing one is a 409)',
  },
});
