import { withTenant } from '@neurosphere/db';
import { uniqueCallSid, uniquePhone, useHarness } from '@neurosphere/testing';
import type { Worker } from 'bullmq';
import request from 'supertest';
import { maskPhone } from '@neurosphere/http';
import { threadIdFor } from './domain/callers/thread-id';
import {
  answerFor,
  everyRouteOpenTo,
  startHarness,
  createTenantWithTemplate,
  insuranceTemplate,
  publishTemplate,
  realEstateTemplate,
  transcriptOf,
  uniqueIndustry,
} from '../test/harness';

/**
 * Two businesses share a caller (same phone number). Each must see only its own memories,
 * summaries, profile and personality through every endpoint, and erasing the caller at one must
 * leave the other untouched. All data is written through the API and the worker.
 */
describe('tenant isolation for a shared caller', () => {
  const kit = useHarness(() => startHarness({ callers: everyRouteOpenTo('orchestrator') }));
  let worker: Worker;
  const caller = uniquePhone();
  const path = encodeURIComponent(caller);
  const tenants = { a: 0, b: 0 };
  const callSids = { a: uniqueCallSid(), b: uniqueCallSid() };
  /** Words that exist only in one tenant's data: finding one in the other's answers is a leak. */
  const markers = { a: 'ALPHA-ONLY', b: 'BRAVO-ONLY' };
  const memoryIds = { a: '', b: '' };

  const auth = async (tenant: number) => `Bearer ${await kit.token(tenant)}`;
  const get = async (tenant: number, url: string, query: Record<string, string | number> = {}) =>
    request(kit.app)
      .get(url)
      .query({ customer_id: tenant, ...query })
      .set('authorization', await auth(tenant));
  const post = async (tenant: number, url: string, body: Record<string, unknown>) =>
    request(kit.app)
      .post(url)
      .set('authorization', await auth(tenant))
      .send({ customer_id: tenant, ...body });

  /** Everything one tenant can read about the caller, through every read endpoint. */
  async function everythingVisibleTo(tenant: number) {
    const [context, summaries, profile, personality, userMemories, memories, jobs] = await Promise.all([
      post(tenant, '/v2/context/enriched', { user_id: caller }),
      get(tenant, `/v2/summaries/${path}`),
      get(tenant, `/v2/profile/${path}`),
      get(tenant, `/v2/personality/${path}`),
      get(tenant, `/v1/memories/user/${path}`),
      get(tenant, '/v1/memories'),
      get(tenant, '/v2/jobs'),
    ]);
    for (const response of [context, summaries, profile, personality, userMemories, memories, jobs]) expect(response.status).toBe(200);
    return {
      context: context.body,
      summaries: summaries.body,
      profile: profile.body,
      personality: personality.body,
      userMemories: userMemories.body,
      memories: memories.body,
      jobs: jobs.body,
    };
  }

  beforeAll(async () => {
    const insurance = insuranceTemplate(uniqueIndustry('insurance-isolation'));
    const realEstate = realEstateTemplate(uniqueIndustry('real-estate-isolation'));
    await publishTemplate(kit.platformDb, insurance);
    await publishTemplate(kit.platformDb, realEstate);
    tenants.a = await createTenantWithTemplate(kit.platformDb, insurance);
    tenants.b = await createTenantWithTemplate(kit.platformDb, realEstate);

    kit.fakeOpenAI.respondWith((chat) =>
      transcriptOf(chat).includes(markers.a)
        ? {
            json: answerFor(chat, {
              summary: `Insurance call ${markers.a}`,
              caller_name: 'Alex Alpha',
              facts: [`Fact ${markers.a}`],
              variables: { city: 'Alphaville', policy_summary: '1 Auto' },
              personality: { warmth: 90 },
            }),
          }
        : {
            json: answerFor(chat, {
              summary: `Real estate call ${markers.b}`,
              caller_name: 'Blair Bravo',
              facts: [`Fact ${markers.b}`],
              variables: { buyer_or_seller: 'buyer', city: 'Bravotown', budget: 500000 },
              personality: { warmth: 10 },
            }),
          },
    );
    worker = await kit.startWorker();

    for (const key of ['a', 'b'] as const) {
      const tenant = tenants[key];
      const stored = await post(tenant, '/memory/store', { user_id: caller, content: `Legacy note ${markers[key]}` });
      expect(stored.status).toBe(200);
      memoryIds[key] = stored.body.id;
      expect((await post(tenant, '/v1/memories', { user_id: caller, content: `V1 note ${markers[key]}`, kind: 'preference' })).status).toBe(
        201,
      );
      const call = await post(tenant, '/v2/process-call', {
        user_id: caller,
        thread_id: threadIdFor(tenant, caller),
        call_sid: callSids[key],
        // Long enough to be scored for personality (assess-call.ts).
        conversation_history: [
          { role: 'caller', text: `Hello ${markers[key]}` },
          {
            role: 'caller',
            text: 'I am calling because I would like to talk to somebody about my account and a few questions I have about it.',
          },
          { role: 'caller', text: 'Please have someone call me back this afternoon, any time after two works well for me.' },
        ],
      });
      expect(call.status).toBe(202);
      await kit.waitForJob(call.body.job_id);
    }
  });

  it('each tenant sees only its own memories, summaries, profile and personality through every endpoint', async () => {
    for (const [own, other] of [
      ['a', 'b'],
      ['b', 'a'],
    ] as const) {
      const visible = await everythingVisibleTo(tenants[own]);
      expect(JSON.stringify(visible)).toContain(markers[own]);
      expect(JSON.stringify(visible)).not.toContain(markers[other]);

      expect(visible.context).toEqual(expect.objectContaining({ customer_id: tenants[own], known_caller: true }));
      expect(visible.summaries.summaries).toEqual([expect.objectContaining({ call_sid: callSids[own] })]);
      expect(visible.profile.profile.name).toBe(own === 'a' ? 'Alex Alpha' : 'Blair Bravo');
      expect(visible.personality.averages.warmth).toBe(own === 'a' ? 90 : 10);
      expect(visible.userMemories.memories).toHaveLength(3);
      expect(visible.memories.memories.every((memory: { customer_id: number }) => memory.customer_id === tenants[own])).toBe(true);
      expect(visible.jobs.counts.completed).toBe(1);
    }
    const a = await everythingVisibleTo(tenants.a);
    expect(a.context.quick_bio).toBe('Alex Alpha | Alphaville | 1 Auto');
    const b = await everythingVisibleTo(tenants.b);
    expect(b.context.quick_bio).toBe('Blair Bravo | buyer | Bravotown | Budget 500,000');
  });

  it("cannot delete another tenant's memory (404, and the memory survives)", async () => {
    const response = await request(kit.app)
      .delete(`/v1/memories/${memoryIds.b}`)
      .query({ customer_id: tenants.a })
      .set('authorization', await auth(tenants.a));
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ success: false, error: `Memory ${memoryIds.b} not found`, code: 'NOT_FOUND' });
    const bMemories = await get(tenants.b, `/v1/memories/user/${path}`);
    expect(bMemories.body.memories.map((memory: { id: string }) => memory.id)).toContain(memoryIds.b);
  });

  it("cannot post a call into another tenant's thread", async () => {
    const response = await post(tenants.a, '/v2/process-call', {
      user_id: caller,
      thread_id: threadIdFor(tenants.b, caller),
      call_sid: uniqueCallSid(),
      conversation_history: [{ role: 'caller', text: 'hi' }],
    });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
  });

  it("erasure removes the caller's data at one tenant only, including calls not yet summarized, and says what it deleted", async () => {
    // A call still waiting in the queue when the erasure arrives.
    await worker.close();
    const pendingSid = uniqueCallSid();
    const pending = await post(tenants.a, '/v2/process-call', {
      user_id: caller,
      thread_id: threadIdFor(tenants.a, caller),
      call_sid: pendingSid,
      conversation_history: [{ role: 'caller', text: `Again ${markers.a}` }],
    });
    expect(pending.body.status).toBe('queued');
    expect((await get(tenants.a, '/v2/jobs')).body.counts).toEqual({ waiting: 1, active: 0, delayed: 0, completed: 1, failed: 0 });
    expect((await get(tenants.b, '/v2/jobs')).body.counts).toEqual({ waiting: 0, active: 0, delayed: 0, completed: 1, failed: 0 });
    const bBefore = await everythingVisibleTo(tenants.b);

    const erased = await request(kit.app)
      .delete(`/v2/callers/${path}`)
      .query({ customer_id: tenants.a })
      .set('authorization', await auth(tenants.a));
    expect(erased.status).toBe(200);
    expect(erased.body).toEqual({
      success: true,
      customer_id: tenants.a,
      user_id: caller,
      deleted: { memories: 3, call_summaries: 2, caller_profiles: 1, personality_metrics: 1, personality_averages: 1 },
      jobs_removed: 1,
    });
    expect(await kit.queue.getJob(pending.body.job_id)).toBeUndefined();

    const aAfter = await everythingVisibleTo(tenants.a);
    expect(aAfter.context).toEqual(
      expect.objectContaining({
        known_caller: false,
        quick_bio: null,
        recent_summaries: [],
        known_facts: {},
        personality: null,
        prompt_context: '',
        recent_memories: [],
      }),
    );
    expect(aAfter.summaries.summaries).toEqual([]);
    expect(aAfter.profile.profile).toBeNull();
    expect(aAfter.personality).toEqual(expect.objectContaining({ averages: null, sample_count: 0, recent: [] }));
    expect(aAfter.userMemories.memories).toEqual([]);

    // The other tenant's data for the same number is exactly as it was.
    const bAfter = await everythingVisibleTo(tenants.b);
    expect(bAfter).toEqual(bBefore);

    // Nothing of the erased caller survives in the read model of the call-start read either;
    // the other tenant's row for the same number does.
    const readModelRow = (tenant: number) =>
      withTenant(kit.db, tenant, (tx) =>
        tx.callerContext.findUnique({ where: { customerId_userId: { customerId: tenant, userId: caller } }, select: { customerId: true } }),
      );
    expect(await readModelRow(tenants.a)).toBeNull();
    expect(await readModelRow(tenants.b)).toEqual({ customerId: tenants.b });

    // The tenant's audit trail records the erasure without keeping the number.
    const audit = await withTenant(kit.db, tenants.a, (tx) =>
      tx.auditLog.findMany({ where: { customerId: tenants.a, action: 'caller.erase' } }),
    );
    expect(audit).toEqual([
      expect.objectContaining({ actor: 'service:orchestrator', target: maskPhone(caller), details: erased.body.deleted }),
    ]);

    const again = await request(kit.app)
      .delete(`/v2/callers/${path}`)
      .query({ customer_id: tenants.a })
      .set('authorization', await auth(tenants.a));
    expect(again.body.deleted).toEqual({
      memories: 0,
      call_summaries: 0,
      caller_profiles: 0,
      personality_metrics: 0,
      personality_averages: 0,
    });

    // The erased call, posted again (e.g. by a retrying orchestrator), is a new call: its old,
    // completed job is replaced and it is summarized again.
    await kit.startWorker();
    const reposted = await post(tenants.a, '/v2/process-call', {
      user_id: caller,
      thread_id: threadIdFor(tenants.a, caller),
      call_sid: callSids.a,
      conversation_history: [{ role: 'caller', text: `Hello again ${markers.a}` }],
    });
    expect(reposted.body).toEqual({ success: true, job_id: `process-call:${tenants.a}:${callSids.a}`, status: 'queued' });
    await expect(kit.waitForJob(reposted.body.job_id)).resolves.toEqual(expect.objectContaining({ outcome: 'summarized' }));
    expect((await get(tenants.a, `/v2/summaries/${path}`)).body.summaries).toEqual([expect.objectContaining({ call_sid: callSids.a })]);
  });
});
