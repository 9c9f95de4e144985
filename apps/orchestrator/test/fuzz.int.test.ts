import { orchestratorContract, relayContract } from '@neurosphere/contracts';
import { createRowFingerprinter, requireTestDatabaseEnv } from '@neurosphere/db/testing';
import type { RowFingerprinter } from '@neurosphere/db/testing';
import { HTTP_STATUS_BY_CODE } from '@neurosphere/http';
import { contractRoutes, fuzzService, sendFuzzRequest, useHarness } from '@neurosphere/testing';
import { ORCHESTRATOR_CALLERS } from '../src/routes/allowed-callers';
import { GatewayClient, startHarness } from './harness';

/**
 * Fuzzing every orchestrator route (walked from its two contracts) with requests generated from
 * the schemas and malformed ones, each sent with a valid token of the service that calls the route
 * (the gateway's names the call of the path): no 5xx, every refusal in the error wire shape, none
 * of the tenant's rows written by a refused request.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_2612);

describe('orchestrator fuzzing', () => {
  const harness = useHarness(startHarness);
  let fingerprinter: RowFingerprinter;
  let customerId: number;
  let callSid: string;

  beforeAll(async () => {
    ({ customerId } = await harness.createTenant());
    const gateway = new GatewayClient(harness.makeApp().app, harness.gatewaySigner);
    const started = await gateway.start({ customerId });
    if (started.response.status !== 200)
      throw new Error(`could not start a call: ${started.response.status} ${JSON.stringify(started.response.body)}`);
    callSid = started.callSid;
    fingerprinter = await createRowFingerprinter({ ownerUrl: requireTestDatabaseEnv().ownerUrl });
  });
  afterAll(() => fingerprinter?.close());

  it('answers every generated and malformed request without a 5xx, in the error shape, writing nothing when it refuses', async () => {
    const { app } = harness.makeApp();
    const routes = [...contractRoutes(orchestratorContract), ...contractRoutes(relayContract)];
    const report = await fuzzService({
      routes,
      seed: SEED,
      generatedPerRoute: 6,
      statusByCode: HTTP_STATUS_BY_CODE,
      pinned: { customer_id: customerId, call_sid: callSid },
      validParams: () => ({ callSid, token: 'not-a-real-audio-token-0123456789' }),
      send: async ({ key, route }, fuzzRequest) => {
        const callers: readonly string[] | undefined = (ORCHESTRATOR_CALLERS as Record<string, readonly string[]>)[key];
        const signer = callers?.includes('admin-api') ? harness.adminApiSigner : harness.gatewaySigner;
        // health and audio take no service token.
        const headers: Record<string, string> = callers
          ? { authorization: `Bearer ${await signer.sign({ audience: 'orchestrator', customerId, callId: callSid })}` }
          : {};
        return sendFuzzRequest(app, route.method, fuzzRequest, headers);
      },
      snapshot: () => fingerprinter.fingerprint({ customerId }),
    });
    expect(report.problems).toEqual([]);
    expect(report.refused).toBeGreaterThan(routes.length * 4);
    expect(report.sent).toBeGreaterThan(report.refused);
  }, 60_000);
});
