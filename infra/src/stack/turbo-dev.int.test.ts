/**
 * `pnpm dev` (that is `turbo run dev`) on its own, as in a fresh clone after the install: a throwaway stack (its own
 * PostgreSQL, Redis, keys and env files under a temporary NEUROSPHERE_LOCAL_DIR, every port moved
 * to a free one) from a shell that exports nothing else. Every app must answer /readyz and the
 * memory worker must start; the CLIs the README shows must then work without variables exported
 * by hand; Ctrl-C (SIGINT to the process group) must stop everything, PostgreSQL and Redis included.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { localPortVariable } from './local-ports';
import { localDir, repoRoot } from './paths';
import { findFreePort, isPortFree, isProcessAlive, signalProcess, sleep, waitForChildExit } from './processes';
import { probeReadyz } from './readiness';
import { CONSOLE_DEV_SERVER, HTTP_SERVICES } from './service-catalog';
import { readRunningStack } from './stack-state';
import type { StackState } from './stack-state';

const READY_TIMEOUT_MS = 5 * 60_000;
const STOP_TIMEOUT_MS = 60_000;

// Under the git-ignored .local/, where the postgres user can reach it when we run as root.
mkdirSync(localDir, { recursive: true });
const stackDir = mkdtempSync(path.join(localDir, 'turbo-dev-test-'));
chmodSync(stackDir, 0o755);
const stateFile = path.join(stackDir, 'stack.json');

let turbo: ChildProcess | undefined;
let output = '';
let stack: StackState | undefined;
let env: NodeJS.ProcessEnv = {};
const ports: Record<string, number> = {};

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Runs one of the README's commands from the repository root, in the same bare shell as turbo dev. */
function runCommand(command: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, output: text }));
  });
}

beforeAll(async () => {
  for (const service of HTTP_SERVICES) ports[service.name] = await findFreePort();
  ports.postgres = await findFreePort();
  ports.redis = await findFreePort();
  // A developer's shell: no database, Redis or key variables (the test runner's are left out).
  env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...(process.env.CI ? { CI: process.env.CI } : {}),
    TURBO_TELEMETRY_DISABLED: '1',
    NEUROSPHERE_LOCAL_DIR: stackDir,
    LOCAL_PG_PORT: String(ports.postgres),
    LOCAL_REDIS_PORT: String(ports.redis),
    ...Object.fromEntries(HTTP_SERVICES.map((service) => [localPortVariable(service.name), String(ports[service.name])])),
    // The console's Vite dev server too, so this stack runs beside a developer's.
    [CONSOLE_DEV_SERVER.portVariable]: String(await findFreePort()),
  };
  // Its own process group, so that a SIGINT to the group is what Ctrl-C in a terminal sends.
  turbo = spawn('pnpm', ['dev'], { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  turbo.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  turbo.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
});

afterAll(async () => {
  if (turbo && !exited(turbo)) {
    signalProcess(-turbo.pid!, 'SIGINT');
    if (!(await waitForChildExit(turbo, STOP_TIMEOUT_MS))) signalProcess(-turbo.pid!, 'SIGKILL');
  }
  // PostgreSQL and Redis run in process groups of their own: never leave them behind.
  for (const pid of [stack?.postgres.pid, stack?.redis.pid]) if (pid && isProcessAlive(pid)) signalProcess(pid, 'SIGKILL');
  rmSync(stackDir, { recursive: true, force: true });
}, STOP_TIMEOUT_MS + 10_000);

describe('pnpm dev in a fresh clone', () => {
  it(
    'starts PostgreSQL, Redis, every app and the memory worker; each app answers /readyz',
    async () => {
      const deadline = Date.now() + READY_TIMEOUT_MS;
      const pending = new Set(HTTP_SERVICES.map((service) => service.name));
      let workerStarted = false;
      while ((pending.size > 0 || !workerStarted) && Date.now() < deadline) {
        if (exited(turbo!)) throw new Error(`turbo dev exited (${turbo!.exitCode ?? turbo!.signalCode}):\n${output.slice(-6000)}`);
        stack ??= readRunningStack(stateFile);
        for (const name of [...pending]) if ((await probeReadyz(`http://127.0.0.1:${ports[name]}`)).ready) pending.delete(name);
        workerStarted = output.includes('"msg":"memory worker started"');
        if (pending.size > 0 || !workerStarted) await sleep(500);
      }
      // What a service that never got ready printed (turbo prefixes each line with its task).
      const logsOf = (name: string) =>
        output
          .split('\n')
          .filter((line) => line.startsWith(`${HTTP_SERVICES.find((service) => service.name === name)!.packageName}:dev:`))
          .slice(-30);
      expect({ notReady: [...pending].map((name) => ({ name, logs: logsOf(name) })), workerStarted }).toEqual({
        notReady: [],
        workerStarted: true,
      });
      expect(stack?.postgres.url).toContain(`127.0.0.1:${ports.postgres}/`);
      // The dev Redis requires a password; the state (and the status table) never shows it.
      expect(stack?.redis.url).toBe(`redis://:***@127.0.0.1:${ports.redis}`);
    },
    READY_TIMEOUT_MS + 10_000,
  );

  it('runs the documented CLIs against it without exported variables', async () => {
    const seed = JSON.parse(readFileSync(path.join(repoRoot, 'packages', 'db', 'seed', 'demo-tenants.json'), 'utf8')) as {
      tenants: { greeting: string; phoneNumbers: { e164: string }[]; admins: { email: string }[] }[];
    };
    const tenant = seed.tenants[0]!;

    const setPassword = await runCommand(
      'pnpm',
      ['--filter', '@neurosphere/admin-api', 'set-password', '--', '--email', tenant.admins[0]!.email],
      {
        ADMIN_PASSWORD: 'a long enough dev password',
      },
    );
    expect(setPassword).toEqual({ code: 0, output: expect.stringContaining(`password set for ${tenant.admins[0]!.email}`) });

    expect(await runCommand('pnpm', ['db:seed'])).toEqual({ code: 0, output: expect.stringMatching(/tenant \d+ ".+": updated/) });

    // The README's command exactly; with no keyboard (stdin at its end) the caller hangs up after the greeting.
    const readmeCall = 'pnpm call -- --to +12015550101 --from +12125550123';
    expect(readFileSync(path.join(repoRoot, 'README.md'), 'utf8')).toContain(`\`${readmeCall}\``);
    expect(tenant.phoneNumbers.map((number) => number.e164)).toContain('+12015550101');
    const [command, ...args] = readmeCall.split(' ');
    const call = await runCommand(command!, args);
    expect(call).toEqual({
      code: 0,
      output: expect.stringMatching(new RegExp(`agent: ${escapeRegExp(tenant.greeting)}[\\s\\S]*call ended by caller`)),
    });
  }, 180_000);

  it(
    'stops everything on Ctrl-C: the apps, then Redis and PostgreSQL',
    async () => {
      signalProcess(-turbo!.pid!, 'SIGINT');
      expect(await waitForChildExit(turbo!, STOP_TIMEOUT_MS)).toBe(true);
      expect(output).toContain('[stack] stopped');
      expect(existsSync(stateFile)).toBe(false);
      expect([stack?.postgres.pid, stack?.redis.pid].map((pid) => pid !== undefined && isProcessAlive(pid))).toEqual([false, false]);
      const stillListening = [];
      for (const [name, port] of Object.entries(ports)) if (!(await isPortFree(port))) stillListening.push(name);
      expect(stillListening).toEqual([]);
    },
    STOP_TIMEOUT_MS + 10_000,
  );
});
