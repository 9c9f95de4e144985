import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { TwilioCall } from '@neurosphere/e2e/support';
import type { AgentAnswer } from '@neurosphere/e2e/support';
import type { Scenario } from '../scenarios/scenario-file';
import type { CallObservation } from '../score/score-scenario';
import type { ModelUnderTest } from './model-under-test';
import type { ScenarioTenant } from './scenario-tenant';

/** How long the memory worker may take to summarize a finished call before the scenario fails. */
const SUMMARY_WAIT_MS = 90_000;

/**
 * Plays one scenario's call as Twilio would (signed webhooks to the gateway: ring, one turn per
 * caller line, the status callback at hang-up), waits until the memory worker has summarized it,
 * and gathers what the scorecard judges: the model traffic of the call, what the agent said, how
 * the call ended, and what memory stored.
 */
export async function playScenario(options: {
  scenario: Scenario;
  tenant: ScenarioTenant;
  gatewayUrl: string;
  twilioAuthToken: string;
  appDb: Db;
  model: ModelUnderTest;
}): Promise<CallObservation> {
  const { scenario, tenant, appDb } = options;
  const call = new TwilioCall({
    gatewayUrl: options.gatewayUrl,
    authToken: options.twilioAuthToken,
    from: tenant.callerPhone,
    to: tenant.number,
  });
  const answers: AgentAnswer[] = [await call.start()];
  for (const turn of scenario.turns) {
    const last = answers.at(-1)!;
    if (!('gather' in last.next)) break;
    answers.push(await call.say(turn.caller));
  }
  await call.end('completed', 20 * answers.length);

  const summary = await waitForSummary(appDb, tenant.customerId, call.callSid);
  const stored = await withTenant(appDb, tenant.customerId, async (tx) => {
    const callRow = await tx.call.findUnique({
      where: { customerId_callSid: { customerId: tenant.customerId, callSid: call.callSid } },
      select: { id: true },
    });
    const turns = callRow
      ? await tx.callTurn.findMany({
          where: { customerId: tenant.customerId, callId: callRow.id, role: 'assistant' },
          orderBy: { turnIndex: 'asc' },
          select: { text: true },
        })
      : [];
    const facts = await tx.memory.findMany({
      where: { customerId: tenant.customerId, userId: tenant.callerPhone, sourceCallSid: call.callSid },
      select: { content: true },
    });
    const profile = await tx.callerProfile.findUnique({
      where: { customerId_userId: { customerId: tenant.customerId, userId: tenant.callerPhone } },
      select: { variables: true },
    });
    return {
      turns: turns.map((turn) => turn.text),
      facts: facts.map((fact) => fact.content),
      profile: (profile?.variables ?? {}) as Record<string, unknown>,
    };
  });

  // <Say> is the platform's own fallback speech, which the call log may not hold.
  const sayTexts = answers.flatMap((answer) => answer.speech.flatMap((speech) => ('say' in speech ? [speech.say] : [])));
  const last = answers.at(-1)!;
  return {
    ...options.model.observed(tenant.businessName),
    said: [...stored.turns, ...sayTexts],
    ends: 'gather' in last.next ? 'listening' : 'dial' in last.next ? 'transfer' : 'hangup',
    stored: { summary, facts: stored.facts, profile: stored.profile },
  };
}

async function waitForSummary(appDb: Db, customerId: number, callSid: string): Promise<string> {
  const giveUpAt = Date.now() + SUMMARY_WAIT_MS;
  for (;;) {
    const row = await withTenant(appDb, customerId, (tx) =>
      tx.callSummary.findUnique({ where: { customerId_callSid: { customerId, callSid } }, select: { status: true, summary: true } }),
    );
    if (row?.status === 'completed') return row.summary;
    if (Date.now() > giveUpAt)
      throw new Error(`the call was not summarized within ${SUMMARY_WAIT_MS / 1000} s (summary ${row?.status ?? 'missing'})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
