import { z } from 'zod';
import { defineTool } from './define-tool';
import { callerNameArg, saveCallerMessage } from './save-caller-message';

/** Asks the business to call the caller back (call_messages, kind callback, with the time the caller gave). */
export const requestCallback = defineTool({
  name: 'request_callback',
  description: 'Record that the caller wants to be called back.',
  args: z.object({
    reason: z.string().trim().min(1, 'reason is required').max(2000).describe('What the callback is about'),
    caller_name: callerNameArg,
    callback_time: z.string().trim().max(200).optional().describe('When to call back, as the caller said it'),
  }),
  guideline: 'Use request_callback when the caller wants to be called back; confirm what you recorded.',
  endsTurn: false,
  async run(context, args) {
    const saved = await saveCallerMessage(context, 'request_callback', {
      kind: 'callback',
      callerName: args.caller_name,
      message: args.reason,
      callbackTime: args.callback_time,
    });
    return saved.ok ? { ok: true, action: 'Recorded a callback request.', outcome: 'callback_requested' } : saved;
  },
});
