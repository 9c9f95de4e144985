import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { isProcessAlive } from './processes';

/**
 * What the running dev stack (`turbo dev`'s @neurosphere/infra#dev task) tells the apps' dev
 * scripts and `scripts/start`: it is ready (PostgreSQL, Redis, migrations, seed, env files), which
 * process it is, and what it runs. Written last on start, removed first on stop.
 */
const stackStateSchema = z.object({
  pid: z.number().int(),
  postgres: z.object({ url: z.string(), pid: z.number().int().optional() }),
  redis: z.object({ url: z.string(), pid: z.number().int().optional() }),
  /** The local mail catcher, when no SMTP server is configured. */
  mail: z.object({ url: z.string() }).optional(),
  notes: z.array(z.string()),
});

export type StackState = z.infer<typeof stackStateSchema>;

export function writeStackState(file: string, state: StackState): void {
  // Renamed into place, so a reader never sees half a file.
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

/** The state of a stack that is running now; undefined when none is (or one died without cleaning up). */
export function readRunningStack(file: string): StackState | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const state = stackStateSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    return isProcessAlive(state.pid) ? state : undefined;
  } catch {
    return undefined;
  }
}

export function removeStackState(file: string): void {
  rmSync(file, { force: true });
}
