import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import {
  callerVerificationPolicies,
  callerVerificationPolicySchema,
  languageTagSchema,
  LLM_TEMPERATURE_RANGE,
  sayVoiceSchema,
} from '../agent-settings';
import { e164PhoneSchema } from '../common';
import {
  errorResponses,
  isoDateTime,
  nullableText,
  requiredText,
  tenantPathSchema,
  tenantPaths,
  tenantRoute,
  tenantStatusSchema,
} from './shared';

const c = initContract();

export const agentSettingsSchema = z.object({
  customer_id: z.number().int(),
  business_name: z.string(),
  status: tenantStatusSchema,
  industry: z.string(),
  template_version: z.number().int(),
  agent_name: z.string(),
  greeting: z.string(),
  voice_id: z.string().nullable(),
  personality: z.string(),
  transfer_number: z.string().nullable(),
  speech_timeout_seconds: z.number().int(),
  openai_model: z.string().nullable(),
  help_text: z.string().nullable(),
  sms_ai_reply_enabled: z.boolean(),
  sms_rate_limit_per_minute: z.number().int(),
  /** BCP-47 tag: the caller's expected language (speech recognition) and the fallback voice's. */
  language: z.string(),
  /** Twilio <Say> voice for fallback speech; null: the neural voice for the language. */
  say_voice: z.string().nullable(),
  /** The model's temperature; null: the platform default. */
  llm_temperature: z.number().nullable(),
  /** How a caller proves who they are before the agent uses stored details (none, name, name_and_fact). */
  caller_verification: callerVerificationPolicySchema,
  /** What the agent tells a caller with an emergency; null: the platform's sentence (hang up and dial 911). */
  emergency_message: z.string().nullable(),
  /** Words speech recognition should expect, besides the business and agent names. */
  speech_hints: z.array(z.string()),
  /** The SMS template (sms_templates name) the agent's texts are sent in; {{message}} is the agent's text. */
  call_sms_template: z.string().nullable(),
  /** The chat models this platform allows for openai_model. */
  allowed_openai_models: z.array(z.string()),
  updated_at: isoDateTime,
});
export type AgentSettings = z.infer<typeof agentSettingsSchema>;

const integerIn = (field: string, min: number, max: number) =>
  z
    .number({ required_error: `${field} is required`, invalid_type_error: `${field} must be an integer` })
    .int(`${field} must be an integer`)
    .min(min, `${field} must be between ${min} and ${max}`)
    .max(max, `${field} must be between ${min} and ${max}`);

/** The agent settings a tenant admin may change; every field optional, at least one required. */
const agentSettingsChangesSchema = z
  .object({
    agent_name: requiredText('agent_name', 100),
    greeting: requiredText('greeting', 1000),
    voice_id: nullableText('voice_id', 100),
    personality: z.string({ invalid_type_error: 'personality must be a string' }).max(4000, 'personality must be at most 4000 characters'),
    transfer_number: e164PhoneSchema.nullable(),
    speech_timeout_seconds: integerIn('speech_timeout_seconds', 1, 60),
    openai_model: z
      .string({ invalid_type_error: 'openai_model must be a string' })
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, 'openai_model must be a model id (letters, digits, . _ : -)')
      .nullable(),
    help_text: nullableText('help_text', 320),
    sms_ai_reply_enabled: z.boolean({ invalid_type_error: 'sms_ai_reply_enabled must be true or false' }),
    sms_rate_limit_per_minute: integerIn('sms_rate_limit_per_minute', 1, 600),
    language: languageTagSchema,
    say_voice: sayVoiceSchema.nullable(),
    llm_temperature: z
      .number({ invalid_type_error: 'llm_temperature must be a number' })
      .min(LLM_TEMPERATURE_RANGE.min, `llm_temperature must be between ${LLM_TEMPERATURE_RANGE.min} and ${LLM_TEMPERATURE_RANGE.max}`)
      .max(LLM_TEMPERATURE_RANGE.max, `llm_temperature must be between ${LLM_TEMPERATURE_RANGE.min} and ${LLM_TEMPERATURE_RANGE.max}`)
      .nullable(),
    caller_verification: z.enum(callerVerificationPolicies, {
      errorMap: () => ({ message: 'caller_verification must be none, name or name_and_fact' }),
    }),
    emergency_message: nullableText('emergency_message', 500),
    speech_hints: z
      .array(requiredText('speech_hints[]', 100), { invalid_type_error: 'speech_hints must be a list of words or phrases' })
      .max(50, 'speech_hints may hold at most 50 words or phrases'),
    call_sms_template: nullableText('call_sms_template', 100),
  })
  .partial();
type AgentSettingsChanges = z.infer<typeof agentSettingsChangesSchema>;

/**
 * The agent settings a tenant admin may change; every field optional, at least one required.
 * Unknown fields (e.g. `status`, a platform decision) are refused naming the field, not ignored.
 */
export const updateAgentSettingsRequestSchema = agentSettingsChangesSchema
  .passthrough()
  .superRefine((update, ctx) => {
    const unknownKeys = Object.keys(update).filter((key) => !(key in agentSettingsChangesSchema.shape));
    for (const key of unknownKeys) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: `${key} is not an agent setting that can be changed` });
    }
    if (Object.keys(update).length === 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'at least one setting is required' });
    }
  })
  .transform((update): AgentSettingsChanges =>
    Object.fromEntries(Object.entries(update).filter(([key]) => key in agentSettingsChangesSchema.shape)),
  );
export type UpdateAgentSettingsRequest = z.output<typeof updateAgentSettingsRequestSchema>;

/** Part of `adminApiContract.tenant`: the tenant's agent settings. */
export const tenantSettingsContract = c.router({
  getSettings: {
    method: 'GET',
    path: tenantPaths('/settings'),
    pathParams: tenantPathSchema,
    responses: { 200: z.object({ success: z.literal(true), settings: agentSettingsSchema }), ...errorResponses },
    metadata: tenantRoute('viewer', 'settings:read'),
    summary: 'The agent settings of the tenant',
  },
  updateSettings: {
    method: 'PATCH',
    path: tenantPaths('/settings'),
    pathParams: tenantPathSchema,
    body: updateAgentSettingsRequestSchema,
    responses: { 200: z.object({ success: z.literal(true), settings: agentSettingsSchema }), ...errorResponses },
    metadata: tenantRoute('admin', 'settings:write'),
    summary: 'Change agent settings (audited in the tenant audit log)',
  },
});
