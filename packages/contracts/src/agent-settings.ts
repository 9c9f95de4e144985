import { z } from 'zod';
import { e164PhoneSchema } from './common';

/**
 * The shapes of the agent settings that are more than one column: business hours, transfer
 * numbers by time of day and business knowledge. admin-api validates them on every write, the
 * database stores them as JSON, and the orchestrator parses them again when a call starts (a row
 * that no longer parses is treated as unset, never guessed at). Field names are snake_case
 * because this JSON is both the wire format and the stored one.
 */

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const weekdaySchema = z.enum(weekdays);
export type Weekday = z.infer<typeof weekdaySchema>;

const TIME_OF_DAY = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** "HH:MM" on a 24-hour clock; "24:00" is the end of a day. */
export const timeOfDaySchema = z
  .string({ invalid_type_error: 'must be a time like 09:00' })
  .regex(TIME_OF_DAY, 'must be a time like 09:00 (24-hour clock, 00:00 to 24:00)');

/** `start` comes before `end` (checked only once both are well-formed times: one problem, one message). */
const inOrder = (start: string, end: string) =>
  !TIME_OF_DAY.test(start) || !TIME_OF_DAY.test(end) || minutesOfDay(start) < minutesOfDay(end);

/** Minutes since midnight of an "HH:MM" time. */
export function minutesOfDay(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

const openingSchema = z
  .object({ open: timeOfDaySchema, close: timeOfDaySchema })
  .strict()
  .refine((opening) => inOrder(opening.open, opening.close), {
    message: 'open must be before close (an opening cannot cross midnight: split it into two days)',
    path: ['close'],
  });

const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-12-25')
  // Date.parse rolls an impossible day over ("2026-02-30" is March 2), so the date must come back unchanged.
  .refine((date) => {
    const parsed = new Date(`${date}T00:00:00Z`);
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
  }, 'is not a real date');

/**
 * When the business is open, in its own time zone: per weekday a few openings ("09:00"-"12:00",
 * "13:00"-"17:00"); a weekday without openings is closed. Holidays are closed all day.
 */
export const businessHoursSchema = z
  .object({
    weekly: z
      .object(
        Object.fromEntries(weekdays.map((day) => [day, z.array(openingSchema).max(4, 'at most 4 openings a day').optional()])) as Record<
          Weekday,
          z.ZodOptional<z.ZodArray<typeof openingSchema>>
        >,
      )
      .strict(),
    holidays: z.array(isoDateSchema).max(60, 'at most 60 holidays').default([]),
  })
  .strict();
export type BusinessHours = z.infer<typeof businessHoursSchema>;

/** One rule of the transfer schedule: on these days, between these times, transfers go to `number`. */
export const transferRuleSchema = z
  .object({
    days: z.array(weekdaySchema).min(1, 'days must name at least one weekday'),
    from: timeOfDaySchema,
    to: timeOfDaySchema,
    number: e164PhoneSchema,
  })
  .strict()
  .refine((rule) => inOrder(rule.from, rule.to), { message: 'from must be before to', path: ['to'] });

/** Transfer numbers by time of day: the first rule that matches wins; otherwise the tenant's transfer_number. */
export const transferScheduleSchema = z.array(transferRuleSchema).max(20, 'at most 20 transfer rules');
export type TransferSchedule = z.infer<typeof transferScheduleSchema>;

const knowledgeText = (field: string, max: number) =>
  z
    .string({ invalid_type_error: `${field} must be a string` })
    .trim()
    .min(1, `${field} must not be empty`)
    .max(max, `${field} must be at most ${max} characters`);

/** The most question-and-answer pairs a tenant may give the agent: the prompt stays small and fast. */
export const MAX_KNOWLEDGE_QUESTIONS = 25;

/** What the agent may tell callers about the business, besides its hours. */
export const businessKnowledgeSchema = z
  .object({
    address: knowledgeText('address', 300).nullable().default(null),
    services: z.array(knowledgeText('services[]', 200)).max(30, 'at most 30 services').default([]),
    faq: z
      .array(z.object({ question: knowledgeText('question', 300), answer: knowledgeText('answer', 1000) }).strict())
      .max(MAX_KNOWLEDGE_QUESTIONS, `at most ${MAX_KNOWLEDGE_QUESTIONS} questions`)
      .default([]),
    /** Anything else worth knowing (parking, payment methods...), as one short paragraph. */
    notes: knowledgeText('notes', 2000).nullable().default(null),
  })
  .strict();
export type BusinessKnowledge = z.infer<typeof businessKnowledgeSchema>;

/**
 * How a caller proves who they are before the agent may use what is stored about them: `none`
 * (the number is enough: the tenant's choice), `name` (the full name on file), `name_and_fact`
 * (the name plus one stored detail, such as a city or a date of birth).
 */
export const callerVerificationPolicies = ['none', 'name', 'name_and_fact'] as const;
export const callerVerificationPolicySchema = z.enum(callerVerificationPolicies);
export type CallerVerificationPolicy = z.infer<typeof callerVerificationPolicySchema>;

/** Outside business hours the agent either answers as usual (with the after-hours greeting, if any) or only takes messages. */
export const afterHoursModes = ['answer', 'messages_only'] as const;
export const afterHoursModeSchema = z.enum(afterHoursModes);
export type AfterHoursMode = z.infer<typeof afterHoursModeSchema>;

/** An IANA time zone this runtime knows (e.g. America/Chicago, Europe/Paris, UTC). */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneSchema = z
  .string({ invalid_type_error: 'time_zone must be a string' })
  .trim()
  .refine(isTimeZone, 'time_zone must be an IANA time zone such as America/New_York or Europe/Paris');

/** A BCP-47 language tag with a region, as Twilio's speech recognition takes it (en-US, es-MX, fr-CA). */
export const languageTagSchema = z
  .string({ invalid_type_error: 'language must be a string' })
  .trim()
  .regex(/^[a-z]{2,3}(?:-[A-Za-z]{4})?-[A-Z]{2}$/, 'language must be a language tag with a region, such as en-US or es-MX');

/** Twilio's <Say> voice names: Amazon Polly (Polly.Joanna-Neural) or Google (Google.en-US-Neural2-F). */
export const sayVoiceSchema = z
  .string({ invalid_type_error: 'say_voice must be a string' })
  .trim()
  .regex(
    /^(?:Polly|Google)\.[A-Za-z0-9-]{2,60}$/,
    'say_voice must be a Twilio <Say> voice such as Polly.Joanna-Neural or Google.en-US-Neural2-F',
  );

/**
 * The neural Amazon Polly voice Twilio's <Say> uses for each language when the tenant chose none.
 * Fallback speech (when synthesis fails, or a tenant has no ElevenLabs voice) then sounds like a
 * person in the caller's language rather than Twilio's default robot voice.
 */
const NEURAL_SAY_VOICES: Readonly<Record<string, string>> = {
  'en-US': 'Polly.Joanna-Neural',
  'en-CA': 'Polly.Joanna-Neural',
  'en-GB': 'Polly.Amy-Neural',
  'en-AU': 'Polly.Olivia-Neural',
  'en-IN': 'Polly.Kajal-Neural',
  'en-NZ': 'Polly.Aria-Neural',
  'en-ZA': 'Polly.Ayanda-Neural',
  'es-US': 'Polly.Lupe-Neural',
  'es-MX': 'Polly.Mia-Neural',
  'es-ES': 'Polly.Lucia-Neural',
  'fr-FR': 'Polly.Lea-Neural',
  'fr-CA': 'Polly.Gabrielle-Neural',
  'de-DE': 'Polly.Vicki-Neural',
  'it-IT': 'Polly.Bianca-Neural',
  'pt-BR': 'Polly.Camila-Neural',
  'pt-PT': 'Polly.Ines-Neural',
  'nl-NL': 'Polly.Laura-Neural',
  'ja-JP': 'Polly.Takumi-Neural',
  'ko-KR': 'Polly.Seoyeon-Neural',
};

/** The tenant's chosen <Say> voice, else the neural voice for its language; undefined: Twilio's default for the language. */
export function sayVoiceFor(language: string, chosen?: string | null): string | undefined {
  return chosen || NEURAL_SAY_VOICES[language];
}

/**
 * Chat models a platform allows when none are configured (OPENAI_ALLOWED_MODELS). Fast,
 * non-reasoning models that take a temperature: a phone turn has about two seconds for the model.
 */
export const DEFAULT_ALLOWED_CHAT_MODELS = ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4.1'] as const;

/** The bounds a tenant's model temperature must stay within (the platform default is low, for a steady voice agent). */
export const LLM_TEMPERATURE_RANGE = { min: 0, max: 1 } as const;
