import { z } from 'zod';

/**
 * What one call needs to know about its tenant, read once at call start and kept in the call
 * state, so a turn never waits on PostgreSQL. Settings changed mid-call apply from the next call.
 */
export const tenantSnapshotSchema = z.object({
  businessName: z.string(),
  agentName: z.string(),
  greeting: z.string(),
  voiceId: z.string().nullable(),
  personality: z.string(),
  transferNumber: z.string().nullable(),
  speechTimeoutSeconds: z.number().int().positive(),
  openaiModel: z.string().nullable(),
  industry: z.string(),
  templateVersion: z.number().int(),
  /** The pinned template version's promptFragments; null when the definition could not be read. */
  promptFragments: z
    .object({ role: z.string(), guidelines: z.array(z.string()), knownFactsIntro: z.string().optional() })
    .nullable(),
  /** Providers for which the tenant brought its own key (the keys themselves never go to Redis). */
  byokProviders: z.array(z.enum(['openai', 'elevenlabs'])),
});
export type TenantSnapshot = z.infer<typeof tenantSnapshotSchema>;
