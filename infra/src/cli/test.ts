/**
 * The test run behind `scripts/test` (which has already installed pnpm, the dependencies and the
 * Prisma client): a throwaway PostgreSQL and Redis (unless DATABASE_URL / REDIS_URL are given),
 * migrations on a fresh database, then `turbo run typecheck lint format:check` and `turbo run test`, one package
 * at a time against that one database. The database package's tests then run a second time through
 * PgBouncer in transaction pooling mode (Debian's pgbouncer, in front of the throwaway PostgreSQL),
 * as services behind a production pooler would. Ends with the line "N passed, N failed" and exits
 * non-zero on any failure. PostgreSQL, Redis and PgBouncer are stopped however the run ends.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { byokEnvironment, generateByokKeyring } from '../stack/byok-keyring';
import { createOneShotRun } from '../stack/one-shot-run';
import { localDir, localPaths, repoRoot, turboBin } from '../stack/paths';
import { databaseEnvironment, databaseUrlsFromEnvironment, localDatabaseUrls, PROVIDER_VARIABLES } from '../stack/platform-env';
import type { DatabaseUrls } from '../stack/platform-env';
import type { LocalPgbouncer } from '../stack/pgbouncer';
import { ensureDatabase } from '../stack/postgres';
import { scanLogDir } from '../test-run/log-scan';
import { generateSecret } from '../stack/dev-secrets';
import { HTTP_SERVICES, KEYED_SERVICE_NAMES, privateKeyVariable } from '../stack/service-catalog';
import { generateServiceKeyring } from '../stack/service-keys';
import { closingLine, readJestReports, totalJestReports } from '../test-run/jest-reports';
import { parseTestArgs } from '../test-run/test-args';
import { ensureTestNode, parseTestNodeMajor, pathWithTestNode } from '../test-run/test-node';
import { listWorkspacePackages } from '../test-run/workspace-packages';

const TEST_DATABASE = 'neurosphere_test';
/** The whole test phase must finish well inside CI's limit; a hung jest is killed at this point. */
const TEST_PHASE_TIMEOUT_MS = 25 * 60_000;

const log = (line: string) => console.log(`[test] ${line}`);
// The production build of every app, made by the first test that needs it and shared by the others
// (infra/src/build/test-artifacts.ts). Outside the repository, so that no package can resolve from
// the workspace's node_modules what its artifact lacks.
const artifactsDir = path.join(tmpdir(), `neurosphere-test-artifacts-${process.pid}`);
const run = createOneShotRun({
  log,
  logError: (line) => console.error(`[test] ${line}`),
  onStop: () => rmSync(artifactsDir, { recursive: true, force: true }),
});

const DB_PACKAGE = '@neurosphere/db';

async function prepareDatabase(): Promise<{ urls: DatabaseUrls; postgresPort?: number }> {
  if (process.env.DATABASE_URL) {
    log('DATABASE_URL is set: testing against that PostgreSQL (it is migrated, not recreated)');
    return { urls: databaseUrlsFromEnvironment(process.env) };
  }
  const postgres = await run.startPostgres({ dir: localPaths.testPostgres, throwaway: true });
  log(`throwaway PostgreSQL 17 on 127.0.0.1:${postgres.port}`);
  await ensureDatabase(postgres.superuserUrl('postgres'), TEST_DATABASE);
  return { urls: localDatabaseUrls(postgres.port, TEST_DATABASE, postgres.superuserUrl(TEST_DATABASE)), postgresPort: postgres.port };
}

/**
 * PgBouncer in front of the throwaway PostgreSQL, logging in as the two application roles; none
 * when DATABASE_URL names another PostgreSQL (its passwords are not ours to hand to a pooler).
 */
async function preparePgbouncer(urls: DatabaseUrls, postgresPort: number | undefined): Promise<LocalPgbouncer | undefined> {
  if (postgresPort === undefined) {
    log('DATABASE_URL is set: no PgBouncer pass');
    return undefined;
  }
  const users = [urls.app, urls.platform].map((url) => {
    const parsed = new URL(url);
    return { name: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) };
  });
  const pgbouncer = await run.startPgbouncer({ dir: localPaths.testPgbouncer, postgresPort, database: TEST_DATABASE, users });
  log(`PgBouncer (transaction pooling) on 127.0.0.1:${pgbouncer.port}`);
  return pgbouncer;
}

