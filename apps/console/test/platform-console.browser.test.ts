import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createDb, withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { createFreshTestDatabase, createTestTenant } from '@neurosphere/db/testing';
import type { FreshTestDatabase } from '@neurosphere/db/testing';
import { call, publishSeedTemplate, startPlatformStack, uniquePhone } from '@neurosphere/e2e/support';
import type { PlatformStack } from '@neurosphere/e2e/support';
import { freePort, startFakeTwilio, uniqueSuffix } from '@neurosphere/testing';
import type { FakeTwilio } from '@neurosphere/testing';
import type { BrowserContext, Page } from 'playwright-core';
import { serveConsole } from './support/console-stack';
import type { ConsoleStack } from './support/console-stack';
import { seedAdmin } from './support/fixtures';
import type { SeededAdmin } from './support/fixtures';
import { accessibilityProblems, collectCspViolations, signIn } from './support/page-checks';

// The platform console against the whole platform: the real gateway, orchestrator, memory and
// admin-api as processes (e2e's platform stack) on a fresh database, Twilio, OpenAI and
// ElevenLabs as fake servers on 127.0.0.1. The platform has one admin and the seed's insurance
// template, as after its first day; nothing else (so "the last platform admin" is this one).

const repoRoot = path.resolve(__dirname, '..', '..', '..');

let fresh: FreshTestDatabase;
let fakeTwilio: FakeTwilio;
let platform: PlatformStack;
let consoleApp: ConsoleStack;
let platformDb: Db;
let appDb: Db;
let admin: SeededAdmin;
let context: BrowserContext;
let page: Page;
let cspViolations: string[];

beforeAll(async () => {
  fresh = await createFreshTestDatabase('db_console_platform');
  fakeTwilio = await startFakeTwilio();
  const platformAccount = fakeTwilio.addAccount({ friendlyName: 'NeuroSphere platform' });
  const consolePort = await freePort();
  platform = await startPlatformStack({
    openai: () => ({ content: 'Certainly, I can help with that.' }),
    database: fresh.env,
    twilio: fakeTwilio,
    platformTwilioAccount: { accountSid: platformAccount.sid, authToken: platformAccount.authToken },
    adminApiEnv: { NODE_ENV: 'test', CONSOLE_URL: `http://localhost:${consolePort}`, ADMIN_TRUST_PROXY_HOPS: '1' },
    // Each service meets its first request cold; this test is not about the gateway's timeouts.
    gatewayEnv: { ORCHESTRATOR_TIMEOUT_MS: '30000' },
    // Five apps compile their sources at once, beside the console's build: slow on a busy 2-core machine.
    readyTimeoutMs: 240_000,
  });
  consoleApp = await serveConsole({ port: consolePort, adminApiUrl: platform.adminApiUrl! });
  platformDb = createDb({ url: fresh.env.platformUrl, poolMax: 2 });
  appDb = createDb({ url: fresh.env.appUrl, poolMax: 2 });
  admin = await seedAdmin(platformDb, { isPlatformAdmin: true });
  const session = (await call(platform.adminApiUrl!, 'POST', '/v1/auth/login', { email: admin.email, password: admin.password })) as {
    access_token: string;
  };
  await publishSeedTemplate(platform.adminApiUrl!, `Bearer ${session.access_token}`, 'insurance.v1.json', 'insurance');
}, 480_000);

afterAll(async () => {
  await consoleApp?.stop();
  await platform?.stop();
  await Promise.all([platformDb?.$disconnect(), appDb?.$disconnect()]);
  await fresh?.drop();
});

beforeEach(async () => {
  context = await consoleApp.browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  cspViolations = collectCspViolations(page);
});
afterEach(async () => {
  expect(cspViolations).toEqual([]);
  await context.close();
});

