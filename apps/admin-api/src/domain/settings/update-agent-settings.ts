import { AppError } from '@neurosphere/http';
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
} as const satisfies Record<keyof UpdateAgentSettingsRequest, keyof Customer>;

type Field = keyof typeof COLUMNS;

/**
 * Applies the changes to the tenant's own customers row (app role, RLS) and records what changed,
 * old and new values, in the tenant audit log in the same transaction.
 */
export async function updateAgentSettings(options: UpdateAgentSettingsOptions): Promise<AgentSettings> {
  const { customerId } = options;
  const fields = (Object.keys(options.changes) as Field[]).filter((field) => field in COLUMNS);
  const data: Prisma.CustomerUpdateInput = {};
  for (const field of fields) Object.assign(data, { [COLUMNS[field]]: options.changes[field] });

  return withTenant(options.db, customerId, async (tx) => {
    const before = await tx.customer.findUnique({ where: { id: customerId } });
    if (!before) throw new AppError('NOT_FOUND', 'Tenant not found');
    const after = await tx.customer.update({ where: { id: customerId }, data });
    const changed = Object.fromEntries(
      fields
        .filter((field) => before[COLUMNS[field]] !== after[COLUMNS[field]])
        .map((field) => [field, { from: before[COLUMNS[field]], to: after[COLUMNS[field]] }]),
    );
    await tx.auditLog.create({
      data: { customerId, actor: options.actor, action: 'settings.update', target: `customer:${customerId}`, details: { changed } },
    });
    return toAgentSettings(after);
  });
}
