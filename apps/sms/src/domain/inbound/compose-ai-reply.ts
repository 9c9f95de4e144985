import type { Logger } from '@neurosphere/http';
import type OpenAI from 'openai';
import type { MemoryContextClient } from '../../clients/memory-client';
import { MAX_SMS_BODY_LENGTH } from '../templates/render-template';

/** Everything an AI reply needs from outside; either part may be missing (then: no reply / no context). */
export interface AiReplyDeps {
  /** The platform's client; null: OPENAI_API_KEY not configured, so no AI replies for tenants without their own key. */
  openai: OpenAI | null;
  /** A client for a tenant's own OpenAI key (BYOK); absent: tenants' own keys are not used for texts. */
  openaiWithKey?: (apiKey: string) => OpenAI;
  /** null: MEMORY_URL not configured, so replies without caller context. */
  memory: MemoryContextClient | null;
  /** Model when the tenant has no customers.openai_model. */
  defaultModel: string;
  openaiTimeoutMs: number;
  logger: Logger;
}

export interface ComposeAiReplyOptions {
  customerId: number;
  callerPhone: string;
  tenant: { businessName: string; agentName: string; personality: string; openaiModel: string | null };
  /** The tenant's own OpenAI key (decrypted), when it has one: its texts are written on its account. */
  tenantOpenAiKey: string | null;
  /** The conversation so far, oldest first, ending with the text being answered. */
  conversation: Array<{ direction: 'inbound' | 'outbound'; body: string }>;
}

/**
 * Drafts a reply to an inbound text as the tenant's agent, with the same caller memory as calls.
 * Degrades quietly: no memory context → reply without it; any OpenAI failure → null (no reply).
 */
export async function composeAiReply(deps: AiReplyDeps, options: ComposeAiReplyOptions): Promise<string | null> {
  const { logger } = deps;
  const openai = options.tenantOpenAiKey && deps.openaiWithKey ? deps.openaiWithKey(options.tenantOpenAiKey) : deps.openai;
  if (!openai) return null;
  const { customerId, tenant } = options;

  let callerContext = '';
  if (deps.memory) {
    try {
      callerContext = await deps.memory.promptContext({ customerId, callerPhone: options.callerPhone });
    } catch (error) {
      logger.warn(
        {
          event: 'degraded',
          dependency: 'memory',
          reason: errorText(error),
          customer_id: customerId,
          counter: 'memory_context_unavailable_total',
        },
        'sms AI reply without caller context',
      );
    }
  }

  const system = [
    `You are ${tenant.agentName}, answering text messages for ${tenant.businessName}.`,
    tenant.personality,
    'Reply as a text message: plain text, friendly, at most two short sentences. Never invent facts, prices or appointments.',
    callerContext ? `What you know about this person:\n${callerContext}` : '',
  ]
    .filter((part) => part.trim() !== '')
    .join('\n\n');

  try {
    const completion = await openai.chat.completions.create(
      {
        model: tenant.openaiModel ?? deps.defaultModel,
        messages: [
          { role: 'system', content: system },
          ...options.conversation.map((turn) => ({
            role: turn.direction === 'inbound' ? ('user' as const) : ('assistant' as const),
            content: turn.body,
          })),
        ],
        max_tokens: 200,
      },
      { timeout: deps.openaiTimeoutMs, maxRetries: 0 },
    );
    const text = completion.choices[0]?.message.content?.trim();
    return text ? text.slice(0, MAX_SMS_BODY_LENGTH) : null;
  } catch (error) {
    logger.warn(
      { event: 'degraded', dependency: 'openai', reason: errorText(error), customer_id: customerId, counter: 'sms_ai_reply_failed_total' },
      'sms AI reply failed: no reply',
    );
    return null;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
