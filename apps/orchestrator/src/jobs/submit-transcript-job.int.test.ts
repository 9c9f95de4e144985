import { createLogger } from '@neurosphere/http';
import { startFakeServer, useHarness } from '@neurosphere/testing';
import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { asTenant, closedPortUrl, startHarness, dependencyFailures, eventually, GatewayClient } from '../../test/harness';
import { createCallRuntime } from '../app';
import { parseEnv } from '../env';
import { createMetrics } from '../observability/metrics';
import { createOrchestratorWorker } from './orchestrator-worker';
import { submitTranscriptJob } from './submit-transcript-job';

const logger = createLogger({ service: 'orchestrator-worker-test', level: 'silent' });

describe('submit-transcript job', () => {
  const harness = useHarness(startHarness);
  let workerConnection: Redis;
  let worker: Worker | undefined;

  beforeAll(() => {
    workerConnection = new Redis(harness.baseEnv.REDIS_URL!, { maxRetriesPerRequest: null });
  });
  afterEach(async () => {
    await worker?.close();
    worker = undefined;
  });
  afterAll(async () => {
    await workerConnection.quit();
  });

  /** The worker main.ts runs, with memory at `memoryUrl`. */
  function startWorker(memoryUrl: string): Worker {
    const env = parseEnv({ ...harness.baseEnv, MEMORY_URL: memoryUrl });
    const runtime = createCallRuntime(
      { logger, pool: harness.pool, redis: harness.redis, db: harness.db, env, transcriptQueue: harness.queue },
      createMetrics(),
    );
    return createOrchestratorWorker({
      connection: workerConnection,
      prefix: harness.queuePrefix,
      logger,
      deps: runtime,
    });
  }

  it('keeps the transcript when memory is down at the end of the call, and submits it once memory is back', async () => {
    const { app } = harness.makeApp({ env: { MEMORY_URL: await closedPortUrl() } });
    const gateway = new GatewayClient(app, harness.gatewaySigner);
    const tenant = await harness.createTenant();
    const { callSid, caller } = await gateway.start({ customerId: tenant.customerId });
    await gateway.turn(tenant.customerId, callSid, 'Please remember that I moved');

    const ended = await gateway.end(tenant.customerId, callSid);
    const endedAgain = await gateway.end(tenant.customerId, callSid);

    expect(ended.status).toBe(202);
    expect(endedAgain.status).toBe(202);
    const saved = await asTenant(harness.db, tenant.customerId, (tx) =>
      tx.call.findUnique({ where: { customerId_callSid: { customerId: tenant.customerId, callSid } } }),
    );
    expect(saved).toEqual(expect.objectContaining({ status: 'completed', transcriptSubmittedAt: null }));
    // Context at call start, then the transcript at each of the two ends.
    expect(await dependencyFailures(app, 'memory', 'unavailable')).toBe(3);
    const jobId = submitTranscriptJob.jobId({ customerId: tenant.customerId, callSid });
    const job = await harness.queue.getJob(jobId);
    expect(job?.data).toEqual({ customerId: tenant.customerId, callSid });
    // Scheduled twice, queued once.
    const queued = await harness.queue.getJobs(['delayed', 'waiting']);
    expect(queued.filter((candidate) => candidate.id === jobId)).toHaveLength(1);

    worker = startWorker(harness.memory.url);

    const submittedAt = await eventually(async () => {
      const call = await asTenant(harness.db, tenant.customerId, (tx) =>
        tx.call.findUnique({ where: { customerId_callSid: { customerId: tenant.customerId, callSid } } }),
      );
      return call?.transcriptSubmittedAt ?? undefined;
    });
    expect(submittedAt).toBeInstanceOf(Date);
    const posted = harness.memory.processCallRequests().filter((request) => request.body.call_sid === callSid);
    expect(posted).toEqual([
      {
        customerId: tenant.customerId,
        body: expect.objectContaining({
          customer_id: tenant.customerId,
          user_id: caller,
          thread_id: `customer_${tenant.customerId}_user_${caller!.slice(1)}`,
          conversation_history: [
            expect.objectContaining({ role: 'agent' }),
            expect.objectContaining({ role: 'caller', text: 'Please remember that I moved' }),
            expect.objectContaining({ role: 'agent' }),
          ],
        }),
      },
    ]);
  });

  it('stops retrying when memory refuses the transcript as invalid', async () => {
    const refusing = await startFakeServer({
      'POST /v2/process-call': () => ({
        status: 400,
        body: { success: false, error: 'Invalid body.conversation_history', code: 'VALIDATION_FAILED' },
      }),
    });
    try {
      const { app } = harness.makeApp({ env: { MEMORY_URL: await closedPortUrl() } });
      const gateway = new GatewayClient(app, harness.gatewaySigner);
      const tenant = await harness.createTenant();
      const { callSid } = await gateway.start({ customerId: tenant.customerId });
      await gateway.turn(tenant.customerId, callSid, 'Hello');
      await gateway.end(tenant.customerId, callSid);

      worker = startWorker(refusing.url);

      const jobId = submitTranscriptJob.jobId({ customerId: tenant.customerId, callSid });
      const failed = await eventually(async () => {
        const job = await harness.queue.getJob(jobId);
        return job && (await job.isFailed()) ? job : undefined;
      });
      expect(failed.attemptsMade).toBe(1);
      expect(failed.failedReason).toBe('memory refused the transcript: memory answered HTTP 400: Invalid body.conversation_history');
    } finally {
      await refusing.close();
    }
  });
});
