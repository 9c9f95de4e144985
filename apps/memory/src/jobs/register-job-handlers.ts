import type { Logger } from '@neurosphere/http';
import type { Pool } from 'pg';
import type { JobHandlers } from './memory-worker';

export interface JobDeps {
  logger: Logger;
  pool: Pool;
}

/**
 * The handlers the memory worker runs, by job name. Each job definition under src/jobs/ (name,
 * zod payload with a required customerId, handler) adds its entry here. None exist yet.
 */
export function registerJobHandlers(_deps: JobDeps): JobHandlers {
  return {};
}
