import type { PhoneNumber, PhoneNumberOrigin, PhoneNumberPurpose, TenantTx, TwilioAccountKind } from '@neurosphere/db';
import { isUniqueViolation } from '@neurosphere/db';
import { AppError } from '@neurosphere/http';

/**
 * The one place that writes phone_numbers (assigning, moving and removing a tenant's number):
 * number routing is `phone_numbers.e164`, unique platform-wide, read by lookup_tenant_by_number.
 * When routing moves to a table of its own (number routes for a distributed database), only these
 * functions change. Every one runs inside the caller's withPlatform transaction.
 */

export interface AssignNumberOptions {
  customerId: number;
  e164: string;
  purpose: PhoneNumberPurpose;
  twilioAccount: TwilioAccountKind;
  twilioSid: string | null;
  origin: PhoneNumberOrigin;
  /** The PUBLIC_BASE_URL the webhooks were set to. */
  webhooksBaseUrl: string | null;
}

/** The number is routed to a tenant already (409). */
export function numberTakenError(e164: string): AppError {
  return new AppError('CONFLICT', `Phone number ${e164} is already assigned to a tenant`, {
    details: [{ path: 'number.phone_number', message: `${e164} is already assigned to a tenant` }],
  });
}

/** The tenant a number is routed to, if any (platform role: sees every tenant). */
export async function numberOwner(tx: TenantTx, e164: string): Promise<number | null> {
  const found = await tx.phoneNumber.findUnique({ where: { e164 }, select: { customerId: true } });
  return found?.customerId ?? null;
}

/** Gives the tenant the number; 409 when another tenant has it (also when a concurrent assignment won). */
export async function assignTenantNumber(tx: TenantTx, options: AssignNumberOptions): Promise<PhoneNumber> {
  const owner = await numberOwner(tx, options.e164);
  if (owner !== null && owner !== options.customerId) throw numberTakenError(options.e164);
  const data = {
    purpose: options.purpose,
    twilioAccount: options.twilioAccount,
    twilioSid: options.twilioSid,
    origin: options.origin,
    webhooksBaseUrl: options.webhooksBaseUrl,
    webhooksSetAt: options.webhooksBaseUrl ? new Date() : null,
  };
  if (owner === options.customerId) {
    // Already the tenant's (a resumed operation): bring the row up to date.
    return tx.phoneNumber.update({ where: { e164: options.e164 }, data });
  }
  return tx.phoneNumber.create({ data: { customerId: options.customerId, e164: options.e164, ...data } }).catch((error: unknown) => {
    if (isUniqueViolation(error)) throw numberTakenError(options.e164);
    throw error;
  });
}

/** Records where the number's webhooks now point. */
export async function recordNumberWebhooks(tx: TenantTx, options: { customerId: number; e164: string; webhooksBaseUrl: string | null }): Promise<void> {
  await tx.phoneNumber.updateMany({
    where: { customerId: options.customerId, e164: options.e164 },
    data: { webhooksBaseUrl: options.webhooksBaseUrl, webhooksSetAt: options.webhooksBaseUrl ? new Date() : null },
  });
}

/** Routes the number to another tenant (its row moves; the route stays one). */
export async function moveTenantNumber(
  tx: TenantTx,
  options: { fromCustomerId: number; toCustomerId: number; e164: string; twilioAccount: TwilioAccountKind },
): Promise<PhoneNumber> {
  const current = await tx.phoneNumber.findUnique({ where: { e164: options.e164 } });
  if (!current || current.customerId !== options.fromCustomerId) throw new AppError('NOT_FOUND', `${options.e164} is not a number of tenant ${options.fromCustomerId}`);
  await tx.phoneNumber.delete({ where: { customerId_id: { customerId: current.customerId, id: current.id } } });
  return tx.phoneNumber.create({
    data: {
      customerId: options.toCustomerId,
      e164: current.e164,
      purpose: current.purpose,
      twilioAccount: options.twilioAccount,
      twilioSid: current.twilioSid,
      origin: current.origin,
      webhooksBaseUrl: current.webhooksBaseUrl,
      webhooksSetAt: current.webhooksSetAt,
    },
  });
}

/** Takes the number away from the tenant: calls and texts to it no longer route anywhere. */
export async function removeTenantNumber(tx: TenantTx, options: { customerId: number; e164: string }): Promise<void> {
  await tx.phoneNumber.deleteMany({ where: { customerId: options.customerId, e164: options.e164 } });
}
