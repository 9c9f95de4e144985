import { parsePhoneNumberWithError } from 'libphonenumber-js';
import { z } from 'zod';
import { transferTargetAt } from '../../tenants/business-hours';
import { PLATFORM_PHRASES } from '../platform-phrases';
import { defineTool } from './define-tool';
import type { ToolCall } from './define-tool';

/**
 * Where a transfer goes now, or null while nobody can take it. Someone can when the business is
 * open (or has no hours), a number is set for this time, no transfer already went unanswered on
 * this call, and the tenant does not take messages only after hours.
 */
export function transferNumberFor(call: ToolCall, now: Date): string | null {
  if (call.transferFailed) return null;
  if (call.afterHours && call.tenant.afterHoursMode === 'messages_only') return null;
  const target = transferTargetAt(call.tenant, now);
  return 'number' in target ? target.number : null;
}

export function canTransfer(call: ToolCall, now: Date): boolean {
  return transferNumberFor(call, now) !== null;
}

/** What the person answering hears before the caller is connected: who is calling, and why. */
export function whisperFor(call: ToolCall, args: { reason: string; caller_name: string | null }): string {
  const who = args.caller_name ? args.caller_name : 'a caller';
  const from = call.callerPhone ? ` at ${digitsToRead(call.callerPhone)}` : ' with a withheld number';
  return `Call for ${call.tenant.businessName} from ${who}${from}. ${args.reason.replace(/[.!?]*$/, '.')} Connecting you now.`;
}

/** A phone number as <Say> should read it: digit by digit, in the country's groups ("2 1 2, 5 5 5, 0 1 2 3"). */
function digitsToRead(e164: string): string {
  let national = e164;
  try {
    national = parsePhoneNumberWithError(e164).formatNational();
  } catch {
    // Read as stored.
  }
  return national
    .split(/\D+/)
    .filter(Boolean)
    .map((group) => group.split('').join(' '))
    .join(', ');
}

const NOBODY_TO_TAKE_IT = 'no one is available for a transfer right now; offer to take a message';

/** Hands the call to a person. The number dialled is the tenant's own for this time, never one the model chose. */
export const transferToHuman = defineTool({
  name: 'transfer_to_human',
  description: 'Transfer the call to a person at the business.',
  args: z.object({
    reason: z
      .string()
      .trim()
      .min(1, 'reason is required: say briefly why the caller needs a person')
      .max(300)
      .describe('Why the caller needs a person, in a few words'),
    caller_name: z.string().trim().max(200).nullable().describe('The caller’s name, if they gave it; otherwise null'),
  }),
  guideline: 'When the caller asks for a person, or needs something you cannot do, use transfer_to_human.',
  endsTurn: 'transfer',
  sideEffect: false,
  available: canTransfer,
  unavailable: {
    guideline: 'Nobody is available for live transfers right now; offer to take a message or arrange a callback instead.',
    error: NOBODY_TO_TAKE_IT,
  },
  async run(context, args) {
    const number = transferNumberFor(context.call, context.now);
    if (!number) return { ok: false, error: NOBODY_TO_TAKE_IT };
    return {
      ok: true,
      action: 'Transferred the call to a person.',
      outcome: 'transferred',
      say: PLATFORM_PHRASES.transferring,
      transfer: { number, whisper: whisperFor(context.call, args) },
    };
  },
});
