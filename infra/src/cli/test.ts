/**
 * The test run behind `scripts/test` (which has already installed pnpm, the dependencies and the
 * Prisma client): a throwaway PostgreSQL and Redis (unless DATABASE_URL / REDIS_URL are given),
 * migrations on a fresh database, then `turbo run typecheck lint` and `turbo run test`, one package
 * at a time against that one database. Ends with the line "N passed, N failed" and exits non-zero
 * on any failure. PostgreSQL and Redis are stopped however the run ends.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { byokEnvironment, generateByokKeyring } from '../stack/byok-keyring';
import { localDir, localPaths, repoRoot, turboBin } from '../stack/paths';
import { databaseEnvironment, databaseUrlsFromEnvironment, localDatabaseUrls, PROVIDER_VARIABLES } from '../stack/platform-env';
import type { DatabaseUrls } from '../stack/platform-env';
import { ensureDatabase, removeAbandonedRuns, startLocalPostgres } from '../stack/postgres';
import type { LocalPostgres } from '../stack/postgres';
import { findFreePort, signalProcess, waitForChildExit } from '../stack/processes';
import { removeAbandonedRedisRuns, startLocalRedis } from '../stack/redis';
import type { LocalRedis } from '../stack/redis';
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


let postgres: LocalPostgres | undefined;
let redis: LocalRedis | undefined;
let current: ChildProcess | undefined;
let interrupted = false;

async function stopServices(): Promise<void> {
  await redis?.stop().catch((error: Error) => console.error(`[test] stopping Redis: ${error.message}`));
  await postgres?.stop().catch((error: Error) => console.error(`[test] stopping PostgreSQL: ${error.message}`));
}

async function prepareDatabase(): Promise<DatabaseUrls> {
  if (process.env.DATABASE_URL) {
    log('DATABASE_URL is set: testing against that PostgreSQL (it is migrated, not recreated)');
    return databaseUrlsFromEnvironment(process.env);
  }
  await removeAbandonedRuns(localPaths.testPostgres, log);
  const port = await findFreePort();
  postgres = await startLocalPostgres({
    baseDir: path.join(localPaths.testPostgres, `run-${process.pid}`),
    port,
    superuser: 'postgres',
    superuserPassword: 'postgres',
    throwaway: true,
    log,
  });
  log(`throwaway PostgreSQL 17 on 127.0.0.1:${port}`);
  await ensureDatabase(postgres.superuserUrl('postgres'), TEST_DATABASE);
  return localDatabaseUrls(port, TEST_DATABASE, postgres.superuserUrl(TEST_DATABASE));
}

async function prepareRedis(): Promise<string> {
  if (process.env.REDIS_URL) {
    log('REDIS_URL is set: testing against that Redis');
    return process.env.REDIS_URL;
  }
  await removeAbandonedRedisRuns(localPaths.testRedis, log);
  const port = await findFreePort();
  redis = await startLocalRedis({ dir: path.join(localPaths.testRedis, `run-${process.pid}`), port, persistent: false, log });
  log(`throwaway Redis on 127.0.0.1:${port}`);
  return redis.url;
}

/** Runs a command as the current child (so a signal can stop it) and resolves with its exit code. */
function runStep(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs?: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, env, stdio: 'inherit' });
    current = child;
    const timer = timeoutMs
      ? setTimeout(() => {
          console.error(`[test] ${path.basename(command)} ${args.join(' ')} still running after ${timeoutMs / 60_000} min: stopping it`);
          signalProcess(child.pid!, 'SIGTERM');
          setTimeout(() => signalProcess(child.pid!, 'SIGKILL'), 10_000).unref();
        }, timeoutMs)
      : undefined;
    child.once('error', reject);
    child.once('exit', (code) => {
      if (timer) clearTimeout(timer);
      current = undefined;
      resolve(code ?? 1);
    });
  });
}

