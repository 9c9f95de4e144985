import {
  businessHoursSchema,
  businessKnowledgeSchema,
  industryTemplateDefinitionSchema,
  sayVoiceFor,
  timeZoneSchema,
  transferScheduleSchema,
} from '@neurosphere/contracts';
import type { IndustryTemplateField } from '@neurosphere/contracts';
import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import type { Logger } from '@neurosphere/http';
import type { z } from 'zod';
import { withTimeout } from '../../lib/timeout';
import type { TenantSnapshot } from './tenant-snapshot';

export interface LoadTenantSnapshotOptions {
  db: Db;
  logger: Logger;
  /** The tenant, from the verified service token. */
  customerId: number;
  /** Prisma's interactive-transaction timeout: the call path cannot wait longer than this. */
  timeoutMs: number;
}

/**
 * The tenant's call settings and its pinned template's prompt fragments, or null when the tenant
 * does not exist (for this role, RLS makes another tenant's row look exactly like that).
 */
export async function loadTenantSnapshot(options: LoadTenantSnapshotOptions): Promise<TenantSnapshot | null> {
  const { db, customerId, timeoutMs } = options;
  const loaded = await withTimeout('load tenant settings', timeoutMs, () =>
    withTenant(
      db,
      customerId,
      async (tx) => {
        const customer = await tx.customer.findUnique({ where: { id: customerId } });
        if (!customer) return null;
        const [template, credentials, smsTemplate] = await Promise.all([
          tx.industryTemplateVersion.findUnique({
            where: { industry_version: { industry: customer.industry, version: customer.templateVersion } },
            select: { definition: true },
          }),
          tx.tenantCredential.findMany({
            where: { customerId, provider: { in: ['openai', 'elevenlabs'] } },
            select: { provider: true },
          }),
          customer.callSmsTemplate
            ? tx.smsTemplate.findUnique({
                where: { customerId_name: { customerId, name: customer.callSmsTemplate } },
                select: { body: true },
              })
            : null,
        ]);
        return { customer, template, credentials, smsTemplate };
      },
      { maxWait: timeoutMs, timeout: timeoutMs },
    ),
  );
  if (!loaded) return null;
  const { customer, template, credentials, smsTemplate } = loaded;
  /** A stored setting that no longer parses is treated as unset (and logged): the call goes on. */
  const setting = <T>(name: string, schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown, unset: T): T => {
    if (value === null || value === undefined) return unset;
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    options.logger.error({ customer_id: customerId, setting: name }, 'stored agent setting is invalid; the call runs without it');
    return unset;
  };

  const definition = industryTemplateDefinitionSchema.safeParse(template?.definition);
  if (!definition.success) {
    // The agent still answers, just without the industry framing; the template needs fixing.
    options.logger.error(
      { customer_id: customerId, industry: customer.industry, templateVersion: customer.templateVersion },
      template ? 'pinned industry template definition is invalid' : 'pinned industry template version not found',
    );
  }

  if (customer.callSmsTemplate && !smsTemplate) {
    options.logger.warn(
      { customer_id: customerId, template: customer.callSmsTemplate },
      'call_sms_template names no SMS template of the tenant; texts go as written',
    );
  }

  return {
    businessName: customer.businessName,
    agentName: customer.agentName,
    greeting: customer.greeting,
    voiceId: customer.voiceId,
    personality: customer.personality,
    transferNumber: customer.transferNumber,
    speechTimeoutSeconds: customer.speechTimeoutSeconds,
    openaiModel: customer.openaiModel,
    industry: customer.industry,
    templateVersion: customer.templateVersion,
    promptFragments: definition.success ? definition.data.promptFragments : null,
    byokProviders: credentials.map((credential) => credential.provider).filter(isByokCallProvider),
    language: customer.language,
    // Every call's clock reads it: a zone this runtime does not know would fail each call, so it falls back to UTC.
    timeZone: setting('time_zone', timeZoneSchema, customer.timeZone, 'UTC'),
    sayVoice: sayVoiceFor(customer.language, customer.sayVoice) ?? null,
    temperature: customer.llmTemperature,
    callerVerification: customer.callerVerification,
    emergencyMessage: customer.emergencyMessage,
    speechHints: [...(definition.success ? (definition.data.speechHints ?? []) : []), ...customer.speechHints],
    smsTemplateBody: smsTemplate?.body ?? null,
    businessHours: setting('business_hours', businessHoursSchema, customer.businessHours, null),
    afterHoursMode: customer.afterHoursMode,
    afterHoursGreeting: customer.afterHoursGreeting,
    transferSchedule: setting('transfer_schedule', transferScheduleSchema, customer.transferSchedule, []),
    knowledge: setting('business_knowledge', businessKnowledgeSchema, customer.businessKnowledge, null),
    callerFields: callerFieldsOf(definition.success ? definition.data.fields : []),
  };
}

function callerFieldsOf(fields: IndustryTemplateField[]): TenantSnapshot['callerFields'] {
  const marked = fields.filter((field) => field.verifiable).map((field) => field.key);
  return { labels: Object.fromEntries(fields.map((field) => [field.key, field.label])), verifiable: marked.length > 0 ? marked : null };
}

function isByokCallProvider(provider: string): provider is 'openai' | 'elevenlabs' {
  return provider === 'openai' || provider === 'elevenlabs';
}
