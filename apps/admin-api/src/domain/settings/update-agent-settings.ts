import { isDeepStrictEqual } from 'node:util';
import { AppError, validationError } from '@neurosphere/http';
import { withTenant } from '@neurosphere/db';
import type { Customer, Db, Prisma } from '@neurosphere/db';
import type { AgentSettings, UpdateAgentSettingsRequest } from '@neurosphere/contracts';
import { toAgentSettings } from './agent-settings';

export interface UpdateAgentSettingsOptions {
  db: Db;
  customerId: number;
  /** Audit actor: admin:<id> or api_key:<id>. */
  actor: string;
  /** Validated by updateAgentSettingsRequestSchema: only the fields to change. */
  changes: UpdateAgentSettingsRequest;
  /** The chat models the platform allows for openai_model. */
  allowedModels: readonly string[];
}

/** Wire field → customers column; also the whitelist of what a tenant admin may change. */
const COLUMNS = {
  agent_name: 'agentName',
  greeting: 'greeting',
  voice_id: 'voiceId',
  personality: 'personality',
  transfer_number: 'transferNumber',
  speech_timeout_seconds: 'speechTimeoutSeconds',
  openai_model: 'openaiModel',
  help_text: 'helpText',
  sms_ai_reply_enabled: 'smsAiReplyEnabled',
  sms_rate_limit_per_minute: 'smsRateLimitPerMinute',
  language: 'language',
  say_voice: 'sayVoice',
  llm_temperature: 'llmTemperature',
  caller_verification: 'callerVerification',
  emergency_message: 'emergencyMessage',
  speech_hints: 'speechHints',
  call_sms_template: 'callSmsTemplate',
} as const satisfies Record<keyof UpdateAgentSettingsRequest, keyof Customer>;

type Field = keyof typeof COLUMNS;

/**
 * Applies the changes to the tenant's own customers row (app role, RLS) and records what changed,
 * old and new values, in the tenant audit log in the same transaction. A model the platform does
 * not allow, or an SMS template the tenant does not have, is refused before anything is written.
 */
export async function updateAgentSettings(options: UpdateAgentSettingsOptions): Promise<AgentSettings> {
  const { customerId, changes, allowedModels } = options;
  const fields = (Object.keys(changes) as Field[]).filter((field) => field in COLUMNS);
  const data: Prisma.CustomerUpdateInput = {};
  for (const field of fields) Object.assign(data, { [COLUMNS[field]]: changes[field] });
  if (changes.openai_model && !allowedModels.includes(changes.openai_model)) {
    throw validationError([
      { path: 'body.openai_model', message: `openai_model must be one of the models this platform allows: ${allowedModels.join(', ')}` },
    ]);
  }

  return withTenant(options.db, customerId, async (tx) => {
    const before = await tx.customer.findUnique({ where: { id: customerId } });
    if (!before) throw new AppError('NOT_FOUND', 'Tenant not found');
    if (changes.call_sms_template) {
      const template = await tx.smsTemplate.findUnique({
        where: { customerId_name: { customerId, name: changes.call_sms_template } },
        select: { id: true },
      });
      if (!template) {
        throw validationError([
          {
            path: 'body.call_sms_template',
            message: `call_sms_template must name one of this tenant's SMS templates; "${changes.call_sms_template}" is not one`,
          },
        ]);
      }
    }
    const after = await tx.customer.update({ where: { id: customerId }, data });
    const changed = Object.fromEntries(
      fields
        .filter((field) => !isDeepStrictEqual(before[COLUMNS[field]], after[COLUMNS[field]]))
        .map((field) => [field, { from: before[COLUMNS[field]], to: after[COLUMNS[field]] }]),
    );
    await tx.auditLog.create({
      data: { customerId, actor: options.actor, action: 'settings.update', target: `customer:${customerId}`, details: { changed } },
    });
    return toAgentSettings(after, allowedModels);
  });
}
