import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createDb, withPlatform } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { createTestAdminUser, requireTestDatabaseEnv } from '@neurosphere/db/testing';
import { startFakeServer, startMailCatcher, uniquePhone, uniqueSuffix } from '@neurosphere/testing';
import type { ChatRequest, FakeServer, MailCatcher } from '@neurosphere/testing';
import { startPlatformStack } from './support/platform-stack';
import type { PlatformStack } from './support/platform-stack';
import { repoRoot, tailOf } from './support/service-processes';
import { createTenant, insuranceFixture } from './support/tenant-fixtures';
import type { TenantFixture } from './support/tenant-fixtures';
import { TwilioCall } from './support/twilio-phone';
import { verifyWebhookSignature } from './support/webhook-signature';

// In a simulated call the caller asks for a callback. After hang-up the inbox lists it, the staff
// SMS and email reach the fakes, and the webhook receiver gets a validly signed callback.requested
// (checked with the verifier docs/WEBHOOKS.md shows). How fast is for the benchmarks, not this test.

const dbEnv = requireTestDatabaseEnv();
const CALLBACK_LINE = 'Please call me back about my renewal';

/** The fake model: a request_callback tool call when the caller asks for one, then a confirmation. */
function fakeModel(request: ChatRequest) {
  if (request.response_format?.type === 'json_schema') {
    return {
      json: {
        summary: 'The caller asked for a callback.',
        key_topics: ['callback'],
        caller_name: null,
        facts: [],
        changes: [],
        personality: null,
      },
    };
  }
  const last = request.messages[request.messages.length - 1];
  if (last?.role === 'user' && typeof last.content === 'string' && last.content.includes('call me back')) {
    return {
      toolCalls: [
        {
          name: 'request_callback',
          arguments: { reason: 'Policy renewal', caller_name: 'Dana', callback_number: 'this number', callback_time: 'after 3 pm' },
        },
      ],
    };
  }
  return { content: 'I have recorded your callback request. Anything else?' };
}

let stack: PlatformStack;
let mail: MailCatcher;
let receiver: FakeServer;
let platformDb: Db;
let tenant: TenantFixture;

beforeAll(async () => {
  [mail, receiver] = await Promise.all([startMailCatcher(), startFakeServer({ 'POST /crm/hooks': () => ({ status: 204 }) })]);
  stack = await startPlatformStack({
    openai: fakeModel,
    // The CRM's receiver listens on 127.0.0.1, which deployments refuse as a webhook address.
    adminApiEnv: {
      SMTP_URL: mail.smtpUrl,
      MAIL_FROM: 'Alerts <alerts@e2e.test>',
      CONSOLE_URL: 'http://console.e2e.test',
      NOTIFICATION_POLL_INTERVAL_MS: '1000',
      WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true',
    },
  });
  stack.sms.on('POST', '/v1/messages', (req) => {
    const body = req.body as { to: string; body: string };
    const now = new Date().toISOString();
    return {
      status: 202,
      body: {
        success: true,
        message: {
          id: crypto.randomUUID(),
          direction: 'outbound',
          to: body.to,
          from: '+15005550006',
          body: body.body,
          status: 'queued',
          template: null,
          twilio_sid: null,
          error_code: null,
          error_message: null,
          created_at: now,
          updated_at: now,
        },
      },
    };
  });
  platformDb = createDb({ url: dbEnv.platformUrl, poolMax: 2 });
  tenant = await createTenant({
    platformDb,
    fixture: insuranceFixture(uniqueSuffix()),
    callerPhone: uniquePhone(),
    platformAuthToken: stack.platformTwilioToken,
  });
});

afterAll(async () => {
  await stack?.stop();
  await Promise.all([mail?.close(), receiver?.close(), platformDb?.$disconnect()]);
});