it('the onboarding wizard creates a tenant whose new number answers a simulated call', async () => {
  const businessName = `Harbor Insurance ${uniqueSuffix()}`;
  const greeting = `Thank you for calling ${businessName}, this is Robin. How can I help you today?`;
  await signIn(page, consoleApp.url, admin);
  await page.waitForURL(`${consoleApp.url}/platform/admin/tenants`);
  await page.getByRole('link', { name: 'Onboard a business' }).first().click();

  await page.getByRole('textbox', { name: 'Business name' }).fill(businessName);
  expect(await accessibilityProblems(page, 'platform-onboarding-business')).toEqual([]);
  await page.getByRole('button', { name: 'Next' }).click();
  await page
    .getByRole('radiogroup', { name: 'Template' })
    .getByText(/insurance v1/)
    .click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('textbox', { name: 'Agent name' }).fill('Robin');
  await page.getByRole('textbox', { name: 'Greeting' }).fill(greeting);
  await page.getByRole('textbox', { name: 'Voice ID (optional)' }).fill('voice-harbor');
  await page.getByRole('button', { name: 'Next' }).click();
  // Not three digits: the API's own message, and nothing is bought.
  await page.getByRole('textbox', { name: 'Area code (optional)' }).fill('21');
  expect(await accessibilityProblems(page, 'platform-onboarding-number')).toEqual([]);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('textbox', { name: "Owner's email" }).fill(`owner-${uniqueSuffix()}@harbor.example`);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('heading', { name: 'Review and go live' }).waitFor();
  expect(await accessibilityProblems(page, 'platform-onboarding-review')).toEqual([]);
  await page.getByRole('button', { name: 'Bring it live' }).click();
  await expect(page.getByRole('alert').textContent()).resolves.toMatch(/area_code must be three digits/);
  expect(fakeTwilio.incomingNumbers().length).toBe(0);

  await page.getByRole('button', { name: 'Back' }).click();
  await page.getByRole('button', { name: 'Back' }).click();
  await page.getByRole('textbox', { name: 'Area code (optional)' }).fill('212');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Try again' }).click();
  await page.getByRole('heading', { name: `${businessName} is live` }).waitFor({ timeout: 60_000 });
  expect(await accessibilityProblems(page, 'platform-onboarded')).toEqual([]);
  const number = (await page.getByTestId('onboarded-number').textContent()) ?? '';
  const accountSid = (await page.getByTestId('onboarded-account-sid').textContent()) ?? '';
  expect(number).toMatch(/^\+1212\d{7}$/);
  await expect(page.getByTestId('owner-invitation-url').textContent()).resolves.toMatch(
    new RegExp(`^${consoleApp.url}/accept-invitation#token=`),
  );
  await page.getByRole('row').filter({ hasText: number }).filter({ hasText: 'Point here' }).waitFor();

  // The number was bought into the tenant's new sub-account, its webhooks pointing at the gateway.
  const subaccount = fakeTwilio.account(accountSid);
  expect(subaccount?.ownerAccountSid).toBeDefined();
  expect(fakeTwilio.incomingNumbers(accountSid)).toEqual([
    expect.objectContaining({ phoneNumber: number, voiceUrl: `${platform.gatewayUrl}/call/incoming` }),
  ]);

  // A call to it, played by the call simulator (the CLI the page shows), signed for the sub-account.
  const scriptDir = mkdtempSync(path.join(tmpdir(), 'console-call-'));
  try {
    const script = path.join(scriptDir, 'call.txt');
    writeFileSync(script, 'Hello, is this the insurance agency?\n(hangup)\n');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--conditions=development',
        '--import',
        'tsx',
        'src/cli/call-simulator.ts',
        '--to',
        number,
        '--from',
        uniquePhone(),
        '--script',
        script,
      ],
      {
        cwd: path.join(repoRoot, 'apps', 'gateway'),
        env: {
          PATH: process.env.PATH ?? '',
          GATEWAY_URL: platform.gatewayUrl,
          PUBLIC_BASE_URL: platform.gatewayUrl,
          TWILIO_AUTH_TOKEN: subaccount!.authToken,
        },
        timeout: 90_000,
      },
    );
    const lines = stdout.trim().split('\n');
    const firstWords = lines.find((line) => line.startsWith('agent: '));
    expect(firstWords).toContain(businessName);
    expect(lines).toContain('call ended by caller');
    expect(lines[lines.length - 1]).toMatch(/^status callback sent: completed, \d+ s \(gateway answered 204\)$/);
  } finally {
    rmSync(scriptDir, { recursive: true, force: true });
  }
  expect(
    platform.elevenLabs.ttsRequests().some((request) => request.voiceId === 'voice-harbor' && request.text.includes(businessName)),
  ).toBe(true);

  // The tenants page shows it with its health.
  await page.getByRole('link', { name: 'Tenants' }).click();
  const row = page.getByRole('row').filter({ hasText: businessName });
  await row.filter({ hasText: 'webhooks OK' }).waitFor();
  expect(await accessibilityProblems(page, 'platform-tenants')).toEqual([]);
}, 240_000);

