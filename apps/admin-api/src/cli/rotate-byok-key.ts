// Re-encrypts every tenant secret under the active BYOK key (key rotation):
//   1. add the new key to BYOK_KEYS everywhere and set BYOK_ACTIVE_KEY_ID to it;
//   2. pnpm --filter @neurosphere/admin-api rotate-byok-key
//   3. once it reports 0 remaining, remove the old key from BYOK_KEYS.
// Batches of 100, each one audited transaction. Ctrl-C stops it after the current batch; running it
// again continues with the secrets still under an old key.
// Needs DATABASE_PLATFORM_URL, BYOK_KEYS and BYOK_ACTIVE_KEY_ID.
import { createDb } from '@neurosphere/db';
import { reencryptCredentials } from '../domain/credentials/reencrypt-credentials';
import { requireKeyring } from '../domain/platform/platform-operations';
import { parsePlatformCliEnv } from '../env';
import { cliActor, runCli } from './run-cli';

runCli(async () => {
  const env = parsePlatformCliEnv();
  const keyring = requireKeyring({ keyring: env.byokKeyring });
  const platformDb = createDb({ url: env.DATABASE_PLATFORM_URL, poolMax: 1 });
  let stop = false;
  process.once('SIGINT', () => {
    stop = true;
    console.error('stopping after this batch (run the command again to continue)');
  });
  try {
    const progress = await reencryptCredentials({
      platformDb,
      keyring,
      actor: cliActor(),
      shouldStop: () => stop,
      onBatch: (batch) => console.error(`re-encrypted ${batch.reencrypted} so far`),
    });
    for (const failure of progress.failed) {
      console.error(
        `could not re-encrypt the ${failure.provider} secret of tenant ${failure.customerId} (key ${failure.keyId}): ${failure.reason}`,
      );
    }
    console.log(
      `re-encrypted ${progress.reencrypted} secret(s) under key ${keyring.activeKeyId}; ${progress.remaining} remaining under other keys`,
    );
    return progress.failed.length > 0 ? 1 : 0;
  } finally {
    await platformDb.$disconnect();
  }
});
