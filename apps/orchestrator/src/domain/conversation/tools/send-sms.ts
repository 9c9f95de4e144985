import { replaceTemplatePlaceholders, templatePlaceholders } from '@neurosphere/contracts';
import { UpstreamError } from '@neurosphere/http';
import { z } from 'zod';
import { PLATFORM_PHRASES } from '../platform-phrases';
import { defineTool } from './define-tool';
import type { ToolCall } from './define-tool';

/** The sms service's answer for a recipient who replied STOP to this business (contracts: smsApiContract 422). */
const RECIPIENT_OPTED_OUT = 'RECIPIENT_OPTED_OUT';

/** Whether the sms service refused the text because the caller opted out (422 with code RECIPIENT_OPTED_OUT). */
function isRecipientOptedOut(error: unknown): boolean {
  return error instanceof UpstreamError && error.code === RECIPIENT_OPTED_OUT;
}

/**
 * The text as the caller receives it: inside the tenant's SMS template when it has one
 * ({{message}} is the agent's text, {{business_name}} and {{agent_name}} the tenant's), else as
 * written. A template with other placeholders cannot be filled here, so the text goes as written.
 */
export function composeText(tenant: ToolCall['tenant'], message: string): string {
  const template = tenant.smsTemplateBody;
  if (!template) return message;
  const values: Record<string, string> = { message, business_name: tenant.businessName, agent_name: tenant.agentName };
  if (!templatePlaceholders(template).every((name) => name in values)) return message;
  // The same placeholder grammar as the check above, so every placeholder it accepted is filled.
  return replaceTemplatePlaceholders(template, ({ key }) => values[key] ?? '').trim();
}

/** Texts the caller through the sms service; the number is the one the call comes from, never one the model chose. */
export const sendSms = defineTool({
  name: 'send_sms',
  description: 'Send a text message to the number the caller is calling from, after they agreed to receive it.',
  args: z.object({
    message: z.string().trim().min(1, 'message is required').max(640).describe('The text to send'),
    consent: z
      .boolean()
      .refine((given) => given, 'consent must be true: ask the caller whether they want the text, and send it only after they say yes')
      .describe('True only when the caller said yes to receiving this text'),
  }),
  guideline:
    'Use send_sms only after the caller says yes to receiving a text (consent true); it always goes to the number they are calling from.',
  endsTurn: false,
  sideEffect: true,
  available: (call) => call.callerPhone !== null,
  unavailable: { error: 'the caller’s number is withheld, so no text can be sent on this call' },
  async run(context, args) {
    const { runtime, call } = context;
    if (!call.callerPhone) return { ok: false, error: 'the caller’s number is withheld, so no text can be sent on this call' };
    try {
      await runtime.sms.sendMessage({
        customerId: call.customerId,
        callSid: call.callSid,
        to: call.callerPhone,
        body: composeText(call.tenant, args.message),
        // The same text in the same call has the same key: a repeated request never texts twice.
        idempotencyKey: `${call.callSid}:sms:${context.effectKey}`,
        timeoutMs: context.timeoutMs(runtime.settings.smsTimeoutMs),
      });
    } catch (error) {
      // Not a failure of ours: the caller asked this business to stop texting them, and is told so.
      if (isRecipientOptedOut(error)) {
        return {
          ok: false,
          error:
            'not sent: this caller opted out of texts from this business (they replied STOP). Tell them so; texting START to this business’s number turns texts back on',
          say: PLATFORM_PHRASES.textOptedOut,
        };
      }
      runtime.failures.dependencyFailed({
        dependency: 'sms',
        error,
        customerId: call.customerId,
        callSid: call.callSid,
        operation: 'send_sms',
      });
      return { ok: false, error: 'the text could not be sent right now (a problem on our side)', say: PLATFORM_PHRASES.textNotSent };
    }
    return { ok: true, action: 'Sent the caller a text message.' };
  },
});
