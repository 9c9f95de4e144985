import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for BYOK provider secrets (tenant_credentials). Each ciphertext records the id of
 * the key that made it, so keys rotate by adding a new key, switching the active id, and
 * re-encrypting at leisure: old rows keep decrypting as long as their key stays in the ring.
 */

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const AUTH_TAG_BYTES = 16;

export interface Keyring {
  /** key id → 32-byte key */
  keys: Readonly<Record<string, Buffer>>;
  /** The key id new secrets are encrypted with. */
  activeKeyId: string;
}

export interface EncryptedSecret {
  ciphertext: Buffer;
  iv: Buffer;
  authTag: Buffer;
  keyId: string;
}

export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';
}

/**
 * Parses BYOK_KEYS (JSON `{ "<kid>": "<base64 32-byte key>" }`) and BYOK_ACTIVE_KEY_ID. Errors name
 * the variable and the key id, never the key material.
 */
export function parseKeyring(keysJson: string, activeKeyId: string): Keyring {
  let parsed: unknown;
  try {
    parsed = JSON.parse(keysJson);
  } catch {
    throw new SecretBoxError('BYOK_KEYS must be JSON like {"<kid>": "<base64 32-byte key>"}');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SecretBoxError('BYOK_KEYS must be a JSON object of key id to base64 key');
  }
  const keys: Record<string, Buffer> = {};
  for (const [keyId, encoded] of Object.entries(parsed)) {
    if (keyId === '') throw new SecretBoxError('BYOK_KEYS has an empty key id');
    if (typeof encoded !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) {
      throw new SecretBoxError(`BYOK_KEYS["${keyId}"] must be a base64 string`);
    }
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== KEY_BYTES) {
      throw new SecretBoxError(`BYOK_KEYS["${keyId}"] must decode to ${KEY_BYTES} bytes, got ${key.length}`);
    }
    keys[keyId] = key;
  }
  if (Object.keys(keys).length === 0) throw new SecretBoxError('BYOK_KEYS has no keys');
  if (!(activeKeyId in keys)) {
    throw new SecretBoxError(`BYOK_ACTIVE_KEY_ID "${activeKeyId}" is not a key id in BYOK_KEYS`);
  }
  return { keys, activeKeyId };
}

export interface EncryptSecretOptions {
  plaintext: string;
  keyring: Keyring;
  /**
   * Binds the ciphertext to where it is stored, so a row copied to another tenant or provider
   * does not decrypt. Use credentialAssociatedData(customerId, provider) for tenant_credentials.
   */
  associatedData?: string;
}

export function encryptSecret(options: EncryptSecretOptions): EncryptedSecret {
  const { keyring } = options;
  const key = keyring.keys[keyring.activeKeyId];
  if (!key) throw new SecretBoxError(`active key id "${keyring.activeKeyId}" is not in the keyring`);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: AUTH_TAG_BYTES });
  if (options.associatedData !== undefined) cipher.setAAD(Buffer.from(options.associatedData, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(options.plaintext, 'utf8'), cipher.final()]);
  return { ciphertext, iv, authTag: cipher.getAuthTag(), keyId: keyring.activeKeyId };
}

export interface DecryptSecretOptions {
  secret: EncryptedSecret;
  keyring: Keyring;
  /** Must equal the value given to encryptSecret. */
  associatedData?: string;
}

/** Decrypts with the key the secret names (not necessarily the active one). Throws on tampering. */
export function decryptSecret(options: DecryptSecretOptions): string {
  const { secret, keyring } = options;
  const key = keyring.keys[secret.keyId];
  if (!key) {
    throw new SecretBoxError(`secret was encrypted with key id "${secret.keyId}", which is not in the keyring`);
  }
  if (secret.iv.length !== IV_BYTES || secret.authTag.length !== AUTH_TAG_BYTES) {
    throw new SecretBoxError('secret has a malformed iv or auth tag');
  }
  const decipher = createDecipheriv(ALGORITHM, key, secret.iv, { authTagLength: AUTH_TAG_BYTES });
  if (options.associatedData !== undefined) decipher.setAAD(Buffer.from(options.associatedData, 'utf8'));
  decipher.setAuthTag(secret.authTag);
  try {
    return Buffer.concat([decipher.update(secret.ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretBoxError('secret failed authentication (wrong key, wrong context or tampered data)');
  }
}

/** Associated data for a tenant_credentials row. */
export function credentialAssociatedData(customerId: number, provider: string): string {
  return `tenant_credentials:${customerId}:${provider}`;
}
