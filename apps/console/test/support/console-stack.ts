// The console as a browser meets it in production: the built files served by server/app.ts, which
// forwards /v1 to a real admin-api process (started from its sources, as its dev script does) on the
// test's PostgreSQL and Redis. Chromium is Debian's (/usr/bin/chromium), driven by playwright-core.
import { generateServiceKeyPair } from '@neurosphere/auth';
import { requireTestDatabaseEnv } from '@neurosphere/db/testing';
import { createLogger } from '@neurosphere/http';
import { freePort } from '@neurosphere/testing';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { buildConsoleServer } from '../../server/app';

const consoleDir = path.resolve(__dirname, '..', '..');
const repoRoot = path.resolve(consoleDir, '..', '..');

/** Debian's chromium; nothing downloads a browser (see docs: Playwright with executablePath). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where the browser tests leave screenshots of the main pages for a reviewer (git-ignored). */
export const SCREENSHOT_DIR = process.env.CONSOLE_SCREENSHOT_DIR ?? path.join(repoRoot, '.local', 'console-screenshots');

export interface ConsoleStack {
  /** http://localhost:<port>: the console's origin, the one admin-api allows (CONSOLE_URL). */
  url: string;
  browser: Browser;
  stop(): Promise<void>;
}

/** `vite build` into a temporary folder: what production serves (no lock: nothing else writes there). */
async function buildConsole(outDir: string): Promise<void> {
  const vite = path.join(consoleDir, 'node_modules', 'vite', 'bin', 'vite.js');
  const child = spawn(process.execPath, [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn', '--bypass-lock'], {
    cwd: consoleDir,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0) throw new Error(`vite build failed (${code}):\n${Buffer.concat(output).toString()}`);
}

// However the test process ends, the admin-api it started does not outlive it.
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

async function startAdminApi(options: { port: number; consoleUrl: string }): Promise<ChildProcess> {
  const db = requireTestDatabaseEnv();
  const { privateJwk, publicJwk } = await generateServiceKeyPair(`admin-api-console-test-${randomBytes(4).toString('hex')}`);
  const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', 'src/main.ts'], {
    cwd: path.join(repoRoot, 'apps', 'admin-api'),
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      PORT: String(options.port),
      DATABASE_URL: db.appUrl,
      DATABASE_PLATFORM_URL: db.platformUrl,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      ADMIN_JWT_SECRET: randomBytes(48).toString('base64'),
      SERVICE_JWT_PRIVATE_JWK: JSON.stringify(privateJwk),
      SERVICE_JWKS: JSON.stringify({ keys: [publicJwk] }),
      CONSOLE_URL: options.consoleUrl,
      // The console server is the one proxy in front of admin-api here.
      ADMIN_TRUST_PROXY_HOPS: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const chunks: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk));
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`admin-api exited (${child.exitCode}):\n${Buffer.concat(chunks).toString().slice(-3000)}`);
    const ready = await fetch(`http://127.0.0.1:${options.port}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return child;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`admin-api not ready after 90 s:\n${Buffer.concat(chunks).toString().slice(-3000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * The built console served on `port` (127.0.0.1, reached as localhost), forwarding /v1 to
 * `adminApiUrl` (which need not be up yet), and a Chromium to drive it.
 */
export async function serveConsole(options: { port: number; adminApiUrl: string }): Promise<ConsoleStack> {
  const outDir = mkdtempSync(path.join(tmpdir(), 'neurosphere-console-'));
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  let server: Server | undefined;
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    rmSync(outDir, { recursive: true, force: true });
  };
  try {
    await buildConsole(path.join(outDir, 'public'));
    const app = buildConsoleServer({
      staticDir: path.join(outDir, 'public'),
      adminApiUrl: options.adminApiUrl,
      logger: createLogger({ service: 'console-test', level: 'silent' }),
    });
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(options.port, '127.0.0.1', () => resolve(listening));
    });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `http://localhost:${options.port}`, browser, stop };
}

export async function startConsoleStack(): Promise<ConsoleStack> {
  const [consolePort, adminApiPort] = [await freePort(), await freePort()];
  const url = `http://localhost:${consolePort}`;
  let adminApi: ChildProcess | undefined;
  let consoleServer: ConsoleStack | undefined;
  const stop = async () => {
    await consoleServer?.stop();
    if (adminApi && adminApi.exitCode === null) {
      const exited = new Promise((resolve) => adminApi?.once('exit', resolve));
      adminApi.kill('SIGTERM');
      await exited;
    }
  };
  try {
    // Both at once; a failure of one must not leave the other running: wait for both either way.
    const [started, served] = await Promise.allSettled([
      startAdminApi({ port: adminApiPort, consoleUrl: url }).then((child) => (adminApi = child)),
      serveConsole({ port: consolePort, adminApiUrl: `http://127.0.0.1:${adminApiPort}` }).then((served) => (consoleServer = served)),
    ]);
    if (started.status === 'rejected') throw started.reason;
    if (served.status === 'rejected') throw served.reason;
    return { url, browser: served.value.browser, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
