import { credentialAssociatedData, decryptSecret, withTenant } from '@neurosphere/db';
import type { Db, Keyring } from '@neurosphere/db';
import { withTimeout } from '../../lib/timeout';

export type CallProvider = 'openai' | 'elevenlabs';

/** A tenant has a BYOK credential that this process cannot use (no keyring, or it does not decrypt). */
export class ProviderKeyError extends Error {
  override readonly name = 'ProviderKeyError';
}

export interface ProviderKeyStore {
  /**
   * The tenant's own key for `provider`. Only called when the call state says the tenant has one,
   * so tenants on the platform key never touch PostgreSQL during a turn.
   */
  tenantKey(options: { customerId: number; provider: CallProvider; timeoutMs: number }): Promise<string>;
}

/** Decrypted keys stay in this process's memory only (never in Redis or logs), for a minute. */
const CACHE_TTL_MS = 60_000;

export function createProviderKeyStore(options: { db: Db; keyring: Keyring | undefined }): ProviderKeyStore {
  const cache = new Map<string, { key: string; expiresAt: number }>();

  return {
    async tenantKey({ customerId, provider, timeoutMs }) {
      const cacheKey = `${customerId}:${provider}`;
      const cached = cache.get(cacheKey);
      if (cached && cached.expiresAt > Date.now()) return cached.key;
      const { keyring } = options;
      if (!keyring) throw new ProviderKeyError(`customer ${customerId} has its own ${provider} key but BYOK_KEYS is not configured`);

      const credential = await withTimeout(`load ${provider} credential`, timeoutMs, () =>
        withTenant(
          options.db,
          customerId,
          (tx) => tx.tenantCredential.findUnique({ where: { customerId_provider: { customerId, provider } } }),
          { maxWait: timeoutMs, timeout: timeoutMs },
        ),
      );
      if (!credential) throw new ProviderKeyError(`customer ${customerId} has no ${provider} credential any more`);
      let key: string;
      try {
        key = decryptSecret({
          secret: {
            ciphertext: Buffer.from(credential.secretCiphertext),
            iv: Buffer.from(credential.secretIv),
            authTag: Buffer.from(credential.secretAuthTag),
            keyId: credential.keyId,
          },
          keyring,
          associatedData: credentialAssociatedData(customerId, provider),
        });
      } catch (error) {
        throw new ProviderKeyError(`customer ${customerId}'s ${provider} credential does not decrypt`, { cause: error });
      }
      cache.set(cacheKey, { key, expiresAt: Date.now() + CACHE_TTL_MS });
      return key;
    },
  };
}
