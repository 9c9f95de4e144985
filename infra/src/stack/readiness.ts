import { readlinkSync } from 'node:fs';
import { listDescendants, readCommandLine } from './processes';

export interface Probe {
  ready: boolean;
  /** e.g. "ready", "HTTP 503", "connection refused" */
  detail: string;
}

/** GET <baseUrl>/readyz: ready on a 2xx answer. */
export async function probeReadyz(baseUrl: string): Promise<Probe> {
  try {
    const response = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.ok ? { ready: true, detail: 'ready' } : { ready: false, detail: `HTTP ${response.status}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    if (cause?.code === 'ECONNREFUSED') return { ready: false, detail: 'not listening' };
    return { ready: false, detail: (error as Error).name === 'TimeoutError' ? 'no answer within 2 s' : (error as Error).message };
  }
}

/**
 * A worker has no HTTP server: it counts as running while a process started by the stack runs its
 * entry file from its app folder. tsx watch keeps a watcher process alive even after the worker
 * crashed, so the watcher itself (command line with "watch") does not count.
 */
export function findWorkerProcess(stackPid: number, appDir: string, entry: string): number | undefined {
  for (const pid of listDescendants(stackPid)) {
    const commandLine = readCommandLine(pid);
    if (!commandLine?.includes(entry) || / watch /.test(` ${commandLine} `)) continue;
    try {
      if (readlinkSync(`/proc/${pid}/cwd`) === appDir) return pid;
    } catch {
      continue;
    }
  }
  return undefined;
}

export interface StatusRow {
  service: string;
  address: string;
  status: string;
}

/** A plain-text table with aligned columns. */
export function renderStatusTable(rows: readonly StatusRow[]): string {
  const header: StatusRow = { service: 'SERVICE', address: 'URL', status: 'HEALTH' };
  const all = [header, ...rows];
  const width = (key: keyof StatusRow) => Math.max(...all.map((row) => row[key].length));
  const line = (row: StatusRow) => `${row.service.padEnd(width('service'))}  ${row.address.padEnd(width('address'))}  ${row.status}`;
  const rule = '-'.repeat(width('service') + width('address') + width('status') + 4);
  return [line(header), rule, ...rows.map(line)].join('\n');
}
