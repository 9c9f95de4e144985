import type { TenantTx, TwilioAccountKind } from '@neurosphere/db';
import { AppError } from '@neurosphere/http';
import { resolveTwilioAccount, twilioCredentialProvider } from '@neurosphere/twilio';
import type { TwilioAccount } from '@neurosphere/twilio';
import type { PlatformOperations } from '../platform/platform-operations';

/** A tenant's Twilio account, ready for Twilio calls (made after the transaction that read it). */
export interface TenantTwilioAccount {
  kind: TwilioAccountKind;
  account: TwilioAccount;
  /** For messages: "the tenant's Twilio sub-account", ... */
  description: string;
}

export function describeTwilioAccount(kind: TwilioAccountKind): string {
  return kind === 'subaccount'
    ? 'the tenant’s Twilio sub-account'
    : kind === 'byok'
      ? 'the tenant’s own Twilio account'
      : 'the platform’s Twilio account';
}

/**
 * Reads the Twilio account of `kind` (by default the one the tenant's new numbers go into) inside
 * the caller's transaction. A missing or unreadable credential is a 422 naming it; the secret never
 * leaves this process.
 */
export async function loadTenantTwilioAccount(
  tx: TenantTx,
  options: { customerId: number; kind?: TwilioAccountKind; operations: Pick<PlatformOperations, 'twilio' | 'keyring'> },
): Promise<TenantTwilioAccount> {
  const { customerId } = options;
  const kind =
    options.kind ?? (await tx.customer.findUnique({ where: { id: customerId }, select: { twilioAccount: true } }))?.twilioAccount;
  if (!kind) throw new AppError('NOT_FOUND', `Tenant ${customerId} not found`);
  const provider = twilioCredentialProvider(kind);
  const credential = provider ? await tx.tenantCredential.findUnique({ where: { customerId_provider: { customerId, provider } } }) : null;
  const resolved = resolveTwilioAccount({
    customerId,
    accountKind: kind,
    credential,
    platformAccount: options.operations.twilio.platformAccount,
    keyring: options.operations.keyring,
    where: 'admin-api',
  });
  if (!resolved.ok) {
    const code =
      resolved.code === 'PLATFORM_TWILIO_NOT_CONFIGURED' || resolved.code === 'BYOK_KEYRING_MISSING' ? 'UNAVAILABLE' : 'UNPROCESSABLE';
    throw new AppError(code, resolved.message);
  }
  return { kind, account: resolved.account, description: describeTwilioAccount(kind) };
}
