import { z } from 'zod';

// The parts of Twilio's webhook forms the gateway uses (Twilio sends many more; they are ignored
// here but still covered by the signature).

const required = (field: string) => z.string({ required_error: `${field} is required` }).min(1, `${field} is required`);
const optionalText = z.string().optional();

export const incomingCallFormSchema = z.object({
  CallSid: required('CallSid'),
  From: z.string({ required_error: 'From is required' }),
  To: required('To'),
});

export const callTurnFormSchema = z.object({
  CallSid: required('CallSid'),
  To: required('To'),
  /** Absent when the caller said nothing before the gather timed out. */
  SpeechResult: optionalText,
  Confidence: optionalText,
  /** Keypad digits, when the caller pressed keys instead of speaking. */
  Digits: optionalText,
});

/** Twilio's request to a <Dial action>: how the transfer ended. */
export const dialActionFormSchema = z.object({
  CallSid: required('CallSid'),
  To: required('To'),
  /** completed, answered, busy, no-answer, failed or canceled. */
  DialCallStatus: required('DialCallStatus'),
});

/** The whisper's words, from the URL the gateway gave Twilio (covered by the signature). */
export const whisperQuerySchema = z.object({
  text: z.string().min(1, 'text is required').max(1000),
  voice: z.string().max(100).optional(),
  language: z.string().max(20).optional(),
});

export const callStatusFormSchema = z.object({
  CallSid: required('CallSid'),
  To: required('To'),
  CallStatus: required('CallStatus'),
  CallDuration: z.string().regex(/^\d+$/, 'CallDuration must be a whole number of seconds').transform(Number).optional(),
});

export const inboundSmsFormSchema = z.object({
  MessageSid: required('MessageSid'),
  From: required('From'),
  To: required('To'),
  /** Empty for a picture-only message. */
  Body: z.string().default(''),
});

export const smsStatusFormSchema = z
  .object({
    MessageSid: required('MessageSid'),
    /** Twilio sends MessageStatus; older callbacks also SmsStatus. */
    MessageStatus: optionalText,
    SmsStatus: optionalText,
    ErrorCode: optionalText,
    ErrorMessage: optionalText,
  })
  .transform((form, ctx) => {
    const status = form.MessageStatus || form.SmsStatus;
    if (!status) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['MessageStatus'], message: 'MessageStatus is required' });
      return z.NEVER;
    }
    return { ...form, MessageStatus: status };
  });

/** Call statuses after which Twilio sends no more webhooks for the call. */
export const FINAL_CALL_STATUSES: ReadonlySet<string> = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);