/** An owner of the tenant, signed in through the admin API (password set with the documented CLI). */
async function signInOwner(): Promise<string> {
  const password = `e2e-${uniqueSuffix()}-password`;
  const owner = await createTestAdminUser(platformDb);
  await withPlatform(platformDb, { actor: 'e2e', action: 'test.create_membership' }, (tx) =>
    tx.membership.create({ data: { customerId: tenant.customerId, adminUserId: owner.id, role: 'owner' } }),
  );
  await promisify(execFile)(
    process.execPath,
    ['--conditions=development', '--import', 'tsx', 'src/cli/set-admin-password.ts', '--email', owner.email],
    {
      cwd: path.join(repoRoot, 'apps', 'admin-api'),
      env: { PATH: process.env.PATH ?? '', DATABASE_PLATFORM_URL: dbEnv.platformUrl, ADMIN_PASSWORD: password },
      timeout: 60_000,
    },
  );
  const login = await fetch(`${stack.adminApiUrl}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: owner.email, password }),
  });
  expect(login.status).toBe(200);
  return `Bearer ${((await login.json()) as { access_token: string }).access_token}`;
}

async function adminApi(authorization: string, method: string, suffix: string, body?: unknown) {
  const response = await fetch(`${stack.adminApiUrl}/v1/tenants/${tenant.customerId}${suffix}`, {
    method,
    headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Polls until `check` gives a value; gives up (with the services' logs) only when it never comes. */
async function eventually<T>(what: string, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const giveUpAt = Date.now() + 90_000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > giveUpAt) {
      const logs = stack.services.map((service) => `--- ${service.name}\n${tailOf(service, 15)}`).join('\n');
      throw new Error(`${what}: never arrived\n${logs}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it('lists a callback request in the inbox and tells staff and the CRM', async () => {
  const authorization = await signInOwner();
  const staffPhone = uniquePhone();
  const staffEmail = `front-desk-${uniqueSuffix()}@e2e.test`;
  for (const [channel, target] of [
    ['sms', staffPhone],
    ['email', staffEmail],
  ] as const) {
    expect((await adminApi(authorization, 'POST', '/notification-rules', { channel, target, events: ['callback.requested'] })).status).toBe(
      201,
    );
  }
  const webhook = await adminApi(authorization, 'POST', '/webhooks', { url: `${receiver.url}/crm/hooks`, events: ['callback.requested'] });
  expect(webhook.status).toBe(201);
  const secret = webhook.body.secret as string;

  const callerPhone = uniquePhone();
  const call = new TwilioCall({ gatewayUrl: stack.gatewayUrl, authToken: tenant.twilioAuthToken, from: callerPhone, to: tenant.number });
  await call.start();
  await call.say(CALLBACK_LINE);
  expect(await call.end('completed', 20)).toBe(204);
  const hungUpAt = Date.now();

  const item = await eventually('the inbox item', async () => {
    const inbox = await adminApi(authorization, 'GET', `/inbox?kind=callback&caller=${encodeURIComponent(callerPhone)}`);
    return (inbox.body.items as Array<Record<string, unknown>>)[0];
  });
  expect(item).toMatchObject({
    kind: 'callback',
    status: 'new',
    reason: 'Policy renewal',
    callback_time: 'after 3 pm',
    caller: { phone: callerPhone, name: 'Dana' },
    call: { call_sid: call.callSid },
  });

  const text = await eventually('the staff SMS', () =>
    stack.sms.requests.find((req) => (req.body as { to?: string } | undefined)?.to === staffPhone),
  );
  expect((text.body as { body: string }).body).toContain('Callback request from Dana');
  const mailed = await eventually('the staff email', () => mail.messages.find((message) => message.to.includes(staffEmail)));
  expect(mailed.subject).toContain('Callback request from Dana');
  const hook = await eventually('the webhook call', () =>
    receiver.requests.find((req) => req.headers['neurosphere-event'] === 'callback.requested'),
  );
  // Reported, not asserted (tests time nothing): the goal is all of them within 5 s.
  process.stdout.write(`[e2e] inbox item, staff SMS, email and webhook all arrived within ${Date.now() - hungUpAt} ms of hang-up\n`);
  const signature = hook.headers['neurosphere-signature'] as string;
  expect(verifyWebhookSignature(hook.rawBody, signature, secret)).toBe(true);
  // The same check refuses a body that was changed on the way, and another endpoint's secret.
  expect(verifyWebhookSignature(hook.rawBody.replace('Policy renewal', 'Policy cancellation'), signature, secret)).toBe(false);
  expect(verifyWebhookSignature(hook.rawBody, signature, `${secret}x`)).toBe(false);
  expect(JSON.parse(hook.rawBody)).toMatchObject({
    type: 'callback.requested',
    customer_id: tenant.customerId,
    data: { item: { id: item.id, reason: 'Policy renewal' } },
  });
});
