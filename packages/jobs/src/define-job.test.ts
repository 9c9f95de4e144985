import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import { defineJob } from './define-job';
import type { JobContext } from './define-job';
import { jobId } from './job-id';
import { enqueue } from './queue';
import { createWorker } from './worker';

const callJob = defineJob({
  name: 'call-job',
  queue: 'q',
  payload: z.object({ customerId: z.number().int(), callSid: z.string() }).strict(),
  jobId: ({ customerId, callSid }) => jobId('call-job', customerId, callSid),
  handler: async ({ callSid }, { deps }: JobContext<{ db: string }>) => `${deps.db}/${callSid}`,
});

describe('defineJob', () => {
  it('keeps the definition, with no options unless given', () => {
    expect(callJob).toEqual(expect.objectContaining({ name: 'call-job', queue: 'q', options: {} }));
    expect(callJob.jobId({ customerId: 3, callSid: 'CA1' })).toBe('call-job:3:CA1');
  });
});

// Compile-time checks, never called: the package's typecheck (`tsc --noEmit`) fails if a line
// marked with a ts-expect-error directive compiles.
export function _compileTimeChecks(connection: Redis, logger: Logger, queue: Queue): void {
  const other = defineJob({
    name: 'other',
    queue: 'q',
    payload: z.object({ customerId: z.number().int() }),
    jobId: ({ customerId }) => jobId('other', customerId, 'x'),
    handler: async (_payload, ctx: JobContext<{ clock: number }>) => ctx.deps.clock,
  });
  const noDeps = defineJob({
    name: 'no-deps',
    queue: 'q',
    payload: z.object({ customerId: z.number().int() }),
    jobId: ({ customerId }) => jobId('no-deps', customerId, 'x'),
    handler: async ({ customerId }) => customerId,
  });
  const handler = async () => 1;
  // @ts-expect-error: every payload carries the tenant
  defineJob({ name: 'x', queue: 'q', payload: z.object({ callSid: z.string() }), jobId: () => jobId('x', 1, 'y'), handler });
  // @ts-expect-error: the tenant is a number
  defineJob({ name: 'x', queue: 'q', payload: z.object({ customerId: z.string() }), jobId: () => jobId('x', 1, 'y'), handler });
  // @ts-expect-error: the tenant is required
  defineJob({ name: 'x', queue: 'q', payload: z.object({ customerId: z.number().optional() }), jobId: () => jobId('x', 1, 'y'), handler });
  // @ts-expect-error: ids come from jobId
  defineJob({ name: 'x', queue: 'q', payload: z.object({ customerId: z.number() }), jobId: () => 'x:1:y', handler });

  createWorker('q', [callJob, other, noDeps], { connection, logger, deps: { db: 'x', clock: 1 } });
  // @ts-expect-error: the worker gets what every one of its jobs needs
  createWorker('q', [callJob, other], { connection, logger, deps: { db: 'x' } });
  // @ts-expect-error: a job that needs nothing does not hide what the others need
  createWorker('q', [callJob, noDeps], { connection, logger });
  createWorker('q', [noDeps], { connection, logger });

  void enqueue(queue, callJob, { customerId: 1, callSid: 'CA1' });
  // @ts-expect-error: the payload is the job's
  void enqueue(queue, callJob, { customerId: 1 });
}
