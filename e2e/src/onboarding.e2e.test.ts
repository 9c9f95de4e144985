import { createServiceTokenSigner } from '@neurosphere/auth';
import { createFreshTestDatabase } from '@neurosphere/db/testing';
import type { FreshTestDatabase } from '@neurosphere/db/testing';
import { startFakeTwilio, uniqueMessageSid, uniquePhone, uniqueSuffix } from '@neurosphere/testing';
import type { FakeTwilio, FakeTwilioAccount } from '@neurosphere/testing';
import twilio from 'twilio';
import { call, firstPlatformAdminSession, publishSeedTemplate } from './support/onboard-business';
import { startPlatformStack } from './support/platform-stack';
import type { PlatformStack } from './support/platform-stack';
import { tailOf } from './support/service-processes';
import { parseTwiml, TwilioCall } from './support/twilio-phone';

// Issue 15's "done when": from an empty platform (a fresh database, no admin, no template, no
// tenant), the command line creates the first platform admin, one API call onboards a new
// business, and then a signed call to its new number is answered with its greeting and its SMS
// number works, all through the tenant's new Twilio sub-account: the gateway checks the webhooks'
// signatures with the sub-account's auth token, and texts go out with the sub-account's
// credentials. Every service runs as its own process; Twilio, OpenAI and ElevenLabs are fakes.

const greeting = 'Thank you for calling Smith Agency, this is Sarah. How can I help you today?';
const helpText = 'Smith Agency: call us at the office for anything else. Reply STOP to opt out.';

let fresh: FreshTestDatabase;
let fakeTwilio: FakeTwilio;
let platformAccount: FakeTwilioAccount;
let stack: PlatformStack;

beforeAll(async () => {
  fresh = await createFreshTestDatabase('db_e2e_onboarding');
  fakeTwilio = await startFakeTwilio();
  platformAccount = fakeTwilio.addAccount({ friendlyName: 'NeuroSphere platform' });
  stack = await startPlatformStack({
    openai: () => ({ content: 'Certainly, I can help with that.' }),
    database: fresh.env,
    twilio: fakeTwilio,
    platformTwilioAccount: { accountSid: platformAccount.sid, authToken: platformAccount.authToken },
    withSms: true,
    adminApiEnv: {},
    // Each service meets its first request cold (modules compiled on demand): on a busy CI machine
    // that can take longer than the gateway's production timeouts, which this test is not about.
    gatewayEnv: { SMS_TIMEOUT_MS: '30000', ORCHESTRATOR_TIMEOUT_MS: '30000' },
  });
});
afterAll(async () => {
  await stack?.stop();
  await fresh?.drop();
});

it('onboards a business from an empty platform, and its number answers calls and texts through its sub-account', async () => {
  const adminApi = stack.adminApiUrl!;
  const asPlatform = await firstPlatformAdminSession({
    adminApiUrl: adminApi,
    platformDatabaseUrl: fresh.env.platformUrl,
    email: 'ops@example.com',
    password: 'first-admin-password',
  });
  const template = await publishSeedTemplate(adminApi, asPlatform, 'insurance.v1.json', 'insurance');

  // One call brings the business live.
  const onboarded = (await call(
    adminApi,
    'POST',
    '/v1/platform/tenants',
    {
      business_name: 'Smith Agency',
      industry: template.industry,
      template_version: template.version,
      agent_name: 'Sarah',
      greeting,
      voice_id: 'voice-smith-agency',
      help_text: helpText,
      number: { kind: 'search', area_code: '212' },
      owner_email: 'owner@smith-agency.example',
    },
    asPlatform,
    { 'idempotency-key': `e2e-onboarding-${uniqueSuffix()}` },
  )) as { tenant: { customer_id: number }; number: { phone_number: string }; twilio_account: { kind: string; account_sid: string } };
  expect(onboarded.twilio_account.kind).toBe('subaccount');
  const subaccount = fakeTwilio.account(onboarded.twilio_account.account_sid)!;
  expect(subaccount.ownerAccountSid).toBe(platformAccount.sid);
  const number = onboarded.number.phone_number;
  const gateway = stack.gatewayUrl;
  expect(fakeTwilio.incomingNumbers(subaccount.sid)).toEqual([
    expect.objectContaining({
      phoneNumber: number,
      voiceUrl: `${gateway}/call/incoming`,
      statusCallback: `${gateway}/call/status`,
      smsUrl: `${gateway}/sms/incoming`,
    }),
  ]);

  // A call to the new number, signed as Twilio signs for the sub-account, hears the greeting.
  const caller = uniquePhone();
  const phoneCall = new TwilioCall({ gatewayUrl: gateway, authToken: subaccount.authToken, from: caller, to: number });
  const answer = await phoneCall.start();
  expect(answer.next).toEqual({ gather: expect.objectContaining({ action: `${gateway}/call/turn` }) as unknown });
  const spoken = stack.elevenLabs.ttsRequests().filter((request) => request.voiceId === 'voice-smith-agency');
  expect(spoken.map((request) => request.text).join(' ')).toContain('Smith Agency');
  expect(answer.speech.length).toBeGreaterThan(0);
  // The platform's own token does not sign for the sub-account's number.
  const forged = new TwilioCall({ gatewayUrl: gateway, authToken: platformAccount.authToken, from: caller, to: number });
  await expect(forged.start()).rejects.toThrow(/answered 403/);
  expect(await phoneCall.end('completed', 12)).toBe(204);

  // Its SMS number: an inbound HELP, signed for the sub-account, is answered with the tenant's help text.
  const inbound = { MessageSid: uniqueMessageSid(), AccountSid: subaccount.sid, From: caller, To: number, Body: 'HELP', NumSegments: '1' };
  const smsUrl = `${gateway}/sms/incoming`;
  const smsResponse = await fetch(smsUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(subaccount.authToken, smsUrl, inbound),
    },
    body: new URLSearchParams(inbound).toString(),
  });
  const twiml = await smsResponse.text();
  expect(smsResponse.status).toBe(200);
  expect(parseTwiml(twiml)).toEqual([expect.objectContaining({ name: 'Message', text: helpText })]);

  // And a text from the business goes out through the sub-account, from its number.
  const signer = createServiceTokenSigner({ issuer: 'orchestrator', privateJwk: stack.serviceKeys.orchestrator! });
  const token = await signer.sign({ audience: 'sms', customerId: onboarded.tenant.customer_id });
  const send = await fetch(`${stack.smsUrl!}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ to: caller, body: 'Thanks for calling Smith Agency.' }),
  });
  expect(send.status).toBe(202);
  const deadline = Date.now() + 30_000;
  let sent = fakeTwilio.sentMessages().filter((message) => message.to === caller);
  while (sent.length === 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    sent = fakeTwilio.sentMessages().filter((message) => message.to === caller);
  }
  if (sent.length === 0)
    throw new Error(
      `the text never reached Twilio:\n${stack.services.map((service) => `--- ${service.name}\n${tailOf(service, 15)}`).join('\n')}`,
    );
  expect(sent).toEqual([
    expect.objectContaining({ from: number, accountSid: subaccount.sid, username: subaccount.sid, password: subaccount.authToken }),
  ]);
});
