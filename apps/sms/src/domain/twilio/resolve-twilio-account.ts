import { credentialAssociatedData, decryptSecret, SecretBoxError } from '@neurosphere/db';
import type { Keyring, TenantCredential, TwilioAccountKind } from '@neurosphere/db';
import type { TwilioAccount, TwilioSender } from './twilio-sender';

/** How this process reaches Twilio: the SDK sender, the platform account, and the BYOK keyring. */
export interface TwilioConnection {
  sender: TwilioSender;
  /** TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN; null when not configured (platform numbers cannot send). */
  platformAccount: TwilioAccount | null;
  /** BYOK_KEYS: decrypts tenant_credentials; undefined when not configured (BYOK numbers cannot send). */
  byokKeyring: Keyring | undefined;
}

export type ResolvedTwilioAccount =
  | { ok: true; sender: TwilioSender; account: TwilioAccount }
  | {
      ok: false;
      code: 'PLATFORM_TWILIO_NOT_CONFIGURED' | 'BYOK_CREDENTIALS_MISSING' | 'BYOK_CREDENTIALS_INVALID' | 'BYOK_KEYRING_MISSING';
      message: string;
    };

/**
 * The account a number sends through: the platform's for `platform` numbers, the tenant's own
 * (decrypted from tenant_credentials, bound to this tenant by the associated data) for `byok`
 * numbers. Failures are permanent: retrying does not fix a missing or undecryptable credential.
 */
export function resolveTwilioAccount(
  connection: TwilioConnection,
  options: { customerId: number; accountKind: TwilioAccountKind; credential: TenantCredential | null },
): ResolvedTwilioAccount {
  if (options.accountKind === 'platform') {
    // Never pretend: a text that was not handed to Twilio is recorded as failed, not sent. (The
    // local stack runs a simulated Twilio REST API for the real SDK when no keys are configured.)
    return connection.platformAccount
      ? { ok: true, sender: connection.sender, account: connection.platformAccount }
      : {
          ok: false,
          code: 'PLATFORM_TWILIO_NOT_CONFIGURED',
          message: 'The number uses the platform’s Twilio account, but TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN are not configured on the sms service',
        };
  }
  const { credential } = options;
  if (!credential?.accountIdentifier) {
    return { ok: false, code: 'BYOK_CREDENTIALS_MISSING', message: 'The number uses the tenant’s own Twilio account, but no Twilio credentials are stored for the tenant' };
  }
  if (!connection.byokKeyring) {
    return { ok: false, code: 'BYOK_KEYRING_MISSING', message: 'The tenant’s Twilio credentials cannot be decrypted: BYOK_KEYS is not configured on the sms service' };
  }
  try {
    const authToken = decryptSecret({
      secret: { ciphertext: Buffer.from(credential.secretCiphertext), iv: Buffer.from(credential.secretIv), authTag: Buffer.from(credential.secretAuthTag), keyId: credential.keyId },
      keyring: connection.byokKeyring,
      associatedData: credentialAssociatedData(options.customerId, 'twilio'),
    });
    return { ok: true, sender: connection.sender, account: { accountSid: credential.accountIdentifier, authToken } };
  } catch (error) {
    if (!(error instanceof SecretBoxError)) throw error;
    return { ok: false, code: 'BYOK_CREDENTIALS_INVALID', message: `The tenant’s Twilio credentials cannot be decrypted: ${error.message}` };
  }
}
