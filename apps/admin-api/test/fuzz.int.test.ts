import { adminApiContract, adminRouteAccessSchema } from '@neurosphere/contracts';
import { createFreshTestDatabase, createRowFingerprinter } from '@neurosphere/db/testing';
import type { FreshTestDatabase, RowFingerprinter } from '@neurosphere/db/testing';
import { HTTP_STATUS_BY_CODE } from '@neurosphere/http';
import { contractRoutes, fuzzService, sendFuzzRequest, uniqueSuffix } from '@neurosphere/testing';
import type { FakeServer } from '@neurosphere/testing';
import { randomUUID } from 'node:crypto';
import { accessFixtures } from './access-matrix/fixtures';
import type { ExampleRequest, SeededTenant } from './access-matrix/fixture-types';
import { seedMatrixTenant } from './access-matrix/seed-tenant';
import { startFakeMemory } from './fake-memory';
import { createAdmin, startFakeOrchestrator, startPlatformHarness } from './harness';
import type { FakeOrchestrator, PlatformHarness, TestAdmin } from './harness';

/**
 * Fuzzing every admin route (found by walking the contract): requests generated from the route's
 * zod schemas plus hand-made malformed ones, sent as a caller the route allows, with the valid path
 * parameters of the access matrix's examples. No answer may be a 5xx, every refusal is the one
 * error wire shape naming the problem, and a refused request writes no row. A database of its own,
 * so every row of it can be fingerprinted without other test files writing in between.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_2612);

describe('admin-api fuzzing', () => {
  let fresh: FreshTestDatabase;
  let harness: PlatformHarness;
  let orchestrator: FakeOrchestrator;
  let fakeMemory: FakeServer;
  let fingerprinter: RowFingerprinter;
  let tenant: SeededTenant;
  let other: SeededTenant;
  let platformAdmin: TestAdmin;

  beforeAll(async () => {
    fresh = await createFreshTestDatabase('admin_fuzz');
    orchestrator = await startFakeOrchestrator();
    const memory = await startFakeMemory();
    fakeMemory = memory.server;
    harness = await startPlatformHarness({ database: fresh.env, orchestrator: orchestrator.client, memory: memory.erasure });
    // One after the other: the first creates the test template in the new database.
    tenant = await seedMatrixTenant(harness, 'A');
    other = await seedMatrixTenant(harness, 'B');
    platformAdmin = await createAdmin(harness.platformDb, { isPlatformAdmin: true, password: true });
    fingerprinter = await createRowFingerprinter({ ownerUrl: fresh.env.ownerUrl });
  });
  afterAll(async () => {
    await fingerprinter?.close();
    await harness?.close();
    await Promise.all([orchestrator?.close(), fakeMemory?.close()]);
    await fresh?.drop();
  });

  it('answers every generated and malformed request without a 5xx, in the error shape, writing nothing when it refuses', async () => {
    const routes = contractRoutes(adminApiContract);
    const examples = new Map<string, ExampleRequest>();
    const report = await fuzzService({
      routes,
      seed: SEED,
      generatedPerRoute: 4,
      statusByCode: HTTP_STATUS_BY_CODE,
      async validParams({ key }) {
        const fixture = accessFixtures[key];
        if (!fixture) throw new Error(`no example request for ${key} (the access matrix lists every route)`);
        const example = await fixture({ harness, tenant, other, caller: tenant.owner, unique: `${uniqueSuffix()}${uniqueSuffix()}` });
        examples.set(key, example);
        return { customerId: String(tenant.customerId), ...example.params };
      },
      async send({ key, route }, fuzzRequest) {
        const access = adminRouteAccessSchema.parse(route.metadata);
        const caller = access.access === 'platform' ? platformAdmin : tenant.owner;
        // A session of its own per request: a fuzzed logout or password change ends nothing else.
        const headers: Record<string, string> = { ...examples.get(key)?.headers };
        if (access.access !== 'public') headers.authorization = `Bearer ${await harness.tokens.sign(caller.principal, randomUUID())}`;
        return sendFuzzRequest(harness.app, route.method, fuzzRequest, headers);
      },
      snapshot: () => fingerprinter.fingerprint(),
    });
    expect(report.problems).toEqual([]);
    // The fuzzer got through to the routes: it was refused often, and accepted now and then.
    expect(report.refused).toBeGreaterThan(routes.length * 4);
    expect(report.sent).toBeGreaterThan(report.refused);
  }, 60_000);
});
