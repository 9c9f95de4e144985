import { validationError, zodIssuesToDetails } from '@neurosphere/http';
import type { z } from 'zod';

/** Validates a (signature-checked) Twilio form body; a failure is a 400 naming the field, e.g. "body.CallSid". */
export function parseTwilioForm<S extends z.ZodTypeAny>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw validationError(zodIssuesToDetails(result.error.issues, 'body'));
  return result.data as z.output<S>;
}
