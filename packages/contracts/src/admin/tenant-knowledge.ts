import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { businessKnowledgeSchema } from '../agent-settings';
import { errorResponses, isoDateTime, tenantPathSchema, tenantPaths, tenantRoute } from './shared';

const c = initContract();

/**
 * What the agent may tell callers about the business (address, services, a bounded list of
 * questions and answers, a note). It answers from these and says it does not know otherwise.
 */
export const businessKnowledgeSettingsSchema = z.object({
  customer_id: z.number().int(),
  knowledge: businessKnowledgeSchema,
  updated_at: isoDateTime,
});
export type BusinessKnowledgeSettings = z.infer<typeof businessKnowledgeSettingsSchema>;

export const putBusinessKnowledgeRequestSchema = businessKnowledgeSchema;
export type PutBusinessKnowledgeRequest = z.output<typeof putBusinessKnowledgeRequestSchema>;

/** Part of `adminApiContract.tenant`: the business facts the agent answers from. */
export const tenantKnowledgeContract = c.router({
  getBusinessKnowledge: {
    method: 'GET',
    path: tenantPaths('/knowledge'),
    pathParams: tenantPathSchema,
    responses: { 200: z.object({ success: z.literal(true), knowledge: businessKnowledgeSettingsSchema }), ...errorResponses },
    metadata: tenantRoute('viewer', 'settings:read'),
    summary: 'The business facts the agent answers from',
  },
  putBusinessKnowledge: {
    method: 'PUT',
    path: tenantPaths('/knowledge'),
    pathParams: tenantPathSchema,
    body: putBusinessKnowledgeRequestSchema,
    responses: { 200: z.object({ success: z.literal(true), knowledge: businessKnowledgeSettingsSchema }), ...errorResponses },
    metadata: tenantRoute('admin', 'settings:write'),
    summary: 'Replace the business facts the agent answers from (audited)',
  },
});
