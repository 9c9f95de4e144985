/**
 * The production build, proven without Docker: runs the same command as the Dockerfile's build
 * stage (infra/src/cli/build-artifacts.ts) for every app (once per test run: test-artifacts.ts),
 * then starts each app and the memory worker from it with plain `node` against the test run's
 * PostgreSQL and Redis, and waits for every /readyz. Needs the test runner's environment (scripts/test).
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { findFreePort, signalProcess, sleep, waitForChildExit } from '../stack/processes';
import { probeReadyz } from '../stack/readiness';
import { CONSOLE_SERVER, HTTP_SERVICES, privateKeyVariable, WORKERS } from '../stack/service-catalog';
import { BUILDABLE_APPS, MIGRATE_ENTRY } from './build-artifacts';
import { prepareTestArtifacts, runToEnd } from './test-artifacts';
import type { TestArtifacts } from './test-artifacts';

// A cold build compiles every workspace package with tsc: minutes on two shared cores.
const BUILD_TIMEOUT_MS = 12 * 60_000;
const START_TIMEOUT_MS = 90_000;

interface Started {
  name: string;
  child: ChildProcess;
  output: string[];
}

let artifacts: TestArtifacts | undefined;
let outDir = '';
const started: Started[] = [];

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this test through scripts/test`);
  return value;
}

function startFromArtifact(name: string, app: string, entry: string, env: NodeJS.ProcessEnv): Started {
  const child = spawn(process.execPath, [entry], { cwd: path.join(outDir, app), env, stdio: ['ignore', 'pipe', 'pipe'] });
  const process_: Started = { name, child, output: [] };
  child.stdout!.on('data', (chunk: Buffer) => process_.output.push(chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => process_.output.push(chunk.toString('utf8')));
  started.push(process_);
  return process_;
}

function describeExit(process_: Started): string {
  return `${process_.name} exited (${process_.child.signalCode ?? process_.child.exitCode}):\n${process_.output.join('').slice(-4000)}`;
}

beforeAll(async () => {
  artifacts = await prepareTestArtifacts();
  outDir = artifacts.dir;
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  for (const { child } of started) signalProcess(child.pid!, 'SIGKILL');
  await Promise.all(started.map(({ child }) => waitForChildExit(child, 5_000)));
  artifacts?.release();
});

describe('the production build (what the Dockerfile runs)', () => {
  it.each(BUILDABLE_APPS.map((app) => [app]))('%s: compiled JavaScript and production dependencies only', (app) => {
    const folder = path.join(outDir, app);
    const manifest = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as {
      devDependencies?: Record<string, string>;
    };
    expect(readdirSync(folder).sort()).toEqual(expect.arrayContaining(['dist', 'node_modules', 'package.json']));
    expect(existsSync(path.join(folder, 'src'))).toBe(false);
    expect(
      readdirSync(path.join(folder, 'dist'), { recursive: true }).filter(
        (file) => String(file).endsWith('.ts') && !String(file).endsWith('.d.ts'),
      ),
    ).toEqual([]);
    for (const devDependency of Object.keys(manifest.devDependencies ?? {})) {
      expect([devDependency, existsSync(path.join(folder, 'node_modules', devDependency))]).toEqual([devDependency, false]);
    }
    if (app === CONSOLE_SERVER.app) {
      // The console's server and the built app beside it; no database code at all.
      expect(existsSync(path.join(folder, 'dist', 'public', 'index.html'))).toBe(true);
      expect(existsSync(path.join(folder, 'node_modules', '@neurosphere', 'db'))).toBe(false);
      return;
    }
    // Workspace packages are copies of their compiled files, with the generated Prisma client inside.
    const db = path.join(folder, 'node_modules', '@neurosphere', 'db');
    expect(existsSync(path.join(db, 'src'))).toBe(false);
    expect(existsSync(path.join(db, 'dist', 'generated', 'prisma', 'client.js'))).toBe(true);
    expect(
      readdirSync(path.join(db, 'prisma', 'migrations')).some((name) =>
        existsSync(path.join(db, 'prisma', 'migrations', name, 'migration.sql')),
      ),
    ).toBe(true);
  });

  it('migrates with plain node from an artifact (the compose and Kubernetes migration step)', async () => {
    const result = await runToEnd(process.execPath, [MIGRATE_ENTRY], {
      cwd: path.join(outDir, 'admin-api'),
      env: {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_OWNER_URL: requireEnv('DATABASE_OWNER_URL'),
        DATABASE_URL: requireEnv('DATABASE_URL'),
        DATABASE_PLATFORM_URL: requireEnv('DATABASE_PLATFORM_URL'),
      },
    });
    expect({ code: result.code, output: result.output }).toEqual({
      code: 0,
      output: expect.stringMatching(/database is up to date|applied \d+ migration/),
    });
  });

  it(
    'starts every app, the console and the memory worker with plain node; each app answers /readyz',
    async () => {
      const ports = Object.fromEntries(
        await Promise.all([...HTTP_SERVICES, CONSOLE_SERVER].map(async (service) => [service.name, await findFreePort()] as const)),
      );
      const urls = Object.fromEntries(HTTP_SERVICES.map((service) => [service.urlVariable, `http://127.0.0.1:${ports[service.name]}`]));
      // The test runner's environment (database, Redis, JWKS, every service's key, BYOK keyring,
      // ADMIN_JWT_SECRET), as a deployment would set it; providers stay unconfigured.
      const shared: NodeJS.ProcessEnv = {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        ...urls,
        PUBLIC_BASE_URL: urls.GATEWAY_URL,
      };
      for (const service of HTTP_SERVICES) {
        startFromArtifact(service.name, service.app, 'dist/main.js', {
          ...shared,
          PORT: String(ports[service.name]),
          SERVICE_JWT_PRIVATE_JWK: requireEnv(privateKeyVariable(service.name)),
          // Provider credentials a service cannot boot without (the gateway's Twilio token).
          ...Object.fromEntries(service.devStandIns.map((name) => [name, `production-build-test-${name}`])),
        });
      }
      startFromArtifact(CONSOLE_SERVER.name, CONSOLE_SERVER.app, 'dist/main.js', { ...shared, PORT: String(ports[CONSOLE_SERVER.name]) });
      const workers = WORKERS.map((worker) =>
        startFromArtifact(`${worker.app} ${worker.name}`, worker.app, worker.productionEntry, {
          ...shared,
          SERVICE_JWT_PRIVATE_JWK: requireEnv(privateKeyVariable(worker.name)),
        }),
      );

      const deadline = Date.now() + START_TIMEOUT_MS;
      const pending = new Set<string>([...HTTP_SERVICES, CONSOLE_SERVER].map((service) => service.name));
      while (pending.size > 0 && Date.now() < deadline) {
        const exited = started.find(({ child }) => child.exitCode !== null || child.signalCode !== null);
        if (exited) throw new Error(describeExit(exited));
        for (const name of [...pending]) {
          if ((await probeReadyz(`http://127.0.0.1:${ports[name]}`)).ready) pending.delete(name);
        }
        if (pending.size > 0) await sleep(500);
      }
      expect([...pending]).toEqual([]);
      // The console serves its page with the strict policy and forwards the API to admin-api.
      const page = await fetch(`http://127.0.0.1:${ports[CONSOLE_SERVER.name]}/login`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self';");
      expect(await page.text()).toContain('<div id="root">');
      expect((await fetch(`http://127.0.0.1:${ports[CONSOLE_SERVER.name]}/v1/auth/me`)).status).toBe(401);

      // The worker has no HTTP server: it logs once BullMQ is connected and waiting for jobs.
      for (const worker of workers) {
        while (!worker.output.join('').includes('"msg":"memory worker started"') && Date.now() < deadline) {
          if (worker.child.exitCode !== null) throw new Error(describeExit(worker));
          await sleep(200);
        }
        expect(worker.output.join('')).toContain('"msg":"memory worker started"');
      }
      expect(started.filter(({ child }) => child.exitCode !== null || child.signalCode !== null).map(describeExit)).toEqual([]);

      // Graceful shutdown on SIGTERM (what Kubernetes and compose send): every process exits 0.
      for (const { child } of started) signalProcess(child.pid!, 'SIGTERM');
      await Promise.all(started.map(({ child }) => waitForChildExit(child, 35_000)));
      expect(started.map(({ name, child }) => [name, child.exitCode])).toEqual(started.map(({ name }) => [name, 0]));
    },
    START_TIMEOUT_MS + 60_000,
  );
});
