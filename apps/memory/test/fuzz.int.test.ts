import { memoryApiContract } from '@neurosphere/contracts';
import { createRowFingerprinter, requireTestDatabaseEnv } from '@neurosphere/db/testing';
import type { RowFingerprinter } from '@neurosphere/db/testing';
import { HTTP_STATUS_BY_CODE } from '@neurosphere/http';
import { contractRoutes, fuzzService, sendFuzzRequest, uniquePhone, useHarness } from '@neurosphere/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createTenantWithTemplate, everyRouteOpenTo, publishInsuranceTemplate, startHarness } from './harness';

/**
 * Fuzzing every memory route (walked from the contract) with requests generated from its schemas
 * and malformed ones, sent with a valid orchestrator token of one tenant: no 5xx, every refusal in
 * the error wire shape, and none of the tenant's rows written by a refused request.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_2612);

describe('memory fuzzing', () => {
  const kit = useHarness(() => startHarness({ callers: everyRouteOpenTo('orchestrator') }));
  let customerId: number;
  let fingerprinter: RowFingerprinter;
  const caller = uniquePhone();
  let memoryId: string;

  beforeAll(async () => {
    const template = await publishInsuranceTemplate(kit.platformDb, 'insurance-fuzz');
    customerId = await createTenantWithTemplate(kit.platformDb, template);
    const created = await request(kit.app)
      .post('/v1/memories')
      .set('authorization', `Bearer ${await kit.token(customerId)}`)
      .send({ customer_id: customerId, user_id: caller, content: 'Prefers mornings.', kind: 'note' });
    if (created.status !== 201) throw new Error(`could not seed a memory: ${created.status} ${JSON.stringify(created.body)}`);
    memoryId = (created.body as { memory: { id: string } }).memory.id;
    fingerprinter = await createRowFingerprinter({ ownerUrl: requireTestDatabaseEnv().ownerUrl });
  });
  afterAll(() => fingerprinter?.close());

  it('answers every generated and malformed request without a 5xx, in the error shape, writing nothing when it refuses', async () => {
    const routes = contractRoutes(memoryApiContract);
    const report = await fuzzService({
      routes,
      seed: SEED,
      generatedPerRoute: 6,
      statusByCode: HTTP_STATUS_BY_CODE,
      pinned: { customer_id: customerId, user_id: caller },
      validParams: () => ({ user_id: caller, id: memoryId ?? randomUUID() }),
      send: async ({ route }, fuzzRequest) =>
        sendFuzzRequest(kit.app, route.method, fuzzRequest, { authorization: `Bearer ${await kit.token(customerId)}` }),
      snapshot: () => fingerprinter.fingerprint({ customerId }),
    });
    expect(report.problems).toEqual([]);
    expect(report.refused).toBeGreaterThan(routes.length * 4);
    expect(report.sent).toBeGreaterThan(report.refused);
  }, 60_000);
});
