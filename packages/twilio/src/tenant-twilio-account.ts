import { decryptCredentialSecret, SecretBoxError } from '@neurosphere/db';
import type { CredentialProvider, Keyring, StoredCredentialSecret, TwilioAccountKind } from '@neurosphere/db';
import type { TwilioAccount } from './twilio-clients';

/**
 * Where a tenant-held Twilio account's credentials live in tenant_credentials: the sub-account the
 * platform created, or the tenant's own account (BYOK). Platform numbers use the platform's account
 * from the environment and have no row.
 */
export const TWILIO_CREDENTIAL_PROVIDER = {
  subaccount: 'twilio_subaccount',
  byok: 'twilio',
} as const satisfies Record<Exclude<TwilioAccountKind, 'platform'>, CredentialProvider>;

/** The tenant_credentials provider that holds the account of `kind`, or null for the platform's own account. */
export function twilioCredentialProvider(kind: TwilioAccountKind): CredentialProvider | null {
  return kind === 'platform' ? null : TWILIO_CREDENTIAL_PROVIDER[kind];
}

/** A stored Twilio credential: the account SID in clear, the auth token encrypted. */
export type StoredTwilioCredential = StoredCredentialSecret & { accountIdentifier: string | null };

export type ResolvedTwilioAccount =
  | { ok: true; account: TwilioAccount }
  | {
      ok: false;
      code: 'PLATFORM_TWILIO_NOT_CONFIGURED' | `${'BYOK' | 'SUBACCOUNT'}_CREDENTIALS_${'MISSING' | 'INVALID'}` | 'BYOK_KEYRING_MISSING';
      message: string;
    };

export interface ResolveTwilioAccountOptions {
  customerId: number;
  accountKind: TwilioAccountKind;
  /** The tenant's tenant_credentials row of twilioCredentialProvider(accountKind); null when none is stored. */
  credential: StoredTwilioCredential | null;
  /** TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN; null when this process has none. */
  platformAccount: TwilioAccount | null;
  /** BYOK_KEYS; undefined when this process has none. */
  keyring: Keyring | undefined;
  /** Named in messages, e.g. "sms service". */
  where: string;
}

/**
 * The account a tenant's number (or new numbers) lives in: the platform's for `platform`, the
 * sub-account or the tenant's own account otherwise (decrypted from tenant_credentials, bound to
 * this tenant and provider by the associated data). A failure here is permanent: retrying does not
 * fix a missing or undecryptable credential. Messages never contain a secret.
 */
export function resolveTwilioAccount(options: ResolveTwilioAccountOptions): ResolvedTwilioAccount {
  const { accountKind, credential, where } = options;
  if (accountKind === 'platform') {
    return options.platformAccount
      ? { ok: true, account: options.platformAccount }
      : {
          ok: false,
          code: 'PLATFORM_TWILIO_NOT_CONFIGURED',
          message: `The number uses the platform’s Twilio account, but TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN are not configured on the ${where}`,
        };
  }
  const owner = accountKind === 'subaccount' ? 'the tenant’s Twilio sub-account' : 'the tenant’s own Twilio account';
  const prefix = accountKind === 'subaccount' ? 'SUBACCOUNT' : 'BYOK';
  if (!credential?.accountIdentifier) {
    return { ok: false, code: `${prefix}_CREDENTIALS_MISSING`, message: `The number uses ${owner}, but no credentials are stored for it` };
  }
  if (!options.keyring) {
    return {
      ok: false,
      code: 'BYOK_KEYRING_MISSING',
      message: `The credentials of ${owner} cannot be decrypted: BYOK_KEYS is not configured on the ${where}`,
    };
  }
  try {
    const authToken = decryptCredentialSecret({
      customerId: options.customerId,
      provider: TWILIO_CREDENTIAL_PROVIDER[accountKind],
      credential,
      keyring: options.keyring,
    });
    return { ok: true, account: { accountSid: credential.accountIdentifier, authToken } };
  } catch (error) {
    if (!(error instanceof SecretBoxError)) throw error;
    return {
      ok: false,
      code: `${prefix}_CREDENTIALS_INVALID`,
      message: `The credentials of ${owner} cannot be decrypted: ${error.message}`,
    };
  }
}
