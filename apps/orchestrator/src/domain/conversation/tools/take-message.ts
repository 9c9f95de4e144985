import { z } from 'zod';
import { defineTool } from './define-tool';
import { callerNameArg, saveCallerMessage, urgencyArg } from './save-caller-message';

/** Passes on a message for the business (call_messages, kind message). */
export const takeMessage = defineTool({
  name: 'take_message',
  description: 'Record a message from the caller for the business.',
  args: z.object({
    message: z.string().trim().min(1, 'message is required').max(2000).describe('The message, in the caller’s words'),
    caller_name: callerNameArg,
    urgency: urgencyArg,
  }),
  guideline: 'Use take_message to pass on a message; confirm what you recorded.',
  endsTurn: false,
  sideEffect: true,
  async run(context, args) {
    const saved = await saveCallerMessage(context, 'take_message', {
      kind: 'message',
      callerName: args.caller_name ?? undefined,
      message: args.message,
      urgency: args.urgency ?? undefined,
    });
    return saved.ok ? { ok: true, action: 'Took a message for the business.', outcome: 'message_taken' } : saved;
  },
});
