import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { waitForChildExit } from '../../infra/src/stack/processes';

/**
 * Starts `node <args>` in `cwd` with exactly `env` (plus PATH). The child exits when this process
 * dies, however it dies (lib/exit-with-parent.cjs). Its output is shown with BENCH_VERBOSE=1
 * (`stdout: 'pipe'`: read by the caller instead); errors always.
 */
export function startNode(args: readonly string[], options: { cwd: string; env: Record<string, string>; stdout?: 'pipe' }): ChildProcess {
  const child = spawn(process.execPath, ['--require', path.join(__dirname, 'exit-with-parent.cjs'), ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', options.stdout ?? (process.env.BENCH_VERBOSE ? 'inherit' : 'ignore'), 'inherit', 'ipc'],
  });
  return child;
}

/** Polls `url` until it answers 200; fails early when `child` exits. */
export async function waitForHttp(url: string, child: ChildProcess, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${url}: the process exited (${child.exitCode ?? child.signalCode}) before answering`);
    const ok = await fetch(url).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the child is gone. */
export async function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  if (await waitForChildExit(child, graceMs)) return;
  child.kill('SIGKILL');
  await waitForChildExit(child, graceMs);
}

/** Fields of /proc/<pid>/stat after "pid (comm) ", or undefined when the process is gone. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) a process has used so far, in ms (Linux, 100 clock ticks per second). */
export function processCpuMs(pid: number | undefined): number {
  const fields = pid === undefined ? undefined : statFields(pid);
  return fields ? ((Number(fields[11]) + Number(fields[12])) * 1000) / 100 : Number.NaN;
}

/** Resident set size of a process in bytes (VmRSS of /proc/<pid>/status), NaN when it is gone. */
export function residentBytes(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}
