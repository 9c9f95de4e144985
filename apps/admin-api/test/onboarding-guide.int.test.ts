import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createFreshTestDatabase } from '@neurosphere/db/testing';
import type { FreshTestDatabase } from '@neurosphere/db/testing';
import request from 'supertest';
import { bearer, createAdmin, PUBLIC_BASE_URL, repoRoot, runCommand, startPlatformHarness } from './harness';
import type { PlatformHarness } from './harness';

// docs/CUSTOMER_ONBOARDING_GUIDE.md with the command line, on a platform of its own (a fresh
// database: the guide's example document always describes the same business): the onboarding
// command exactly as the guide shows it, run twice, and the owner accepting the invitation it
// printed. The fake Twilio stands in for Twilio's REST API.

const ONBOARD_COMMAND = 'pnpm --filter @neurosphere/admin-api onboard-tenant -- --file docs/examples/smith-agency.onboarding.json';

let fresh: FreshTestDatabase;
let harness: PlatformHarness;
let cliEnv: Record<string, string>;

beforeAll(async () => {
  fresh = await createFreshTestDatabase('db_onboarding_guide');
  harness = await startPlatformHarness({ database: fresh.env });
  // The industry template the example names, as the seed has it, published through the API.
  const asPlatform = await bearer(harness.tokens, await createAdmin(harness.platformDb, { isPlatformAdmin: true }));
  const definition = JSON.parse(readFileSync(path.join(repoRoot, 'packages/db/seed/templates/insurance.v1.json'), 'utf8')) as object;
  const published = await request(harness.app).post('/v1/platform/templates').set('authorization', asPlatform).send({ definition });
  expect(published.status).toBe(201);
  const keyId = harness.keyring.activeKeyId;
  cliEnv = {
    DATABASE_PLATFORM_URL: fresh.env.platformUrl,
    TWILIO_ACCOUNT_SID: harness.platformAccount.sid,
    TWILIO_AUTH_TOKEN: harness.platformAccount.authToken,
    TWILIO_API_BASE_URL: harness.twilio.url,
    PUBLIC_BASE_URL,
    BYOK_KEYS: JSON.stringify({ [keyId]: harness.keyring.keys[keyId]!.toString('base64') }),
    BYOK_ACTIVE_KEY_ID: keyId,
  };
}, 120_000);
afterAll(async () => {
  await harness?.close();
  await fresh?.drop();
});

/** The command's JSON answer (pnpm prints its own banner lines first). */
function answerOf(stdout: string) {
  return JSON.parse(stdout.slice(stdout.indexOf('\n{') + 1)) as {
    tenant: { customer_id: number; business_name: string };
    twilio_account: { kind: string; account_sid: string };
    number: { phone_number: string; webhooks_point_here: boolean };
    owner_invitation: { email: string; token: string | null };
    onboarding: { replayed: boolean; steps_run: string[] };
  };
}

it('onboards Smith Agency from the example document, resumes nothing twice, and the owner joins with the printed invitation', async () => {
  const first = await runCommand(ONBOARD_COMMAND, cliEnv, 180_000);
  expect(first).toMatchObject({ code: 0 });
  const onboarded = answerOf(first.stdout);
  expect(onboarded).toMatchObject({
    tenant: { business_name: 'Smith Agency' },
    twilio_account: { kind: 'subaccount' },
    number: { webhooks_point_here: true },
    owner_invitation: { email: 'owner@smith-agency.example', mailed: false },
    onboarding: { replayed: false, steps_run: ['twilio_account', 'number', 'tenant'] },
  });
  expect(onboarded.number.phone_number).toMatch(/^\+1212\d{7}$/);
  expect(harness.twilio.incomingNumbers(onboarded.twilio_account.account_sid)).toEqual([
    expect.objectContaining({
      phoneNumber: onboarded.number.phone_number,
      voiceUrl: `${PUBLIC_BASE_URL}/call/incoming`,
      statusCallback: `${PUBLIC_BASE_URL}/call/status`,
      smsUrl: `${PUBLIC_BASE_URL}/sms/incoming`,
    }),
  ]);

  // Run again (as after a failure, or by mistake): the finished onboarding is replayed, nothing bought.
  const again = await runCommand(ONBOARD_COMMAND, cliEnv, 180_000);
  expect(again).toMatchObject({ code: 0 });
  expect(answerOf(again.stdout)).toMatchObject({
    tenant: { customer_id: onboarded.tenant.customer_id },
    number: onboarded.number,
    onboarding: { replayed: true, steps_run: [] },
  });
  expect(
    harness.twilio
      .accounts()
      .filter((account) => account.ownerAccountSid === harness.platformAccount.sid && account.sid !== harness.platformAccount.sid),
  ).toHaveLength(1);
  expect(harness.twilio.incomingNumbers(onboarded.twilio_account.account_sid)).toHaveLength(1);

  // The owner sets a password with the invitation and manages the agent.
  const accepted = await request(harness.app)
    .post('/v1/auth/invitations/accept')
    .send({ token: onboarded.owner_invitation.token, password: 'smith-agency-owner-password' });
  expect(accepted.body).toEqual({
    success: true,
    customer_id: onboarded.tenant.customer_id,
    role: 'owner',
    email: 'owner@smith-agency.example',
  });
  const login = await request(harness.app)
    .post('/v1/auth/login')
    .send({ email: 'owner@smith-agency.example', password: 'smith-agency-owner-password' });
  const settings = await request(harness.app)
    .get(`/v1/tenants/${onboarded.tenant.customer_id}/settings`)
    .set('authorization', `Bearer ${login.body.access_token}`);
  expect(settings.body.settings).toMatchObject({
    agent_name: 'Sarah',
    greeting: 'Thank you for calling Smith Agency, this is Sarah. How can I help you today?',
  });
}, 420_000);
