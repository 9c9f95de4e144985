import { withTenant } from '@neurosphere/db';
import { uniqueCallSid, uniquePhone, useHarness } from '@neurosphere/testing';
import { answerFor, startHarness, createTenantWithTemplate, publishInsuranceTemplate } from '../../test/harness';

/**
 * A worker that dies in the middle of a job (here: while the model has not answered) loses its
 * lock; the next worker's stalled-job check puts the job back in the queue and runs it. The
 * result is exactly one summary, one metric, one set of memories and one profile update.
 */
describe('summarization survives a worker stopped mid-job', () => {
  const kit = useHarness(() => startHarness({ attempts: 3, backoffMs: 50 }));
  let customerId: number;

  beforeAll(async () => {
    const template = await publishInsuranceTemplate(kit.platformDb, 'insurance-restart');
    customerId = await createTenantWithTemplate(kit.platformDb, template);
  });

  it('completes the job on a new worker with nothing lost or duplicated', async () => {
    // The first worker's request never gets an answer: the worker is "killed" while it waits.
    let firstRequestArrived!: () => void;
    const arrived = new Promise<void>((resolve) => (firstRequestArrived = resolve));
    let requests = 0;
    kit.fakeOpenAI.respondWith((chat) => {
      requests += 1;
      if (requests === 1) {
        firstRequestArrived();
        return { reply: { hang: true } };
      }
      return {
        json: answerFor(chat, {
          summary: 'Reported a cracked windshield.',
          caller_name: 'Robin Roe',
          facts: ['The caller said their windshield cracked on the highway.'],
          variables: { city: 'Springfield', open_claim: true },
          personality: { urgency: 90 },
        }),
      };
    });
    // Short locks so the test does not wait BullMQ's default 30 s for the dead worker's lock to expire.
    const firstWorker = await kit.startWorker({ lockDurationMs: 2_000, stalledIntervalMs: 1_000, openAiTimeoutMs: 60_000 });

    const userId = uniquePhone();
    const callSid = uniqueCallSid();
    const posted = await kit.processCall(customerId, {
      userId,
      callSid,
      // Long enough to be scored for personality (assess-call.ts).
      conversation: [
        { role: 'caller', text: 'My windshield cracked on the highway.' },
        { role: 'caller', text: 'A truck threw a stone at it this morning and now there is a long crack right across the driver side.' },
        { role: 'caller', text: 'Can someone help me file a claim today? It is pretty urgent for me.' },
      ],
    });
    expect(posted.status).toBe(202);

    await arrived;
    expect(await (await kit.queue.getJob(posted.body.job_id))?.getState()).toBe('active');
    // force: stop at once, without waiting for (or failing) the job in progress, like a crash.
    await firstWorker.close(true);

    // Checks often for stalled jobs; its own lock is generous so it never loses the job it runs.
    await kit.startWorker({ lockDurationMs: 10_000, stalledIntervalMs: 500 });
    await expect(kit.waitForJob(posted.body.job_id)).resolves.toEqual({ outcome: 'summarized', userId, memoriesAdded: 1 });

    expect(requests).toBe(2);
    const stored = await withTenant(kit.db, customerId, async (tx) => ({
      summaries: await tx.callSummary.findMany({ where: { customerId, userId } }),
      metrics: await tx.personalityMetric.count({ where: { customerId, userId } }),
      memories: await tx.memory.findMany({ where: { customerId, userId }, select: { content: true } }),
      profile: await tx.callerProfile.findUnique({ where: { customerId_userId: { customerId, userId } } }),
      averages: await tx.personalityAverage.findUnique({ where: { customerId_userId: { customerId, userId } } }),
    }));
    expect(stored.summaries).toEqual([
      expect.objectContaining({ callSid, status: 'completed', summary: 'Reported a cracked windshield.' }),
    ]);
    expect(stored.metrics).toBe(1);
    expect(stored.memories).toEqual([{ content: 'The caller said their windshield cracked on the highway.' }]);
    expect(stored.profile).toEqual(expect.objectContaining({ callCount: 1, name: 'Robin Roe', quickBio: 'Robin Roe | Springfield' }));
    expect(stored.averages).toEqual(expect.objectContaining({ sampleCount: 1 }));
  });
});
