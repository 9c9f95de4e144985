import {
  afterHoursModeSchema,
  businessHoursSchema,
  businessKnowledgeSchema,
  callerVerificationPolicySchema,
  transferScheduleSchema,
} from '@neurosphere/contracts';
import { z } from 'zod';

/**
 * What one call needs to know about its tenant, read once at call start and kept in the call
 * state, so a turn never waits on PostgreSQL. Settings changed mid-call apply from the next call.
 *
 * Fields added after the first release have defaults, so a call state written by the previous
 * release still loads during a rolling deploy.
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
  promptFragments: z.object({ role: z.string(), guidelines: z.array(z.string()), knownFactsIntro: z.string().optional() }).nullable(),
  /** Providers for which the tenant brought its own key (the keys themselves never go to Redis). */
  byokProviders: z.array(z.enum(['openai', 'elevenlabs'])),
  /** BCP-47 tag of the callers' language: speech recognition and fallback speech. */
  language: z.string().default('en-US'),
  /** IANA time zone of the business. */
  timeZone: z.string().default('UTC'),
  /** Twilio <Say> voice for fallback speech (the tenant's choice, else the neural voice of the language); null: Twilio's default. */
  sayVoice: z.string().nullable().default(null),
  /** The model's temperature; null: the platform default. */
  temperature: z.number().nullable().default(null),
  callerVerification: callerVerificationPolicySchema.default('name_and_fact'),
  /** The tenant's emergency sentence; null: the platform's. */
  emergencyMessage: z.string().nullable().default(null),
  /** Words speech recognition should expect: the template's and the tenant's. */
  speechHints: z.array(z.string()).default([]),
  /** Body of the tenant's SMS template for the agent's texts ({{message}} is the text); null: texts go as written. */
  smsTemplateBody: z.string().nullable().default(null),
  /** Weekly hours and holidays; null: always open. */
  businessHours: businessHoursSchema.nullable().default(null),
  afterHoursMode: afterHoursModeSchema.default('answer'),
  afterHoursGreeting: z.string().nullable().default(null),
  transferSchedule: transferScheduleSchema.default([]),
  /** The pinned template's caller fields: their labels, and which ones a caller may name to prove who they are (null: any). */
  callerFields: z
    .object({ labels: z.record(z.string()), verifiable: z.array(z.string()).nullable() })
    .default({ labels: {}, verifiable: null }),
  /** What the agent may say about the business; null: nothing beyond its name and hours. */
  knowledge: businessKnowledgeSchema.nullable().default(null),
});
export type TenantSnapshot = z.output<typeof tenantSnapshotSchema>;