async function prepareRedis(): Promise<string> {
  if (process.env.REDIS_URL) {
    log('REDIS_URL is set: testing against that Redis');
    return process.env.REDIS_URL;
  }
  const redis = await run.startRedis({ dir: localPaths.testRedis });
  log(`throwaway Redis on 127.0.0.1:${redis.port}`);
  return redis.url;
}

/** Runs a command from the repository root as the run's current step. */
function runStep(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs?: number): Promise<number> {
  return run.runStep(command, args, { cwd: repoRoot, env, timeoutMs });
}

async function main(): Promise<number> {
  const { filters, skipChecks, jestArgs } = parseTestArgs(process.argv.slice(2));
  const testNodeMajor = parseTestNodeMajor(process.env.NEUROSPHERE_TEST_NODE);
  const testNode = testNodeMajor === undefined ? undefined : ensureTestNode({ major: testNodeMajor, localDir, log });
  const filterArgs = filters.map((name) => `--filter=${name}`);

  const { urls: databaseUrls, postgresPort } = await prepareDatabase();
  const redisUrl = await prepareRedis();
  const keyring = await generateServiceKeyring(KEYED_SERVICE_NAMES, 'test');
  const reportDir = path.join(localPaths.testReports, `run-${process.pid}`);
  rmSync(reportDir, { recursive: true, force: true });
  // Every logger of the run also writes its lines here; they are scanned for leaks after the tests.
  const logDir = path.join(localPaths.testReports, `logs-${process.pid}`);
  rmSync(logDir, { recursive: true, force: true });
  const byok = generateByokKeyring('test-1');
  const serviceSecrets = Object.fromEntries(HTTP_SERVICES.flatMap((service) => service.secrets).map((name) => [name, generateSecret()]));
  const runSecrets = [
    ...Object.values(keyring.privateKeys).map((key) => key.d),
    ...Object.values(byok.keys),
    ...Object.values(serviceSecrets),
    decodeURIComponent(new URL(redisUrl).password),
  ];

  const inherited: NodeJS.ProcessEnv = { ...process.env };
  // Tests never reach a real provider: they start fake ones on 127.0.0.1 and pass the URL themselves.
  for (const name of PROVIDER_VARIABLES) delete inherited[name];
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
    ...databaseEnvironment(databaseUrls),
    REDIS_URL: redisUrl,
    SERVICE_JWKS: JSON.stringify(keyring.jwks),
    ...Object.fromEntries(Object.entries(keyring.privateKeys).map(([name, key]) => [privateKeyVariable(name), JSON.stringify(key)])),
    ...byokEnvironment(byok),
    ...serviceSecrets,
    NEUROSPHERE_TEST_REPORT_DIR: reportDir,
    NEUROSPHERE_TEST_LOG_DIR: logDir,
    NEUROSPHERE_TEST_ARTIFACTS_DIR: artifactsDir,
    TURBO_TELEMETRY_DISABLED: '1',
    ...(testNode ? { PATH: pathWithTestNode(testNode, inherited.PATH) } : {}),
  };
  if (testNode)
    log(
      `NEUROSPHERE_TEST_NODE=${testNode.major}: every step runs on Node.js ${testNode.version} (${path.relative(repoRoot, testNode.binDir)})`,
    );

  log('pnpm --filter @neurosphere/db migrate');
  const migrated = await runStep('pnpm', ['--filter', '@neurosphere/db', 'migrate'], env);
  if (migrated !== 0) {
    console.error(`[test] migrations failed (exit ${migrated}); no tests were run`);
    return 1;
  }
  if (run.isInterrupted()) return 130;

  // After the migrations, which give the application roles their passwords (PgBouncer logs in with them).
  const withDbPackage = filters.length === 0 || filters.includes(DB_PACKAGE);
  const pgbouncer = withDbPackage ? await preparePgbouncer(databaseUrls, postgresPort) : undefined;
  // The app role through PgBouncer's one-connection pool: the test that two tenants' transactions
  // sharing a server connection never see each other's tenant setting (packages/db).
  if (pgbouncer) env.NEUROSPHERE_TEST_PGBOUNCER_SINGLE_URL = pgbouncer.url(new URL(databaseUrls.app).username, { singleConnection: true });

  let checks = 0;
  if (skipChecks) log('--skip-checks: no typecheck or lint');
  else {
    // format:check is the root's Prettier check (turbo's `//#format:check`): whole tree, so only unfiltered runs have it.
    log('turbo run typecheck lint format:check');
    checks = await runStep(turboBin, ['run', 'typecheck', 'lint', 'format:check', '--continue', '--concurrency=3', ...filterArgs], env);
  }
  if (run.isInterrupted()) return 130;

  log(`turbo run test --concurrency=1${filters.length ? ` (${filters.join(', ')})` : ''}`);
  const reporter = path.join(repoRoot, 'infra', 'jest-summary-reporter.cjs');
  const tests = await runStep(
    turboBin,
    ['run', 'test', '--concurrency=1', '--continue', ...filterArgs, '--', ...jestArgs, '--reporters=default', `--reporters=${reporter}`],
    env,
    TEST_PHASE_TIMEOUT_MS,
  );
  if (run.isInterrupted()) return 130;

  const withTests = listWorkspacePackages(repoRoot)
    .filter((workspacePackage) => workspacePackage.scripts.test && (filters.length === 0 || filters.includes(workspacePackage.name)))
    .map((workspacePackage) => workspacePackage.name);
  const totals = totalJestReports(readJestReports(reportDir), withTests);
  rmSync(reportDir, { recursive: true, force: true });

  // The database package's tests again, their application roles connecting through PgBouncer.
  let pooledTests = 0;
  if (pgbouncer) {
    const pooledReportDir = `${reportDir}-pgbouncer`;
    const pooledEnv: NodeJS.ProcessEnv = {
      ...env,
      DATABASE_URL: pgbouncer.url(new URL(databaseUrls.app).username),
      DATABASE_PLATFORM_URL: pgbouncer.url(new URL(databaseUrls.platform).username),
      NEUROSPHERE_TEST_REPORT_DIR: pooledReportDir,
    };
    log(`turbo run test (${DB_PACKAGE}) through PgBouncer, transaction pooling`);
    pooledTests = await runStep(
      turboBin,
      [
        'run',
        'test',
        '--concurrency=1',
        '--continue',
        `--filter=${DB_PACKAGE}`,
        '--',
        ...jestArgs,
        // Not through a pooler: the migration tests create databases of their own (the owner URL
        // migrates directly in production too), and the pool test watches server-side connections.
        '--testPathIgnorePatterns',
        'src/migrations/',
        'src/client/pool-options',
        '--reporters=default',
        `--reporters=${reporter}`,
      ],
      pooledEnv,
      TEST_PHASE_TIMEOUT_MS,
    );
    if (run.isInterrupted()) return 130;
    const pooled = totalJestReports(readJestReports(pooledReportDir), [DB_PACKAGE]);
    rmSync(pooledReportDir, { recursive: true, force: true });
    totals.passed += pooled.passed;
    totals.failed += pooled.failed;
    totals.skipped += pooled.skipped;
    totals.failures.push(...pooled.failures.map((failure) => `through PgBouncer: ${failure}`));
  }
  const logScan = scanLogDir(
    logDir,
    runSecrets.filter((secret) => secret !== ''),
  );
  rmSync(logDir, { recursive: true, force: true });
  if (logScan.leaks.length > 0) {
    console.log(`Log leaks (${logScan.leaks.length}; the first 20):`);
    for (const leak of logScan.leaks.slice(0, 20)) console.log(`  ${leak.file}:${leak.line}: ${leak.what}: ${leak.excerpt}`);
    // Counted as one failure, so the closing line and the exit code say so.
    totals.failed += 1;
    totals.failures.push(`log scan: ${logScan.leaks.length} leaks (phone numbers, tokens or secrets) in the logs of this run`);
  }

  console.log('');
  if (totals.failures.length > 0) {
    console.log('Failed:');
    for (const failure of totals.failures) console.log(`  ✗ ${failure}`);
  }
  console.log(`typecheck + lint + format: ${checks === 0 ? 'passed' : 'FAILED (see above)'}`);
  console.log(`tests: ${totals.skipped} skipped; turbo test exit code ${tests}${pgbouncer ? `, through PgBouncer ${pooledTests}` : ''}`);
  console.log(`log scan: ${logScan.lines} lines from ${logScan.files} processes, ${logScan.leaks.length} leaks`);
  if (testNode) console.log(`node: ${testNode.version} (NEUROSPHERE_TEST_NODE=${testNode.major})`);
  console.log(closingLine(totals));
  return checks === 0 && tests === 0 && pooledTests === 0 && totals.failed === 0 ? 0 : 1;
}

main()
  .catch((error: unknown) => {
    console.error(`[test] ${(error as Error).message}`);
    return 1;
  })
  .then(async (code) => {
    await run.stop();
    process.exit(code);
  });