async function main(): Promise<number> {
  const { filters, skipChecks, jestArgs } = parseTestArgs(process.argv.slice(2));
  const testNodeMajor = parseTestNodeMajor(process.env.NEUROSPHERE_TEST_NODE);
  const testNode = testNodeMajor === undefined ? undefined : ensureTestNode({ major: testNodeMajor, localDir, log });
  const filterArgs = filters.map((name) => `--filter=${name}`);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (interrupted) return;
      interrupted = true;
      log(`${signal}: stopping`);
      if (current?.pid) signalProcess(current.pid, 'SIGTERM');
      void (current ? waitForChildExit(current, 15_000) : Promise.resolve(true)).then(stopServices).then(() => process.exit(130));
    });
  }

  const databaseUrls = await prepareDatabase();
  const redisUrl = await prepareRedis();
  const keyring = await generateServiceKeyring([...KEYED_SERVICE_NAMES, 'test-runner'], 'test');
  const { 'test-runner': runnerKey, ...serviceKeys } = keyring.privateKeys;
  const reportDir = path.join(localPaths.testReports, `run-${process.pid}`);
  rmSync(reportDir, { recursive: true, force: true });

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
    SERVICE_JWT_PRIVATE_JWK: JSON.stringify(runnerKey),
    ...Object.fromEntries(Object.entries(serviceKeys).map(([name, key]) => [privateKeyVariable(name), JSON.stringify(key)])),
    ...byokEnvironment(generateByokKeyring('test-1')),
    ...Object.fromEntries(HTTP_SERVICES.flatMap((service) => service.secrets).map((name) => [name, generateSecret()])),
    NEUROSPHERE_TEST_REPORT_DIR: reportDir,
    TURBO_TELEMETRY_DISABLED: '1',
    ...(testNode ? { PATH: pathWithTestNode(testNode, inherited.PATH) } : {}),
  };
  if (testNode) log(`NEUROSPHERE_TEST_NODE=${testNode.major}: every step runs on Node.js ${testNode.version} (${path.relative(repoRoot, testNode.binDir)})`);

  log('pnpm --filter @neurosphere/db migrate');
  const migrated = await runStep('pnpm', ['--filter', '@neurosphere/db', 'migrate'], env);
  if (migrated !== 0) {
    console.error(`[test] migrations failed (exit ${migrated}); no tests were run`);
    return 1;
  }
  if (interrupted) return 130;

  let checks = 0;
  if (skipChecks) log('--skip-checks: no typecheck or lint');
  else {
    log('turbo run typecheck lint');
    checks = await runStep(turboBin, ['run', 'typecheck', 'lint', '--continue', '--concurrency=3', ...filterArgs], env);
  }
  if (interrupted) return 130;

  log(`turbo run test --concurrency=1${filters.length ? ` (${filters.join(', ')})` : ''}`);
  const reporter = path.join(repoRoot, 'infra', 'jest-summary-reporter.cjs');
  const tests = await runStep(
    turboBin,
    ['run', 'test', '--concurrency=1', '--continue', ...filterArgs, '--', ...jestArgs, '--reporters=default', `--reporters=${reporter}`],
    env,
    TEST_PHASE_TIMEOUT_MS,
  );
  if (interrupted) return 130;

  const withTests = listWorkspacePackages(repoRoot)
    .filter((workspacePackage) => workspacePackage.scripts.test && (filters.length === 0 || filters.includes(workspacePackage.name)))
    .map((workspacePackage) => workspacePackage.name);
  const totals = totalJestReports(readJestReports(reportDir), withTests);
  rmSync(reportDir, { recursive: true, force: true });

  console.log('');
  if (totals.failures.length > 0) {
    console.log('Failed:');
    for (const failure of totals.failures) console.log(`  ✗ ${failure}`);
  }
  console.log(`typecheck + lint: ${checks === 0 ? 'passed' : 'FAILED (see above)'}`);
  console.log(`tests: ${totals.skipped} skipped; turbo test exit code ${tests}`);
  if (testNode) console.log(`node: ${testNode.version} (NEUROSPHERE_TEST_NODE=${testNode.major})`);
  console.log(closingLine(totals));
  return checks === 0 && tests === 0 && totals.failed === 0 ? 0 : 1;
}

main()
  .catch((error: unknown) => {
    console.error(`[test] ${(error as Error).message}`);
    return 1;
  })
  .then(async (code) => {
    await stopServices();
    process.exit(code);
  });
