import type { PhoneNumber, PhoneNumberOrigin, PhoneNumberPurpose, TenantTx, TwilioAccountKind } from '@neurosphere/db';
import { assignPhoneNumber, PhoneNumberTakenError } from '@neurosphere/db';
import { AppError } from '@neurosphere/http';

/**
 * The one place platform operations write a tenant's numbers (assigning, moving, removing): a
 * number's route (number_routes, whose key keeps it with one tenant, read by
 * lookup_tenant_by_number) and the tenant's phone_numbers row, which references the route.
 * Every one runs inside the caller's withPlatform transaction.
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
  const route = await tx.numberRoute.findUnique({ where: { e164 }, select: { customerId: true } });
  return route?.customerId ?? null;
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
  const { customerId, e164 } = options;
  const existing = owner === customerId ? await tx.phoneNumber.findFirst({ where: { customerId, e164 }, select: { id: true } }) : null;
  // Already the tenant's (a resumed operation): bring the row up to date.
  if (existing) return tx.phoneNumber.update({ where: { customerId_id: { customerId, id: existing.id } }, data });
  try {
    const created = await assignPhoneNumber(tx, { customerId, e164, purpose: options.purpose, twilioAccount: options.twilioAccount });
    return await tx.phoneNumber.update({ where: { customerId_id: { customerId, id: created.id } }, data });
  } catch (error) {
    // A concurrent assignment of the same number won.
    if (error instanceof PhoneNumberTakenError) throw numberTakenError(e164);
    throw error;
  }
}

/** Records where the number's webhooks now point. */
export async function recordNumberWebhooks(
  tx: TenantTx,
  options: { customerId: number; e164: string; webhooksBaseUrl: string | null },
): Promise<void> {
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
  const { fromCustomerId, toCustomerId, e164 } = options;
  const current = await tx.phoneNumber.findFirst({ where: { customerId: fromCustomerId, e164 } });
  if (!current) throw new AppError('NOT_FOUND', `${e164} is not a number of tenant ${fromCustomerId}`);
  await tx.phoneNumber.delete({ where: { customerId_id: { customerId: fromCustomerId, id: current.id } } });
  await tx.numberRoute.deleteMany({ where: { e164, customerId: fromCustomerId } });
  const moved = await assignPhoneNumber(tx, {
    customerId: toCustomerId,
    e164,
    purpose: current.purpose,
    twilioAccount: options.twilioAccount,
  });
  return tx.phoneNumber.update({
    where: { customerId_id: { customerId: toCustomerId, id: moved.id } },
    data: {
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
  await tx.numberRoute.deleteMany({ where: { customerId: options.customerId, e164: options.e164 } });
}
