import { withTenant } from '@neurosphere/db';
import { uniqueCallSid, uniquePhone, useHarness } from '@neurosphere/testing';
import type { ChatAnswer, ChatRequest } from '@neurosphere/testing';
import { metricsListener, metricsRegistryOf, Registry } from '@neurosphere/http';
import request from 'supertest';
import { threadIdFor } from '../domain/callers/thread-id';
import {
  answerFor,
  everyRouteOpenTo,
  profileSentWith,
  startHarness,
  createTenantWithTemplate,
  insuranceTemplate,
  publishInsuranceTemplate,
  publishTemplate,
  transcriptOf,
  uniqueIndustry,
} from '../../test/harness';
import type { FakeInsights } from '../../test/harness';
import { MEMORY_QUEUE_NAME } from './memory-queue';
import { enqueueSummarizeCall, SUMMARIZE_CALL_JOB, summarizeCallJob } from './summarize-call-job';

/**
 * Summarization end to end: POST /v2/process-call → BullMQ (real Redis, unique prefix) → worker in
 * this process → real `openai` SDK against the fake server → one withTenant transaction → read
 * back through the HTTP API.
 */
describe('call summarization (worker)', () => {
  const kit = useHarness(() => startHarness({ attempts: 3, backoffMs: 50, callers: everyRouteOpenTo('orchestrator') }));
  let customerId: number;
  /** The fake model's answers, by a marker the test puts in the transcript. */
  const answers = new Map<string, (request: ChatRequest, attempt: number) => ChatAnswer>();
  const attempts = new Map<string, number>();
  const workerMetrics = new Registry();

  function answerWith(marker: string, insights: FakeInsights): void {
    answers.set(marker, (chat) => ({ json: answerFor(chat, insights) }));
  }

  async function postCall(options: { userId: string; callSid: string; marker: string; tenant?: number }) {
    const tenant = options.tenant ?? customerId;
    return request(kit.app)
      .post('/v2/process-call')
      .set('authorization', `Bearer ${await kit.token(tenant)}`)
      .send({
        customer_id: tenant,
        user_id: options.userId,
        thread_id: threadIdFor(tenant, options.userId),
        call_sid: options.callSid,
        // A call long enough to be scored for personality (assess-call.ts: 3 caller turns, 40 words).
        conversation_history: [
          { role: 'agent', text: 'Thanks for calling, how can I help?', at: '2026-11-20T15:00:00.000Z' },
          { role: 'caller', text: `Hi, it's about my policy (${options.marker}).`, at: '2026-11-20T15:00:05.000Z' },
          { role: 'agent', text: 'Of course. What would you like to change?' },
          {
            role: 'caller',
            text: 'My son just got his driving license last week and I would like him added to the auto policy before he starts driving to school.',
          },
          { role: 'agent', text: 'I can note that for an agent to call you back.' },
          { role: 'caller', text: 'That would be great, thank you very much for your help today.' },
        ],
      });
  }

  async function get(path: string, tenant = customerId) {
    const separator = path.includes('?') ? '&' : '?';
    return request(kit.app)
      .get(`${path}${separator}customer_id=${tenant}`)
      .set('authorization', `Bearer ${await kit.token(tenant)}`);
  }

  function requestsFor(marker: string): ChatRequest[] {
    return kit.fakeOpenAI.chatRequests().filter((chat) => transcriptOf(chat).includes(marker));
  }

  beforeAll(async () => {
    const template = await publishInsuranceTemplate(kit.platformDb, 'insurance-summarize');
    customerId = await createTenantWithTemplate(kit.platformDb, template);
    kit.fakeOpenAI.respondWith((chat) => {
      const transcript = transcriptOf(chat);
      for (const [marker, answer] of answers) {
        if (!transcript.includes(marker)) continue;
        const attempt = (attempts.get(marker) ?? 0) + 1;
        attempts.set(marker, attempt);
        return answer(chat, attempt);
      }
      return { reply: { status: 400, body: { error: { message: 'no answer configured for this transcript' } } } };
    });
    // Long enough for any real answer of the fake on a busy machine; only the deliberate hang times out.
    await kit.startWorker({ openAiTimeoutMs: 3_000, metricsRegistry: workerMetrics });
  });

  it("records the API's route latency, and the worker's job latency, queue depth and OpenAI latency", async () => {
    const callSid = uniqueCallSid();
    answerWith('metrics-call', {
      summary: 'Asked about a policy.',
      key_topics: [],
      caller_name: null,
      facts: [],
      variables: {},
      personality: null,
    });
    const posted = await postCall({ userId: uniquePhone(), callSid, marker: 'metrics-call' });
    expect(posted.status).toBe(202);
    await kit.waitForJob(posted.body.job_id);

    const api = (await request(metricsListener(metricsRegistryOf(kit.app))).get('/metrics')).text;
    expect(api).toMatch(/http_request_duration_seconds_count\{method="POST",route="\/v2\/process-call",status_code="202"\} [1-9]/);
    const worker = await workerMetrics.metrics();
    expect(worker).toMatch(
      new RegExp(
        `queue_job_duration_seconds_count\\{queue="${MEMORY_QUEUE_NAME}",job="${SUMMARIZE_CALL_JOB}",outcome="completed"\\} [1-9]`,
      ),
    );
    expect(worker).toMatch(/provider_request_duration_seconds_count\{provider="openai",operation="summarize_call",outcome="ok"\} [1-9]/);
    expect(worker).toMatch(new RegExp(`queue_jobs\\{queue="${MEMORY_QUEUE_NAME}",state="waiting"\\} \\d+`));
    expect(`${api}${worker}`).not.toContain(callSid);
  });

  it('summarizes a posted call into summaries, profile (re-rendered Quick Bio) and personality', async () => {
    const userId = uniquePhone();
    const callSid = uniqueCallSid();
    answerWith('first-call', {
      summary: 'Wants to add his son as a driver.',
      key_topics: ['auto', 'new driver'],
      caller_name: 'John Smith',
      facts: ['The caller said their son Sam just got his license.'],
      variables: { city: 'Orange County', client_since: '2020-01-01', policy_summary: '2 Auto + 1 Home', children: ['Sam'] },
      personality: { warmth: 80, urgency: 30 },
    });

    const posted = await postCall({ userId, callSid, marker: 'first-call' });
    expect(posted.status).toBe(202);
    expect(posted.body).toEqual({ success: true, job_id: `process-call:${customerId}:${callSid}`, status: 'queued' });
    await expect(kit.waitForJob(posted.body.job_id)).resolves.toEqual({ outcome: 'summarized', userId, memoriesAdded: 1 });

    const [chat] = requestsFor('first-call');
    expect(chat?.model).toBe('test-summary-model');
    expect(chat?.response_format?.type).toBe('json_schema');
    expect(JSON.stringify(chat?.response_format?.json_schema?.schema)).toContain('client_since');
    expect(transcriptOf(chat!)).toContain("Caller: Hi, it's about my policy (first-call).");

    const summaries = await get(`/v2/summaries/${encodeURIComponent(userId)}`);
    expect(summaries.status).toBe(200);
    expect(summaries.body.summaries).toEqual([
      expect.objectContaining({
        call_sid: callSid,
        thread_id: threadIdFor(customerId, userId),
        summary: 'Wants to add his son as a driver.',
        key_topics: ['auto', 'new driver'],
        variables: { city: 'Orange County', client_since: '2020-01-01', policy_summary: '2 Auto + 1 Home', children: ['Sam'] },
      }),
    ]);

    const profile = await get(`/v2/profile/${encodeURIComponent(userId)}`);
    expect(profile.status).toBe(200);
    expect(profile.body.profile).toEqual(
      expect.objectContaining({
        name: 'John Smith',
        quick_bio: 'John Smith | Orange County | Client since 2020-01-01 | 2 Auto + 1 Home',
        call_count: 1,
        first_call_at: '2026-11-20T15:00:00.000Z',
        last_call_at: '2026-11-20T15:00:00.000Z',
      }),
    );

    const personality = await get(`/v2/personality/${encodeURIComponent(userId)}`);
    expect(personality.status).toBe(200);
    expect(personality.body).toEqual(
      expect.objectContaining({
        sample_count: 1,
        averages: expect.objectContaining({ warmth: 80, urgency: 30, formality: 50 }),
        recent: [expect.objectContaining({ call_sid: callSid, scores: expect.objectContaining({ warmth: 80 }) })],
      }),
    );
    expect(Object.keys(personality.body.scales)).toEqual(['formality', 'patience', 'verbosity', 'warmth', 'urgency', 'tech_savviness']);

    const context = await request(kit.app)
      .post('/v2/context/enriched')
      .set('authorization', `Bearer ${await kit.token(customerId)}`)
      .send({ customer_id: customerId, user_id: userId });
    expect(context.status).toBe(200);
    expect(context.body).toEqual(
      expect.objectContaining({
        known_caller: true,
        quick_bio: 'John Smith | Orange County | Client since 2020-01-01 | 2 Auto + 1 Home',
        known_facts: { city: 'Orange County', client_since: '2020-01-01', policy_summary: '2 Auto + 1 Home', children: ['Sam'] },
        personality: { averages: expect.objectContaining({ warmth: 80 }), sample_count: 1 },
        recent_summaries: [expect.objectContaining({ call_sid: callSid, summary: 'Wants to add his son as a driver.' })],
        recent_memories: [expect.objectContaining({ content: 'The caller said their son Sam just got his license.', kind: 'fact' })],
      }),
    );
    expect(context.body.prompt_context).toContain('What you already know about this client:\n- City: Orange County');

    // A second call updates the profile and folds the new scores into the averages. The model sees
    // the stored profile and returns the whole new list of children.
    answerWith('second-call', {
      summary: 'Added a third car.',
      variables: { policy_summary: '3 Auto + 1 Home', children: ['Sam', 'Ben'] },
      personality: { warmth: 40, urgency: 30 },
    });
    const second = await postCall({ userId, callSid: uniqueCallSid(), marker: 'second-call' });
    await kit.waitForJob(second.body.job_id);
    expect(profileSentWith(requestsFor('second-call')[0]!)).toEqual({
      name: 'John Smith',
      fields: { city: 'Orange County', client_since: '2020-01-01', policy_summary: '2 Auto + 1 Home', children: ['Sam'] },
    });
    const updated = await get(`/v2/profile/${encodeURIComponent(userId)}`);
    expect(updated.body.profile).toEqual(
      expect.objectContaining({
        name: 'John Smith',
        quick_bio: 'John Smith | Orange County | Client since 2020-01-01 | 3 Auto + 1 Home',
        variables: expect.objectContaining({ children: ['Sam', 'Ben'], city: 'Orange County' }),
        call_count: 2,
      }),
    );
    const averaged = await get(`/v2/personality/${encodeURIComponent(userId)}`);
    expect(averaged.body.sample_count).toBe(2);
    expect(averaged.body.averages.warmth).toBeCloseTo(60, 10);
    expect((await get(`/v2/summaries/${encodeURIComponent(userId)}`)).body.summaries).toHaveLength(2);
  });

  it('gives one summary for a call posted twice, concurrently, and again after it was summarized', async () => {
    const userId = uniquePhone();
    const callSid = uniqueCallSid();
    answerWith('repeated-call', { summary: 'Asked for an ID card.', facts: ['Needs a new ID card.'] });

    const posts = await Promise.all([1, 2, 3, 4].map(() => postCall({ userId, callSid, marker: 'repeated-call' })));
    expect(posts.map((post) => post.status)).toEqual([202, 202, 202, 202]);
    expect(new Set(posts.map((post) => post.body.job_id))).toEqual(new Set([`process-call:${customerId}:${callSid}`]));
    expect(posts.filter((post) => post.body.status === 'queued')).toHaveLength(1);
    await kit.waitForJob(posts[0]!.body.job_id);

    const again = await postCall({ userId, callSid, marker: 'repeated-call' });
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ success: true, job_id: posts[0]!.body.job_id, status: 'completed' });

    expect(requestsFor('repeated-call')).toHaveLength(1);
    const counts = await withTenant(kit.db, customerId, async (tx) => ({
      summaries: await tx.callSummary.count({ where: { customerId, callSid } }),
      metrics: await tx.personalityMetric.count({ where: { customerId, callSid } }),
      memories: await tx.memory.count({ where: { customerId, sourceCallSid: callSid } }),
      profile: await tx.callerProfile.findUnique({ where: { customerId_userId: { customerId, userId } } }),
    }));
    expect(counts).toEqual({ summaries: 1, metrics: 1, memories: 1, profile: expect.objectContaining({ callCount: 1 }) });
  });

  it('retries a failing or timing-out model with backoff and then completes once', async () => {
    const userId = uniquePhone();
    answers.set('flaky-call', (chat, attempt) => {
      if (attempt === 1) return { reply: { status: 503, body: { error: { message: 'overloaded' } } } };
      if (attempt === 2) return { reply: { hang: true } };
      return { json: answerFor(chat, { summary: 'Third time lucky.' }) };
    });
    const posted = await postCall({ userId, callSid: uniqueCallSid(), marker: 'flaky-call' });
    await expect(kit.waitForJob(posted.body.job_id)).resolves.toEqual(expect.objectContaining({ outcome: 'summarized' }));
    const job = await kit.queue.getJob(posted.body.job_id);
    // Three attempts: the 503, the timeout, the success (BullMQ counts the successful one too).
    expect(job?.attemptsMade).toBe(3);
    expect(requestsFor('flaky-call')).toHaveLength(3);
    expect((await get(`/v2/summaries/${encodeURIComponent(userId)}`)).body.summaries).toEqual([
      expect.objectContaining({ summary: 'Third time lucky.' }),
    ]);
  });

  it('retries model output that fails validation', async () => {
    const userId = uniquePhone();
    answers.set('invalid-output', (chat, attempt) =>
      attempt === 1
        ? { json: { ...answerFor(chat, { summary: 'x' }), personality: { warmth: 'very' } } }
        : { json: answerFor(chat, { summary: 'Valid on retry.' }) },
    );
    const posted = await postCall({ userId, callSid: uniqueCallSid(), marker: 'invalid-output' });
    await expect(kit.waitForJob(posted.body.job_id)).resolves.toEqual(expect.objectContaining({ outcome: 'summarized' }));
    expect(requestsFor('invalid-output')).toHaveLength(2);
  });

  it('fails malformed data at once, without retrying, and reports it per tenant in GET /v2/jobs', async () => {
    const userId = uniquePhone();
    const callSid = uniqueCallSid();
    // A stored transcript that is not a list of turns (e.g. written by an older release).
    await withTenant(kit.db, customerId, (tx) =>
      tx.callSummary.create({
        data: { customerId, callSid, userId, summary: '', status: 'pending', rawTranscript: { text: 'not turns' } },
      }),
    );
    const jobId = await enqueueSummarizeCall(kit.queue, { customerId, callSid });
    await expect(kit.waitForJob(jobId)).rejects.toThrow(`Stored transcript of call ${callSid} is malformed`);
    expect((await kit.queue.getJob(jobId))?.attemptsMade).toBe(1);

    // A payload that does not parse fails the same way.
    const badPayload = await kit.queue.add(
      SUMMARIZE_CALL_JOB,
      { customerId: 'one', callSid },
      { jobId: summarizeCallJob.jobId({ customerId, callSid: `bad-${callSid}` }) },
    );
    await expect(kit.waitForJob(badPayload.id!)).rejects.toThrow(
      'Malformed process-call payload: customerId Expected number, received string',
    );
    expect((await kit.queue.getJob(badPayload.id!))?.attemptsMade).toBe(1);

    const status = await get('/v2/jobs');
    expect(status.status).toBe(200);
    expect(status.body.counts.failed).toBe(2);
    expect(status.body.recent_failures).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          job_id: summarizeCallJob.jobId({ customerId, callSid }),
          call_sid: callSid,
          attempts_made: 1,
          failed_reason: expect.stringContaining('malformed'),
        }),
      ]),
    );
    expect(status.body.counts.completed).toBeGreaterThanOrEqual(4);

    // Another tenant sees none of it.
    const otherTemplate = await publishInsuranceTemplate(kit.platformDb, 'insurance-other');
    const otherTenant = await createTenantWithTemplate(kit.platformDb, otherTemplate);
    const other = await get('/v2/jobs', otherTenant);
    expect(other.status).toBe(200);
    expect(other.body).toEqual({
      success: true,
      customer_id: otherTenant,
      queue: 'memory',
      counts: { waiting: 0, active: 0, delayed: 0, completed: 0, failed: 0 },
      recent_failures: [],
    });
  });

  it('keeps a tenant on its pinned template version when a new version is published', async () => {
    const industry = uniqueIndustry('insurance-pinned');
    const v1 = insuranceTemplate(industry, 1);
    await publishTemplate(kit.platformDb, v1);
    const pinned = await createTenantWithTemplate(kit.platformDb, v1);
    await publishTemplate(kit.platformDb, {
      ...v1,
      version: 2,
      quickBio: { format: '{{city}} / {{name}}' },
      promptFragments: { ...v1.promptFragments, knownFactsIntro: 'Version two intro:' },
    });
    const userId = uniquePhone();
    answerWith('pinned-call', { summary: 'Pinned.', caller_name: 'Pat Doe', variables: { city: 'Springfield' } });
    const posted = await postCall({ userId, callSid: uniqueCallSid(), marker: 'pinned-call', tenant: pinned });
    await kit.waitForJob(posted.body.job_id);

    const profile = await get(`/v2/profile/${encodeURIComponent(userId)}`, pinned);
    expect(profile.body.profile.quick_bio).toBe('Pat Doe | Springfield');
    const context = await request(kit.app)
      .post('/v2/context/enriched')
      .set('authorization', `Bearer ${await kit.token(pinned)}`)
      .send({ customer_id: pinned, user_id: userId });
    expect(context.body.prompt_context).toContain('What you already know about this client:');
    expect(context.body.prompt_context).not.toContain('Version two intro:');
  });
});
