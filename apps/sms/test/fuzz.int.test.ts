import { smsApiContract } from '@neurosphere/contracts';
import { createRowFingerprinter, requireTestDatabaseEnv } from '@neurosphere/db/testing';
import type { RowFingerprinter } from '@neurosphere/db/testing';
import { HTTP_STATUS_BY_CODE } from '@neurosphere/http';
import { contractRoutes, fuzzService, sendFuzzRequest, uniquePhone, useHarness } from '@neurosphere/testing';
import request from 'supertest';
import { SMS_CALLERS } from '../src/routes/allowed-callers';
import { createSmsTenant, startHarness } from './harness';
import type { SmsTenant } from './harness';

/**
 * Fuzzing every sms route (walked from the contract) with requests generated from its schemas and
 * malformed ones, each sent with a valid token of the service that calls the route: no 5xx, every
 * refusal in the error wire shape, none of the tenant's rows written by a refused request. The send
 * queue is paused, so no job writes in the background between two requests.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_2612);
// The routes no service calls yet are opened to the orchestrator, so they are fuzzed too.
const CALLERS = { ...SMS_CALLERS, listMessages: ['orchestrator'], getMessage: ['orchestrator'] } as const;

describe('sms fuzzing', () => {
  const harness = useHarness(() => startHarness({ callers: CALLERS }));
  let tenant: SmsTenant;
  let fingerprinter: RowFingerprinter;
  let messageId: string;

  beforeAll(async () => {
    await harness.queue.pause();
    tenant = await createSmsTenant(harness);
    const sent = await request(harness.app)
      .post('/v1/messages')
      .set('authorization', `Bearer ${await harness.token('orchestrator', tenant.customerId)}`)
      .send({ customer_id: tenant.customerId, to: uniquePhone(), body: 'Your appointment is at 10.' });
    if (sent.status >= 300) throw new Error(`could not seed a message: ${sent.status} ${JSON.stringify(sent.body)}`);
    messageId = (sent.body as { message: { id: string } }).message.id;
    fingerprinter = await createRowFingerprinter({ ownerUrl: requireTestDatabaseEnv().ownerUrl });
  });
  afterAll(() => fingerprinter?.close());

  it('answers every generated and malformed request without a 5xx, in the error shape, writing nothing when it refuses', async () => {
    const routes = contractRoutes(smsApiContract);
    const report = await fuzzService({
      routes,
      seed: SEED,
      generatedPerRoute: 8,
      statusByCode: HTTP_STATUS_BY_CODE,
      pinned: { customer_id: tenant.customerId, to: tenant.numbers[0] },
      validParams: () => ({ id: messageId }),
      send: async ({ key, route }, fuzzRequest) => {
        const issuer = CALLERS[key as keyof typeof CALLERS][0];
        return sendFuzzRequest(harness.app, route.method, fuzzRequest, {
          authorization: `Bearer ${await harness.token(issuer, tenant.customerId)}`,
        });
      },
      snapshot: () => fingerprinter.fingerprint({ customerId: tenant.customerId }),
    });
    expect(report.problems).toEqual([]);
    expect(report.refused).toBeGreaterThan(routes.length * 4);
    expect(report.sent).toBeGreaterThan(report.refused);
  }, 60_000);
});
