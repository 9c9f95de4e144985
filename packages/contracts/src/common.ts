import { parsePhoneNumberWithError } from 'libphonenumber-js';
import { z } from 'zod';

/**
 * The one error wire shape of every service. `error` is for humans, `code` for programs,
 * `details` names the offending fields of a validation failure.
 */
export const errorResponseSchema = z.object({
  success: z.literal(false),
  error: z.string(),
  code: z.string(),
  details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ErrorResponse = z.infer<typeof errorResponseSchema>;

/** A tenant id: customers.id. Query strings carry it as text, so numeric strings are accepted. */
export const customerIdSchema = z.coerce
  .number({ invalid_type_error: 'customer_id must be a positive integer' })
  .int('customer_id must be a positive integer')
  .positive('customer_id must be a positive integer')
  // customers.id is a PostgreSQL integer: a larger id can name no tenant, and would fail the query.
  .max(2_147_483_647, 'customer_id must be a positive integer');

/**
 * A phone number normalized to E.164. Callers arrive in every format ("(555) 010-0123",
 * "+1 555..."); storing one canonical form is what lets the same caller be recognized across calls.
 * Numbers without a country code are read as North American (the platform's home region).
 */
export const e164PhoneSchema = z
  .string()
  .trim()
  .min(1, 'phone number is required')
  .transform((raw, ctx) => {
    try {
      const parsed = parsePhoneNumberWithError(raw, 'US');
      if (!parsed.isValid()) throw new Error('invalid');
      return parsed.number;
    } catch {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${raw}" is not a valid phone number` });
      return z.NEVER;
    }
  });

/** Normalizes a phone number to E.164, or returns null when it is not a valid number. */
export function normalizePhone(raw: string): string | null {
  const result = e164PhoneSchema.safeParse(raw);
  return result.success ? result.data : null;
}
