// Imports the original single-tenant memory database into one tenant (apps/memory/README.md):
//
//   pnpm --filter @neurosphere/memory import-legacy -- \
//     --source postgres://user:pass@legacy-host/legacy_memory --customer-id 42 [--batch-size 1000] [--dry-run]
//
// Prints the counts per table and every row it could not import (a dry run also prints sample
// rows and writes nothing). Safe to run again: rows already imported are counted, not written
// twice. Exit 0 when every row is imported (now or before), 2 when some were rejected or
// conflicted (listed), 1 on errors.
import { parseArgs } from 'node:util';
import { EnvValidationError } from '@neurosphere/config';
import { createDb } from '@neurosphere/db';
import { createLogger } from '@neurosphere/http';
import { Client } from 'pg';
import { formatImportReport } from '../domain/legacy-import/format-import-report';
import { importLegacy } from '../domain/legacy-import/import-legacy';
import { parseLegacyImportEnv } from '../env';

const USAGE = 'usage: import-legacy --source <postgres url of the legacy database> --customer-id <id> [--batch-size <rows>] [--dry-run]';

async function main(): Promise<number> {
  // pnpm 10 hands the `--` of `pnpm ... import-legacy -- --source ...` on to the script, and
  // parseArgs would take everything after it as positionals.
  const args = process.argv.slice(2);
  if (args[0] === '--') args.shift();
  const { values } = parseArgs({
    args,
    options: {
      source: { type: 'string' },
      'customer-id': { type: 'string' },
      'batch-size': { type: 'string', default: '1000' },
      'dry-run': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const customerId = Number(values['customer-id']);
  const batchSize = Number(values['batch-size']);
  if (!values.source || !Number.isSafeInteger(customerId) || customerId <= 0 || !Number.isSafeInteger(batchSize) || batchSize <= 0) {
    console.error(USAGE);
    return 1;
  }
  const env = parseLegacyImportEnv();
  const logger = createLogger({ service: 'memory-legacy-import', level: env.LOG_LEVEL });
  const platformDb = createDb({ url: env.DATABASE_PLATFORM_URL, poolMax: 2 });
  const source = new Client({ connectionString: values.source });
  await source.connect();
  try {
    const result = await importLegacy({
      platformDb,
      source,
      customerId,
      batchSize,
      dryRun: values['dry-run'],
      onBatch: (table, counts) => logger.info({ table, ...counts }, values['dry-run'] ? 'batch checked (dry run)' : 'batch imported'),
    });
    console.log(formatImportReport(result));
    return result.problems.length > 0 ? 2 : 0;
  } finally {
    await source.end();
    await platformDb.$disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof EnvValidationError || error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
