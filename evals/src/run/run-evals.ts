import { randomBytes } from 'node:crypto';
import { createDb } from '@neurosphere/db';
import type { TestDatabaseEnv } from '@neurosphere/db/testing';
import { startPlatformStack } from '@neurosphere/e2e/support';
import type { IndustryTemplateDefinition } from '@neurosphere/contracts';
import type { ModelScript } from '@neurosphere/testing';
import type { Scenario, ScenarioFile } from '../scenarios/scenario-file';
import { scoreScenario } from '../score/score-scenario';
import type { ScenarioResult } from '../score/scorecard';
import { modelUnderTest } from './model-under-test';
import type { ModelChoice } from './model-under-test';
import { playScenario } from './play-scenario';
import { createScenarioTenant, publishRunTemplate } from './scenario-tenant';
import type { ScenarioTenant } from './scenario-tenant';

export interface RunEvalsOptions {
  files: ScenarioFile[];
  model: ModelChoice;
  database: Pick<TestDatabaseEnv, 'appUrl' | 'platformUrl'>;
  redisUrl: string;
  /** Calls played at once (they share one stack; each has its own tenant). */
  concurrency?: number;
  /** Progress lines (stack start, calls done). */
  log?: (line: string) => void;
}

/** The simulated model's script of a scenario: its model moves keyed on its caller lines, its summary. */
function scriptOf(scenario: Scenario, key: string): ModelScript {
  return {
    key,
    replies: scenario.turns.map((turn) => ({ caller: turn.caller, reply: turn.model })),
    ...(scenario.summary ? { summary: scenario.summary } : {}),
  };
}

/**
 * Runs every scenario through the real call path on one shared stack (gateway, orchestrator,
 * memory and its worker as processes, fake Twilio and ElevenLabs, the chosen model behind the fake
 * OpenAI server) and scores each call against its expectations.
 */
export async function runEvals(options: RunEvalsOptions): Promise<{ results: ScenarioResult[]; model: string }> {
  const log = options.log ?? (() => undefined);
  const runId = randomBytes(3).toString('hex');
  const model = modelUnderTest(options.model);
  const platformDb = createDb({ url: options.database.platformUrl, poolMax: 2 });
  const concurrency = options.concurrency ?? 8;
  // One connection per call in flight (each polls for its summary), and one to spare.
  const appDb = createDb({ url: options.database.appUrl, poolMax: concurrency + 1 });
  const startedAt = Date.now();
  const elapsed = () => `${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
  log('starting the platform (gateway, orchestrator, memory, memory worker)');
  const stack = await startPlatformStack({
    openai: model.handler,
    database: { ...options.database, ownerUrl: options.database.platformUrl },
    redisUrl: options.redisUrl,
    // The apps boot from TypeScript (tsx), which takes minutes on a busy 2-core machine.
    readyTimeoutMs: 240_000,
  }).catch(async (error: unknown) => {
    await Promise.all([platformDb.$disconnect(), appDb.$disconnect()]);
    throw error;
  });
  // Texts are accepted (the sms service has its own tests); what the agent asked to send is in the tool calls.
  stack.sms.on('POST', '/v1/messages', (request) => {
    const body = request.body as { to: string; body?: string };
    const now = new Date().toISOString();
    const message = {
      id: crypto.randomUUID(),
      direction: 'outbound',
      to: body.to,
      from: '+15005550006',
      body: body.body ?? '',
      status: 'queued',
      template: null,
      twilio_sid: null,
      error_code: null,
      error_message: null,
      created_at: now,
      updated_at: now,
    };
    return { status: 202, body: { success: true, message } };
  });

  try {
    const templates = new Map<string, IndustryTemplateDefinition>();
    for (const industry of new Set(options.files.map((file) => file.industry)))
      templates.set(industry, await publishRunTemplate(platformDb, industry, runId));
    const jobs = options.files.flatMap((file) => file.scenarios.map((scenario) => ({ file, scenario })));
    log(`platform ready after ${elapsed()}; creating a tenant for each of the ${jobs.length} scenarios`);
    const results: ScenarioResult[] = new Array(jobs.length);
    // Tenants first, one at a time (a few audited platform transactions each); then the calls, several at once.
    const tenants = new Map<number, ScenarioTenant>();
    for (const [at, { file, scenario }] of jobs.entries()) {
      // Unique in the run and never part of another (fixed width): it keys the model's script.
      const businessName = `${file.business.name} (${runId}-${String(at).padStart(3, '0')})`;
      tenants.set(at, await createScenarioTenant({ platformDb, file, scenario, template: templates.get(file.industry)!, businessName }));
      model.addScripts([scriptOf(scenario, businessName)]);
    }
    log(`${jobs.length} tenants ready after ${elapsed()}; playing the calls, ${concurrency} at a time`);
    let next = 0;
    const worker = async () => {
      for (let at = next++; at < jobs.length; at = next++) {
        const { file, scenario } = jobs[at]!;
        const name = `${file.industry}/${scenario.id}`;
        try {
          const seen = await playScenario({
            scenario,
            tenant: tenants.get(at)!,
            gatewayUrl: stack.gatewayUrl,
            twilioAuthToken: stack.platformTwilioToken,
            appDb,
            model,
          });
          results[at] = { name, title: scenario.title, checks: scoreScenario(scenario.expect, seen) };
        } catch (error) {
          results[at] = { name, title: scenario.title, checks: [], error: (error as Error).message };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
    log(`all calls played and summarized after ${elapsed()}`);
    return { results, model: model.describe() };
  } finally {
    await stack.stop();
    await Promise.all([platformDb.$disconnect(), appDb.$disconnect()]);
  }
}
