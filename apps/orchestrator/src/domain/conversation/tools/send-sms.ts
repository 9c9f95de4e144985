import { z } from 'zod';
import { callDependency, defineTool } from './define-tool';

/** Texts the caller through the sms service; the number is the one the call comes from, never one the model chose. */
export const sendSms = defineTool({
  name: 'send_sms',
  description: 'Send a text message to the number the caller is calling from.',
  args: z.object({ message: z.string().trim().min(1, 'message is required').max(640).describe('The text to send') }),
  guideline: 'Use send_sms only when the caller agrees to receive a text; it always goes to the number they are calling from.',
  endsTurn: false,
  async run(context, args) {
    const { runtime, call } = context;
    const sent = await callDependency(context, { dependency: 'sms', operation: 'send_sms', error: 'the text could not be sent right now' }, () =>
      runtime.sms.sendMessage({
        customerId: call.customerId,
        callSid: call.callSid,
        to: call.callerPhone,
        body: args.message,
        // Same call + same tool call id = same text: a retried request never texts twice.
        idempotencyKey: `${call.callSid}:${context.toolCallId}`,
        timeoutMs: context.timeoutMs(runtime.settings.smsTimeoutMs),
      }),
    );
    return sent.ok ? { ok: true, action: 'Sent the caller a text message.' } : sent;
  },
});
