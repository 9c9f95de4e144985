import { createDb } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { createLogger } from '@neurosphere/http';
import { freePort, startFakeTwilio, useHarness } from '@neurosphere/testing';
import type { FakeTwilio, FakeTwilioAccount } from '@neurosphere/testing';
import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { asTenant, eventually, GatewayClient, startHarness } from '../../test/harness';
import { createCallRuntime } from '../app';
import type { CallRuntime } from '../domain/call-runtime/call-runtime';
import { finishUnendedCall } from '../domain/calls/finish-unended-call';
import { parseEnv } from '../env';
import { createMetrics } from '../observability/metrics';
import { startCallReaper } from './call-reaper';
import type { CallReaper } from './call-reaper';
import { createOrchestratorWorker } from './orchestrator-worker';

// No lost calls: the reaper (a call whose final status callback never came) and the outboxes (a
// hang-up while PostgreSQL or Redis is down), with the real twilio SDK against a fake Twilio.

const logger = createLogger({ service: 'call-reaper-test', level: 'silent' });

describe('call reaper and end-of-call outbox', () => {
  const harness = useHarness(startHarness);
  let twilio: FakeTwilio;
  let platformAccount: FakeTwilioAccount;
  let twilioEnv: Record<string, string>;
  let runtime: CallRuntime;
  let gateway: GatewayClient;
  let reaper: CallReaper;
  let workerConnection: Redis;
  let worker: Worker;

  beforeAll(async () => {
    twilio = await startFakeTwilio();
    platformAccount = twilio.addAccount();
    twilioEnv = { TWILIO_ACCOUNT_SID: platformAccount.sid, TWILIO_AUTH_TOKEN: platformAccount.authToken, TWILIO_API_BASE_URL: twilio.url };
    const env = parseEnv({ ...harness.baseEnv, ...twilioEnv });
    runtime = createCallRuntime(
      { logger, pool: harness.pool, redis: harness.redis, db: harness.db, env, transcriptQueue: harness.queue },
      createMetrics(),
    );
    gateway = new GatewayClient(harness.makeApp({ env: twilioEnv }).app, harness.gatewaySigner);
    // Swept by hand, with reapAfter 0: every open call of the tenant is due.
    reaper = startCallReaper({ db: harness.db, callFinishes: runtime.callFinishes, logger, intervalMs: 3_600_000, reapAfterMs: 0 });
    workerConnection = new Redis(harness.baseEnv.REDIS_URL!, { maxRetriesPerRequest: null });
    worker = createOrchestratorWorker({ connection: workerConnection, prefix: harness.queuePrefix, logger, deps: runtime });
  });
  afterAll(async () => {
    reaper.close();
    await worker.close();
    await workerConnection.quit();
    await twilio.close();
  });

  /**
   * A tenant's call answered on the tenant's own number (its Twilio account) and one turn taken,
   * once its open row (written beside the answer) is there.
   */
  async function callWithOneTurn(speech: string) {
    const tenant = await harness.createTenant();
    const { customerId } = tenant;
    const { callSid } = await gateway.start({ customerId, called: tenant.phoneNumbers[0]!.e164 });
    await gateway.turn(customerId, callSid, speech);
    const open = await eventually(() => readCall(customerId, callSid).then((call) => call ?? undefined));
    expect(open).toEqual(expect.objectContaining({ status: 'in-progress', endedAt: null, turns: [] }));
    return { customerId, callSid };
  }

  function readCall(customerId: number, callSid: string) {
    return asTenant(harness.db, customerId, (tx) =>
      tx.call.findUnique({ where: { customerId_callSid: { customerId, callSid } }, include: { turns: { orderBy: { turnIndex: 'asc' } } } }),
    );
  }

  /** The call once its log is complete and memory has its transcript. */
  function finishedCall(customerId: number, callSid: string) {
    return eventually(async () => {
      const call = await readCall(customerId, callSid);
      return call?.endedAt && !call.finishPending && call.transcriptSubmittedAt ? call : undefined;
    });
  }

  const postedTranscripts = (callSid: string) => harness.memory.processCallRequests().filter((posted) => posted.body.call_sid === callSid);

  /** Sweeps this tenant only (other test files' open calls are not this test's to finish). */
  const sweep = (customerId: number) => reaper.sweep({ customerId, now: new Date(Date.now() + 1000) });

  it('finishes a call whose final status callback never came, with Twilio’s end, and summarizes it once', async () => {
    const { customerId, callSid } = await callWithOneTurn('I need to move my appointment');
    const endTime = new Date(Math.floor(Date.now() / 1000) * 1000);
    twilio.setCall({ sid: callSid, accountSid: platformAccount.sid, status: 'completed', durationSeconds: 61, endTime });

    expect(await sweep(customerId)).toBe(1);

    const call = await finishedCall(customerId, callSid);
    expect(call).toEqual(expect.objectContaining({ status: 'completed', durationSeconds: 61, endedAt: endTime, outcome: 'completed' }));
    expect(call.turns.map((turn) => [turn.role, turn.text])).toEqual([
      ['assistant', expect.any(String)],
      ['user', 'I need to move my appointment'],
      ['assistant', 'How can I help you today?'],
    ]);
    const usage = await asTenant(harness.db, customerId, (tx) => tx.usageRecord.findMany({ where: { callSid, kind: 'call_minutes' } }));
    expect(usage.map((record) => record.quantity.toString())).toEqual(['1.0167']);
    expect(postedTranscripts(callSid)).toHaveLength(1);

    // The real callback arrives after all: nothing is saved or summarized twice.
    expect((await gateway.end(customerId, callSid, 'completed', 61)).status).toBe(202);
    expect(await sweep(customerId)).toBe(0);
    expect(postedTranscripts(callSid)).toHaveLength(1);
    expect((await readCall(customerId, callSid))?.turns).toHaveLength(3);
  });

  it('leaves a call alone while Twilio says it is still in progress', async () => {
    const { customerId, callSid } = await callWithOneTurn('Are you still there?');
    twilio.setCall({ sid: callSid, accountSid: platformAccount.sid, status: 'in-progress' });

    expect(await finishUnendedCall({ runtime, customerId, callSid })).toBe('still_live');

    expect(await readCall(customerId, callSid)).toEqual(expect.objectContaining({ status: 'in-progress', endedAt: null, turns: [] }));
    expect(await runtime.callStates.load({ customerId, callSid, timeoutMs: 1000 })).not.toBeNull();
    expect(postedTranscripts(callSid)).toHaveLength(0);
  });

  it('keeps a hang-up while PostgreSQL is unreachable and saves it once the database answers', async () => {
    const { customerId, callSid } = await callWithOneTurn('Please call me back tomorrow');
    const closedDatabaseUrl = new URL(harness.baseEnv.DATABASE_URL!);
    closedDatabaseUrl.port = String(await freePort());
    const downDb: Db = createDb({ url: closedDatabaseUrl.toString() });
    try {
      const withoutDatabase = new GatewayClient(harness.makeApp({ env: twilioEnv, db: downDb }).app, harness.gatewaySigner);
      expect((await withoutDatabase.end(customerId, callSid, 'completed', 42)).status).toBe(202);
    } finally {
      await downDb.$disconnect();
    }

    // The worker (on the database that answers) saves what the hang-up kept in Redis.
    const call = await finishedCall(customerId, callSid);
    expect(call).toEqual(expect.objectContaining({ status: 'completed', durationSeconds: 42, outcome: 'completed' }));
    expect(call.turns.map((turn) => turn.text)).toContain('Please call me back tomorrow');
    expect(postedTranscripts(callSid)).toHaveLength(1);
  });

  it('keeps the transcript when Redis is down at hang-up and finishes the log once Redis answers', async () => {
    const { customerId, callSid } = await callWithOneTurn('My new address is on Elm Street');
    const downRedis = new Redis({
      host: '127.0.0.1',
      port: await freePort(),
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    downRedis.on('error', () => undefined);
    try {
      const withoutRedis = new GatewayClient(harness.makeApp({ env: twilioEnv, redis: downRedis }).app, harness.gatewaySigner);
      expect((await withoutRedis.end(customerId, callSid, 'completed', 37)).status).toBe(202);
    } finally {
      if (downRedis.status !== 'end') downRedis.disconnect();
    }
    expect(await readCall(customerId, callSid)).toEqual(
      expect.objectContaining({ status: 'completed', durationSeconds: 37, finishPending: true, turns: [] }),
    );

    expect(await sweep(customerId)).toBe(1);

    const call = await finishedCall(customerId, callSid);
    expect(call).toEqual(expect.objectContaining({ status: 'completed', durationSeconds: 37, outcome: 'completed' }));
    expect(call.turns.map((turn) => turn.text)).toContain('My new address is on Elm Street');
    expect(postedTranscripts(callSid)).toEqual([
      expect.objectContaining({
        body: expect.objectContaining({
          conversation_history: expect.arrayContaining([expect.objectContaining({ text: 'My new address is on Elm Street' })]),
        }),
      }),
    ]);
  });
});