it('the platform audit log filters by action and tenant', async () => {
  await signIn(page, consoleApp.url, admin);
  await page.goto(`${consoleApp.url}/platform/admin/audit-log`);
  await page.getByRole('textbox', { name: 'Action' }).fill('template.publish');
  await page.getByRole('button', { name: 'Filter', exact: true }).click();
  await page.getByRole('cell', { name: 'template.publish' }).first().waitFor();
  expect(new Set(await page.getByRole('cell', { name: /^template\./ }).allTextContents())).toEqual(new Set(['template.publish']));
  expect(await accessibilityProblems(page, 'platform-audit-log')).toEqual([]);

  // A tenant that did nothing: the empty page says what to do.
  await page.getByRole('textbox', { name: 'Tenant' }).fill('999999');
  await page.getByRole('button', { name: 'Filter', exact: true }).click();
  await page.getByRole('heading', { name: 'Nothing matches these filters' }).waitFor();
});

it('platform admins add and remove each other; the last one cannot be removed, in the API’s words', async () => {
  await signIn(page, consoleApp.url, admin);
  await page.goto(`${consoleApp.url}/platform/admin/admins`);
  await page
    .getByRole('row')
    .filter({ hasText: `${admin.email} (you)` })
    .waitFor();
  const colleague = `colleague-${uniqueSuffix()}@platform.example`;
  await page.getByRole('textbox', { name: 'Email' }).fill(colleague);
  await page.getByRole('button', { name: 'Add admin' }).click();
  await expect(page.getByTestId('set-password-url').textContent()).resolves.toMatch(new RegExp(`^${consoleApp.url}/reset-password#token=`));
  await page.getByRole('row').filter({ hasText: colleague }).waitFor();
  expect(await accessibilityProblems(page, 'platform-admins')).toEqual([]);

  await page.getByRole('button', { name: `Remove ${colleague}` }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('row').filter({ hasText: colleague }).waitFor({ state: 'detached' });

  await page.getByRole('button', { name: `Remove ${admin.email}` }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByRole('alert').textContent()).resolves.toBe(
    `${admin.email} is the last platform admin and cannot be removed: add another one first`,
  );
});

it('platform usage shows a period per business and meter, exports it as CSV, and works on a phone-sized screen', async () => {
  const { customerId, customer } = await createTestTenant(platformDb);
  await withTenant(appDb, customerId, (tx) =>
    tx.usageRecord.create({ data: { customerId, kind: 'call_minutes', quantity: 7, occurredAt: new Date('2026-01-15T10:00:00Z') } }),
  );
  await context.close();
  context = await consoleApp.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  page = await context.newPage();
  cspViolations = collectCspViolations(page);
  await signIn(page, consoleApp.url, admin);
  await page.goto(`${consoleApp.url}/platform/admin/usage`);
  await page.getByLabel('From', { exact: true }).fill('2025-01-01');
  await page.getByLabel('Until (not included)').fill('2025-02-01');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.getByRole('heading', { name: 'No usage in this period' }).waitFor();

  await page.getByLabel('From', { exact: true }).fill('2026-01-01');
  await page.getByLabel('Until (not included)').fill('2026-02-01');
  await page.getByRole('button', { name: 'Show' }).click();
  const row = page.getByRole('row').filter({ hasText: `${customer.businessName} #${customerId}` });
  await row.waitFor();
  expect(await row.getByRole('cell').allTextContents()).toEqual(['Call minutes', '7', '1']);
  expect(await accessibilityProblems(page, 'platform-usage-phone')).toEqual([]);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const csv = readFileSync((await (await download).path())!, 'utf8');
  expect(csv.split(/\r?\n/)).toContain(`${customerId},${customer.businessName},call_minutes,7,1`);
});
