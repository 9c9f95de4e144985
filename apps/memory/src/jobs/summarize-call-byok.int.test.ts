import { randomBytes } from 'node:crypto';
import { parseKeyring, withPlatform, withTenant } from '@neurosphere/db';
import { createTestCredential } from '@neurosphere/db/testing';
import { uniqueCallSid, uniquePhone, useHarness } from '@neurosphere/testing';
import type { ChatRequest, RecordedRequest } from '@neurosphere/testing';
import { answerFor, createTenantWithTemplate, publishInsuranceTemplate, startHarness, transcriptOf } from '../../test/harness';

/**
 * Summaries on the tenant's own OpenAI key (BYOK) and the metering of summarization tokens: the
 * worker reads the tenant's key from tenant_credentials, decrypts it with BYOK_KEYS and sends it
 * as the request's bearer; the tokens the API reports are metered once per call.
 */
describe('call summarization with tenant keys, metered', () => {
  const keyring = parseKeyring(JSON.stringify({ 'byok-test': randomBytes(32).toString('base64') }), 'byok-test');
  const kit = useHarness(() => startHarness({ attempts: 2, backoffMs: 50 }));
  let platformTenant: number;
  let byokTenant: number;
  const tenantKey = `sk-tenant-${randomBytes(8).toString('hex')}`;

  beforeAll(async () => {
    const template = await publishInsuranceTemplate(kit.platformDb, 'insurance-byok');
    platformTenant = await createTenantWithTemplate(kit.platformDb, template);
    byokTenant = await createTenantWithTemplate(kit.platformDb, template);
    await withPlatform(kit.platformDb, { actor: 'test', action: 'test.byok_openai', customerId: byokTenant }, (tx) =>
      createTestCredential(tx, { customerId: byokTenant, provider: 'openai', secret: tenantKey, keyring }),
    );
    kit.fakeOpenAI.respondWith((chat: ChatRequest) => ({
      json: answerFor(chat, {
        summary: 'Asked about a renewal.',
        key_topics: ['renewal'],
        caller_name: null,
        facts: [],
        variables: {},
        personality: { warmth: 50 },
      }),
    }));
    await kit.startWorker({ keyring });
  });

  async function summarize(customerId: number) {
    const userId = uniquePhone();
    const callSid = uniqueCallSid();
    const posted = await kit.processCall(customerId, {
      userId,
      callSid,
      conversation: [{ role: 'caller', text: `About my renewal (${callSid}).`, at: '2026-11-20T15:00:00.000Z' }],
    });
    expect(posted.status).toBe(202);
    await expect(kit.waitForJob(posted.body.job_id)).resolves.toMatchObject({ outcome: 'summarized' });
    const chat = kit.fakeOpenAI.requests.find(
      (recorded: RecordedRequest) => recorded.path === '/v1/chat/completions' && transcriptOf(recorded.body as never).includes(callSid),
    );
    return { callSid, authorization: chat?.headers.authorization };
  }

  it("uses the tenant's own key for its calls and the platform's for others", async () => {
    expect((await summarize(byokTenant)).authorization).toBe(`Bearer ${tenantKey}`);
    expect((await summarize(platformTenant)).authorization).toBe('Bearer test-key');
  });

  it('meters the summarization tokens once per call', async () => {
    const { callSid } = await summarize(platformTenant);
    const usage = await withTenant(kit.db, platformTenant, (tx) =>
      tx.usageRecord.findMany({ where: { customerId: platformTenant, callSid } }),
    );
    // The fake reports 20 tokens per completion.
    expect(usage.map((record) => [record.kind, Number(record.quantity), record.idempotencyKey])).toEqual([
      ['summary_tokens', 20, `summary:${callSid}`],
    ]);
  });
});
