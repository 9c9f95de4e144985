import { z } from 'zod';
import { PLATFORM_PHRASES } from '../platform-phrases';
import { defineTool } from './define-tool';

/** Says goodbye and hangs up. */
export const endCall = defineTool({
  name: 'end_call',
  description: 'End the call after saying goodbye.',
  args: z.object({ closing_line: z.string().trim().max(500).nullable().describe('The last sentence to say; null for a plain goodbye') }),
  guideline: 'Use end_call when the caller says goodbye or has nothing else.',
  endsTurn: 'hangup',
  sideEffect: false,
  run: async (_context, args) => ({
    ok: true,
    outcome: 'completed',
    say: args.closing_line || PLATFORM_PHRASES.goodbye,
  }),
});
