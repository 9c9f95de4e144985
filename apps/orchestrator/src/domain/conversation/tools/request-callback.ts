import type { CountryCode } from 'libphonenumber-js';
import { parsePhoneNumberWithError } from 'libphonenumber-js';
import { z } from 'zod';
import { spokenDigits } from '../../callers/match-caller-identity';
import { defineTool } from './define-tool';
import { saveCallerMessage, urgencyArg } from './save-caller-message';

/** "this number", "the same one", "the one I'm calling from": the caller means their own number. */
const OWN_NUMBER_PATTERN = /\b(this|same|current|calling from|caller id|my (cell|mobile|phone|number))\b/i;

/**
 * The number to call back: the caller's own (when they say "this number") or the digits they
 * gave, in E.164 (numbers without a country code are read in the tenant's country, from its
 * language tag). The result is what the model reads back to the caller.
 */
export function resolveCallbackNumber(
  said: string,
  callerPhone: string | null,
  language: string,
): { number: string; readBack: string } | { error: string } {
  const digits = spokenDigits(said);
  if (digits.length < 7 && OWN_NUMBER_PATTERN.test(said)) {
    if (!callerPhone) return { error: 'the caller’s number is withheld, so "this number" cannot be used: ask for the number to call back' };
    return { number: callerPhone, readBack: formatForReading(callerPhone) };
  }
  const region = (language.split('-').at(-1) ?? 'US').toUpperCase() as CountryCode;
  try {
    const parsed = parsePhoneNumberWithError(said.trim().startsWith('+') ? `+${digits}` : digits, region);
    if (parsed.isValid()) return { number: parsed.number, readBack: parsed.formatInternational() };
  } catch {
    // Reported below, the same way as a number that parses but does not exist.
  }
  return { error: `"${said}" is not a complete phone number: ask the caller for it again, then read it back digit by digit` };
}

function formatForReading(e164: string): string {
  try {
    return parsePhoneNumberWithError(e164).formatInternational();
  } catch {
    return e164;
  }
}

/** Asks the business to call the caller back (call_messages, kind callback, with the number and the time the caller gave). */
export const requestCallback = defineTool({
  name: 'request_callback',
  description: 'Record that the caller wants to be called back.',
  args: z.object({
    reason: z.string().trim().min(1, 'reason is required').max(2000).describe('What the callback is about'),
    caller_name: z
      .string()
      .trim()
      .min(1, 'caller_name is required: ask the caller for their name first')
      .max(200)
      .describe('The caller’s name'),
    callback_number: z
      .string()
      .trim()
      .min(1, 'callback_number is required: ask which number to call back')
      .max(60)
      .describe('The number to call back, as the caller said it, or "this number" for the number they are calling from'),
    callback_time: z
      .string()
      .trim()
      .max(200)
      .nullable()
      .describe('When to call back, as an actual date and time (not "tomorrow"); null if any time'),
    urgency: urgencyArg,
  }),
  guideline:
    'Use request_callback when the caller wants to be called back: you need their name and the number to call (offer the number they are calling from); read the number back digit by digit, and confirm what you recorded.',
  endsTurn: false,
  sideEffect: true,
  async run(context, args) {
    const { call } = context;
    const callback = resolveCallbackNumber(args.callback_number, call.callerPhone, call.tenant.language);
    if ('error' in callback) return { ok: false, error: callback.error };
    const saved = await saveCallerMessage(context, 'request_callback', {
      kind: 'callback',
      callerName: args.caller_name,
      message: args.reason,
      callbackTime: args.callback_time ?? undefined,
      callbackNumber: callback.number,
      urgency: args.urgency ?? undefined,
    });
    if (!saved.ok) return saved;
    return {
      ok: true,
      action: 'Recorded a callback request.',
      outcome: 'callback_requested',
      reply: { callback_number: callback.readBack },
    };
  },
});
