import type { TenantNumber } from '@neurosphere/contracts';
import type { PhoneNumber } from '@neurosphere/db';

/** A number as the platform routes show it; `publicBaseUrl` decides whether its webhooks point here. */
export function toTenantNumber(number: PhoneNumber, publicBaseUrl: string | undefined): TenantNumber {
  return {
    id: number.id,
    phone_number: number.e164,
    purpose: number.purpose,
    twilio_account: number.twilioAccount,
    twilio_sid: number.twilioSid,
    origin: number.origin,
    webhooks_base_url: number.webhooksBaseUrl,
    webhooks_point_here: publicBaseUrl !== undefined && number.webhooksBaseUrl === publicBaseUrl,
  };
}
