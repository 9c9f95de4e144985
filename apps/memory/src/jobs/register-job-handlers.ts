import type { Logger } from '@neurosphere/http';
import type { Db } from '@neurosphere/db';
import type { CallSummarizer } from '../domain/calls/call-summarizer';
import type { JobHandlers } from './memory-worker';
import { SUMMARIZE_CALL_JOB, summarizeCallHandler } from './summarize-call-job';

export interface JobDeps {
  logger: Logger;
  db: Db;
  summarizer: CallSummarizer;
}

/** The handlers the memory worker runs, by job name (one entry per job definition under src/jobs/). */
export function registerJobHandlers(deps: JobDeps): JobHandlers {
  return {
    [SUMMARIZE_CALL_JOB]: summarizeCallHandler(deps),
  };
}
