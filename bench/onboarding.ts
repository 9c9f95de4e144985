/**
 * Benchmark (not a test): from the onboarding request to the first answered call; `pnpm bench
 * onboarding` runs it on a fresh database of its own (an empty platform).
 *
 * Every service runs as its own
 * process from its sources (gateway, orchestrator, memory and its worker, sms, admin-api), with
 * Twilio, OpenAI and ElevenLabs as fake servers on 127.0.0.1. The first platform admin is created
 * with the command line and publishes the seed's insurance template. Then, BENCH_RUNS times
 * (default 5), one business is onboarded with one API call (a new Twilio sub-account, a number
 * searched and bought, webhooks, tenant, owner invitation) and its new number is called at once,
 * signed for the sub-account; the clock stops when the gateway answers with the greeting's TwiML.
 * Prints each run (onboarding, first call, total) and the median; the goal is under 10 s.
 */
import { randomBytes } from 'node:crypto';
import {
  call,
  firstPlatformAdminSession,
  publishSeedTemplate,
  startPlatformStack,
  TwilioCall,
  uniquePhone,
} from '@neurosphere/e2e/support';
import { requireTestDatabaseEnv } from '@neurosphere/db/testing';
import { startFakeTwilio } from '@neurosphere/testing';
import { reportResults } from './lib/results';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const GOAL_MS = 10_000;

async function main(): Promise<void> {
  const database = requireTestDatabaseEnv();
  const twilio = await startFakeTwilio();
  const platformAccount = twilio.addAccount({ friendlyName: 'NeuroSphere platform' });
  const stack = await startPlatformStack({
    openai: () => ({ content: 'Certainly.' }),
    database,
    twilio,
    platformTwilioAccount: { accountSid: platformAccount.sid, authToken: platformAccount.authToken },
    withSms: true,
    adminApiEnv: {},
  });
  try {
    const adminApi = stack.adminApiUrl!;
    const asPlatform = await firstPlatformAdminSession({
      adminApiUrl: adminApi,
      platformDatabaseUrl: database.platformUrl,
      email: 'ops@example.com',
      password: 'bench-admin-password',
    });
    const template = await publishSeedTemplate(adminApi, asPlatform, 'insurance.v1.json', 'insurance');
    const totals: number[] = [];
    console.log('run  onboarding  first call  total');
    for (let run = 1; run <= RUNS; run++) {
      const suffix = randomBytes(3).toString('hex');
      const startedAt = performance.now();
      const onboarded = (await call(
        adminApi,
        'POST',
        '/v1/platform/tenants',
        {
          business_name: `Bench Agency ${suffix}`,
          industry: template.industry,
          template_version: template.version,
          agent_name: 'Sarah',
          greeting: `Thank you for calling Bench Agency ${suffix}, this is Sarah.`,
          number: { kind: 'search', area_code: '212' },
          owner_email: `owner-${suffix}@bench.example`,
        },
        asPlatform,
        { 'idempotency-key': `bench-${suffix}` },
      )) as { number: { phone_number: string }; twilio_account: { account_sid: string } };
      const onboardedAt = performance.now();
      const subaccount = twilio.account(onboarded.twilio_account.account_sid)!;
      const answer = await new TwilioCall({
        gatewayUrl: stack.gatewayUrl,
        authToken: subaccount.authToken,
        from: uniquePhone(),
        to: onboarded.number.phone_number,
      }).start();
      const answeredAt = performance.now();
      if (answer.speech.length === 0) throw new Error(`the first call was not greeted:\n${answer.twiml}`);
      totals.push(answeredAt - startedAt);
      console.log(
        `${String(run).padStart(3)}  ${ms(onboardedAt - startedAt)}  ${ms(answeredAt - onboardedAt)}  ${ms(answeredAt - startedAt)}`,
      );
    }
    const median = [...totals].sort((a, b) => a - b)[Math.floor(totals.length / 2)]!;
    console.log(
      `median from the onboarding request to the first answered call: ${Math.round(median)} ms (goal < ${GOAL_MS} ms: ${median < GOAL_MS ? 'met' : 'NOT met'})`,
    );
    reportResults([
      {
        benchmark: 'onboarding',
        figure: `median of ${totals.length}, onboarding request to first answered call`,
        service: `${Math.round(median)} ms`,
        target: `< ${GOAL_MS} ms`,
        met: median < GOAL_MS,
      },
    ]);
  } finally {
    // stop() closes the fakes too, the Twilio one included.
    await stack.stop();
  }
}

function ms(value: number): string {
  return `${Math.round(value)} ms`.padStart(10);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
