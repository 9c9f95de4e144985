import type { CredentialProvider } from '../generated/prisma/enums';
import { credentialAssociatedData, decryptSecret, encryptSecret } from './secret-box';
import type { Keyring } from './secret-box';

/** The encrypted columns of a tenant_credentials row. */
export interface StoredCredentialSecret {
  secretCiphertext: Uint8Array;
  secretIv: Uint8Array;
  secretAuthTag: Uint8Array;
  keyId: string;
}

/** A tenant_credentials row's secret columns, ready to write (Prisma wants plain Uint8Arrays). */
export interface CredentialSecretColumns {
  secretCiphertext: Uint8Array<ArrayBuffer>;
  secretIv: Uint8Array<ArrayBuffer>;
  secretAuthTag: Uint8Array<ArrayBuffer>;
  keyId: string;
  /** The last four characters: all that is ever shown of a secret. */
  lastFour: string;
}

/**
 * Encrypts a tenant's provider secret with the active key, bound to the tenant and provider
 * (a row copied to another tenant or provider does not decrypt).
 */
export function encryptCredentialSecret(options: {
  customerId: number;
  provider: CredentialProvider;
  plaintext: string;
  keyring: Keyring;
}): CredentialSecretColumns {
  const encrypted = encryptSecret({
    plaintext: options.plaintext,
    keyring: options.keyring,
    associatedData: credentialAssociatedData(options.customerId, options.provider),
  });
  return {
    secretCiphertext: new Uint8Array(encrypted.ciphertext),
    secretIv: new Uint8Array(encrypted.iv),
    secretAuthTag: new Uint8Array(encrypted.authTag),
    keyId: encrypted.keyId,
    lastFour: options.plaintext.slice(-4),
  };
}

/** The plaintext of a tenant's provider secret. Throws SecretBoxError when it does not decrypt. */
export function decryptCredentialSecret(options: {
  customerId: number;
  provider: CredentialProvider;
  credential: StoredCredentialSecret;
  keyring: Keyring;
}): string {
  const { credential } = options;
  return decryptSecret({
    secret: {
      ciphertext: Buffer.from(credential.secretCiphertext),
      iv: Buffer.from(credential.secretIv),
      authTag: Buffer.from(credential.secretAuthTag),
      keyId: credential.keyId,
    },
    keyring: options.keyring,
    associatedData: credentialAssociatedData(options.customerId, options.provider),
  });
}
