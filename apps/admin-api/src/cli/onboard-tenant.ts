// Onboards a business from an onboarding document (the body of POST /v1/platform/tenants):
//   pnpm --filter @neurosphere/admin-api onboard-tenant -- --file docs/examples/smith-agency.onboarding.json
// Run it again after a failure: with the same document (and the same --idempotency-key, which
// defaults to one derived from the document) it resumes where it stopped and never buys a second
// number. Prints the result as JSON, the owner's one-time invitation token included.
// Needs DATABASE_PLATFORM_URL, TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN, PUBLIC_BASE_URL and BYOK_KEYS.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { idempotencyKeySchema, onboardTenantRequestSchema } from '@neurosphere/contracts';
import { parseArgs } from 'node:util';
import { createDb } from '@neurosphere/db';
import { AppError, createLogger, validationError, zodIssuesToDetails } from '@neurosphere/http';
import { onboardingRequestHash } from '../domain/onboarding/onboarding-record';
import { onboardTenant } from '../domain/onboarding/onboard-tenant';
import { createPlatformOperations } from '../domain/platform/create-platform-operations';
import { parsePlatformCliEnv } from '../env';
import { cliActor, cliArgs, runCli } from './run-cli';

const USAGE = 'usage: pnpm --filter @neurosphere/admin-api onboard-tenant -- --file <onboarding document.json> [--idempotency-key <key>]';

runCli(async () => {
  const { values } = parseArgs({
    args: cliArgs(),
    options: { file: { type: 'string' }, 'idempotency-key': { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help || !values.file) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  // pnpm runs the script in apps/admin-api; a relative path means the operator's directory (INIT_CWD).
  const file = path.resolve(process.env.INIT_CWD ?? process.cwd(), values.file);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new AppError('BAD_REQUEST', `${values.file} is not a readable JSON file: ${(error as Error).message}`);
  }
  const document = onboardTenantRequestSchema.safeParse(raw);
  if (!document.success) throw validationError(zodIssuesToDetails(document.error.issues, 'file'));
  const idempotencyKey = idempotencyKeySchema.safeParse(
    values['idempotency-key'] ?? `cli-${onboardingRequestHash(document.data).slice(0, 32)}`,
  );
  if (!idempotencyKey.success) throw validationError(zodIssuesToDetails(idempotencyKey.error.issues, '--idempotency-key'));

  const env = parsePlatformCliEnv();
  const logger = createLogger({ service: 'admin-api-cli', level: env.LOG_LEVEL });
  const platformDb = createDb({ url: env.DATABASE_PLATFORM_URL, poolMax: 2 });
  try {
    const result = await onboardTenant({
      platformDb,
      operations: createPlatformOperations(env, logger),
      actor: cliActor(),
      idempotencyKey: idempotencyKey.data,
      document: document.data,
    });
    console.log(JSON.stringify(result.body, null, 2));
    return 0;
  } finally {
    await platformDb.$disconnect();
  }
});
