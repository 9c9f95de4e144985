import { decryptCredentialSecret, encryptCredentialSecret, withPlatform } from '@neurosphere/db';
import type { Db, Keyring } from '@neurosphere/db';

export interface ReencryptProgress {
  /** Secrets re-encrypted by this run. */
  reencrypted: number;
  /** Secrets still under another key when the run stopped (0 when it finished). */
  remaining: number;
  /** Secrets that could not be decrypted with any key of the ring (left as they are, named by tenant and provider). */
  failed: Array<{ customerId: number; provider: string; keyId: string; reason: string }>;
}

export interface ReencryptCredentialsOptions {
  platformDb: Db;
  keyring: Keyring;
  actor: string;
  /** Rows per transaction. */
  batchSize?: number;
  /** Asked between batches: true stops the run (Ctrl-C); running the command again continues. */
  shouldStop?: () => boolean;
  onBatch?: (progress: ReencryptProgress) => void;
}

/**
 * Key rotation: re-encrypts every tenant secret (tenants' own keys and sub-account tokens) that is
 * not under the keyring's active key, in small batches, each one transaction with its own platform
 * audit row. A row is only rewritten if it still has the key it was read with, so concurrent
 * writers lose nothing; a run that stops (or fails) half-way is simply run again: it picks up the
 * rows still under an old key. The old key can leave BYOK_KEYS once `remaining` is 0.
 */
export async function reencryptCredentials(options: ReencryptCredentialsOptions): Promise<ReencryptProgress> {
  const { platformDb, keyring } = options;
  const batchSize = options.batchSize ?? 100;
  const progress: ReencryptProgress = { reencrypted: 0, remaining: 0, failed: [] };
  const skipped = new Set<string>();

  for (;;) {
    if (options.shouldStop?.()) break;
    const done = await withPlatform(
      platformDb,
      { actor: options.actor, action: 'credentials.reencrypt_batch', details: { active_key_id: keyring.activeKeyId } },
      async (tx) => {
        const rows = await tx.tenantCredential.findMany({
          where: { keyId: { not: keyring.activeKeyId }, ...(skipped.size > 0 ? { id: { notIn: [...skipped] } } : {}) },
          orderBy: [{ customerId: 'asc' }, { id: 'asc' }],
          take: batchSize,
        });
        for (const row of rows) {
          try {
            const plaintext = decryptCredentialSecret({ customerId: row.customerId, provider: row.provider, credential: row, keyring });
            const { lastFour: _unchanged, ...columns } = encryptCredentialSecret({
              customerId: row.customerId,
              provider: row.provider,
              plaintext,
              keyring,
            });
            const { count } = await tx.tenantCredential.updateMany({
              where: { customerId: row.customerId, id: row.id, keyId: row.keyId },
              data: columns,
            });
            progress.reencrypted += count;
          } catch (error) {
            skipped.add(row.id);
            progress.failed.push({
              customerId: row.customerId,
              provider: row.provider,
              keyId: row.keyId,
              reason: (error as Error).message,
            });
          }
        }
        return rows.length < batchSize;
      },
    );
    options.onBatch?.({ ...progress });
    if (done) break;
  }
  progress.remaining = await withPlatform(platformDb, { actor: options.actor, action: 'credentials.reencrypt_count' }, (tx) =>
    tx.tenantCredential.count({ where: { keyId: { not: keyring.activeKeyId } } }),
  );
  return progress;
}
