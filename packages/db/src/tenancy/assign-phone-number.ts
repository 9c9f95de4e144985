import type { TenantTx } from '../client/create-db';
import type { PhoneNumber, PhoneNumberPurpose, TwilioAccountKind } from '../generated/prisma/client';

export interface AssignPhoneNumberOptions {
  customerId: number;
  /** E.164, normalized by the caller. */
  e164: string;
  purpose?: PhoneNumberPurpose;
  twilioAccount?: TwilioAccountKind;
  /** For data loaded from elsewhere (tests that need a known order); defaults to now. */
  createdAt?: Date;
}

/** The number is routed to another tenant already. */
export class PhoneNumberTakenError extends Error {
  override readonly name = 'PhoneNumberTakenError';

  constructor(
    readonly e164: string,
    /** The tenant the number is routed to (platform context only: never show it to a tenant). */
    readonly routedTo: number,
  ) {
    super(`phone number ${e164} is already assigned to tenant ${routedTo}`);
  }
}

/**
 * Gives a tenant a phone number: its route (number_routes, which keeps a number with one tenant
 * and is what lookup_tenant_by_number reads) and the tenant's phone_numbers row, which references
 * the route. Runs inside withPlatform: only the platform role may write routes. A route this
 * tenant already has is kept; a number routed to another tenant throws PhoneNumberTakenError and
 * writes nothing (the caller's transaction rolls back). Safe against a concurrent assignment of
 * the same number: the second insert waits for the first and then sees its route.
 */
export async function assignPhoneNumber(tx: TenantTx, options: AssignPhoneNumberOptions): Promise<PhoneNumber> {
  const { customerId, e164 } = options;
  await tx.numberRoute.createMany({ data: [{ e164, customerId }], skipDuplicates: true });
  const route = await tx.numberRoute.findUniqueOrThrow({ where: { e164 }, select: { customerId: true } });
  if (route.customerId !== customerId) throw new PhoneNumberTakenError(e164, route.customerId);
  return tx.phoneNumber.create({
    data: {
      customerId,
      e164,
      ...(options.purpose === undefined ? {} : { purpose: options.purpose }),
      ...(options.twilioAccount === undefined ? {} : { twilioAccount: options.twilioAccount }),
      ...(options.createdAt === undefined ? {} : { createdAt: options.createdAt }),
    },
  });
}
