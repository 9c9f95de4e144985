import { z } from 'zod';
import { e164PhoneSchema, errorResponseSchema } from '../common';

/**
 * Pieces the platform areas share about Twilio: the account a tenant's numbers live in, how a
 * number is chosen, and the errors Twilio work can answer with. Twilio's refusals answer 409
 * (the number is taken or no longer for sale) or 422 (credentials refused, account without funds,
 * nothing matches), naming the cause; Twilio unreachable answers 503 with Retry-After.
 */

export const twilioAccountKinds = ['subaccount', 'platform', 'byok'] as const;
export const twilioAccountKindSchema = z.enum(twilioAccountKinds);
export type TwilioAccountKindName = z.infer<typeof twilioAccountKindSchema>;

export const twilioAccountSidSchema = z
  .string({ required_error: 'account_sid is required' })
  .regex(/^AC[0-9a-fA-F]{32}$/, 'account_sid must be a Twilio Account SID (AC + 32 hex digits)');

/** A secret as it arrives in a request: never echoed back, never logged. */
export const secretInputSchema = (field: string) =>
  z
    .string({ required_error: `${field} is required`, invalid_type_error: `${field} must be a string` })
    .trim()
    .min(8, `${field} must be at least 8 characters`)
    .max(500, `${field} must be at most 500 characters`);

/**
 * The Twilio account of a new tenant: a sub-account the platform creates under its own account
 * (the default), the platform's account itself (demo and local use), or the tenant's own account
 * (checked with a Twilio API call before it is stored).
 */
export const twilioAccountChoiceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('subaccount') }).strict(),
  z.object({ kind: z.literal('platform') }).strict(),
  z.object({ kind: z.literal('byok'), account_sid: twilioAccountSidSchema, auth_token: secretInputSchema('auth_token') }).strict(),
]);
export type TwilioAccountChoice = z.infer<typeof twilioAccountChoiceSchema>;

const areaCode = z.string().regex(/^\d{3}$/, 'area_code must be three digits');
const contains = z.string().regex(/^[0-9*]{2,10}$/, 'contains must be 2-10 digits (* for any digit)');
const capability = (field: string) => z.boolean({ invalid_type_error: `${field} must be true or false` });

/** What to look for among the numbers Twilio has for sale (US/Canada local numbers). */
export const numberSearchSchema = z
  .object({
    area_code: areaCode.optional(),
    contains: contains.optional(),
    voice: capability('voice').default(true),
    sms: capability('sms').default(true),
  })
  .strict();
export type NumberSearch = z.infer<typeof numberSearchSchema>;

/**
 * The tenant's number: the first one Twilio offers for `search` criteria, one `available` number
 * seen in a search (both bought into the tenant's account), or an `existing` number the tenant's
 * account already has (attached). Every one gets its webhooks pointed at this platform.
 */
export const numberChoiceSchema = z.discriminatedUnion('kind', [
  numberSearchSchema.extend({ kind: z.literal('search') }).strict(),
  z.object({ kind: z.literal('available'), phone_number: e164PhoneSchema }).strict(),
  z.object({ kind: z.literal('existing'), phone_number: e164PhoneSchema }).strict(),
]);
export type NumberChoice = z.infer<typeof numberChoiceSchema>;

export const numberPurposeSchema = z.enum(['voice', 'sms', 'voice_and_sms']);

/** A number of a tenant as the platform sees it. */
export const tenantNumberSchema = z.object({
  id: z.string(),
  phone_number: z.string(),
  purpose: numberPurposeSchema,
  twilio_account: twilioAccountKindSchema,
  twilio_sid: z.string().nullable(),
  origin: z.enum(['bought', 'attached']),
  /** The public base URL its webhooks were last set to; null when never set by the platform. */
  webhooks_base_url: z.string().nullable(),
  /** Whether its webhooks point at this platform's current PUBLIC_BASE_URL. */
  webhooks_point_here: z.boolean(),
});
export type TenantNumber = z.infer<typeof tenantNumberSchema>;

export const twilioErrorResponses = {
  409: errorResponseSchema,
  422: errorResponseSchema,
  503: errorResponseSchema,
} as const;
