import { createDb } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { requireTestDatabaseEnv } from '@neurosphere/db/testing';
import { uniquePhone } from '@neurosphere/testing';
import type { BrowserContext, Page } from 'playwright-core';
import { startConsoleStack } from './support/console-stack';
import type { ConsoleStack } from './support/console-stack';
import { SEEDED_USAGE_MONTH, seedAdmin, seedTenant } from './support/fixtures';
import type { SeededAdmin, SeededTenant } from './support/fixtures';
import { accessibilityProblems, collectCspViolations, signIn } from './support/page-checks';

describe('the console in Chromium, against the real admin-api', () => {
  let stack: ConsoleStack;
  let db: Db;
  let platformDb: Db;
  let tenant: SeededTenant;
  let otherTenant: SeededTenant;
  let owner: SeededAdmin;
  let viewer: SeededAdmin;
  let platformAdmin: SeededAdmin;
  let context: BrowserContext;
  let page: Page;
  let cspViolations: string[];

  beforeAll(async () => {
    const env = requireTestDatabaseEnv();
    db = createDb({ url: env.appUrl, poolMax: 2 });
    platformDb = createDb({ url: env.platformUrl, poolMax: 2 });
    tenant = await seedTenant(platformDb, db);
    otherTenant = await seedTenant(platformDb, db);
    [owner, viewer, platformAdmin] = await Promise.all([
      seedAdmin(platformDb, { memberships: [{ customerId: tenant.customerId, role: 'owner' }] }),
      seedAdmin(platformDb, { memberships: [{ customerId: tenant.customerId, role: 'viewer' }] }),
      seedAdmin(platformDb, { isPlatformAdmin: true }),
    ]);
    stack = await startConsoleStack();
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
    await Promise.all([db?.$disconnect(), platformDb?.$disconnect()]);
  });

  // Each test is one person in a fresh browser profile (no cookies carried over).
  beforeEach(async () => {
    context = await stack.browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    cspViolations = collectCspViolations(page);
  });
  afterEach(async () => {
    expect(cspViolations).toEqual([]);
    await context.close();
  });

  it('serves the app with a strict Content-Security-Policy, and the sign-in page is accessible', async () => {
    const response = await page.goto(`${stack.url}/customer/${tenant.customerId}/admin/calls`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    // Not signed in: the sign-in page, which returns to the page asked for.
    await page.waitForURL(/\/login\?next=/);
    await expect(page.getByRole('heading', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
    expect(await accessibilityProblems(page, 'login')).toEqual([]);

    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The API's own message.
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/invalid email or password/i);
  });

  it('an owner signs in, finds the call, reads its transcript and summary, and signs out', async () => {
    await signIn(page, stack.url, owner);
    await page.waitForURL(`${stack.url}/customer/${tenant.customerId}/admin/calls`);
    await page.getByRole('cell', { name: tenant.callerPhone }).waitFor();
    // The banner says "Your business" until the tenant's settings arrive: wait for the name itself.
    await page.getByRole('banner').getByText(tenant.businessName).waitFor();
    expect(await accessibilityProblems(page, 'calls')).toEqual([]);

    await page.getByRole('rowheader').getByRole('link').first().click();
    await page.waitForURL(`${stack.url}/customer/${tenant.customerId}/admin/calls/${tenant.callId}`);
    await expect(page.getByTestId('call-summary').textContent()).resolves.toBe(tenant.summary);
    await expect(page.getByRole('list').filter({ hasText: 'Can someone call me back' }).isVisible()).resolves.toBe(true);
    await expect(page.getByText('answered in 650 ms').isVisible()).resolves.toBe(true);
    expect(await accessibilityProblems(page, 'call-detail')).toEqual([]);

    await page.getByRole('link', { name: 'Callers' }).click();
    await page.getByRole('link', { name: `Pat (${tenant.callerPhone})` }).click();
    await page.getByRole('heading', { name: 'Pat' }).waitFor();
    await expect(page.getByText(tenant.summary).isVisible()).resolves.toBe(true);
    expect(await accessibilityProblems(page, 'caller-detail')).toEqual([]);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${stack.url}/login`);
    // The session is over on the server too, not only in this tab.
    const me = await page.evaluate(() => fetch('/v1/auth/me').then((response) => response.status));
    expect(me).toBe(401);
  });

  it('an expired access token is refreshed once, with the CSRF header, and the request retried', async () => {
    await signIn(page, stack.url, owner);
    await page.waitForURL(`${stack.url}/customer/${tenant.customerId}/admin/calls`);
    await page.getByRole('cell', { name: tenant.callerPhone }).waitFor();
    // The layout's settings request too, so that no answer to the calls page arrives below.
    await page.getByRole('banner').getByText(tenant.businessName).waitFor();
    const apiCalls: { request: string; status: number; csrf: boolean }[] = [];
    page.on('response', (response) => {
      const { pathname } = new URL(response.url());
      if (!pathname.startsWith('/v1/')) return;
      apiCalls.push({
        request: `${response.request().method()} ${pathname}`,
        status: response.status(),
        csrf: response.request().headers()['x-csrf-token'] !== undefined,
      });
    });
    const refreshed = { request: 'POST /v1/auth/refresh', status: 200, csrf: true };

    // What the access token's 15 minutes do: the browser drops its cookie, the refresh cookie stays.
    const callersPath = `/v1/tenants/${tenant.customerId}/callers`;
    const retried = page.waitForResponse((response) => new URL(response.url()).pathname === callersPath && response.status() === 200);
    await context.clearCookies({ name: '__Host-ns_access' });
    await page.getByRole('link', { name: 'Callers' }).click();
    await retried;
    await page.getByRole('link', { name: `Pat (${tenant.callerPhone})` }).waitFor();
    const callers = `GET ${callersPath}`;
    expect(apiCalls).toEqual([{ request: callers, status: 401, csrf: false }, refreshed, { request: callers, status: 200, csrf: false }]);

    // The same on a fresh load of the page: the session check itself is refreshed and retried.
    apiCalls.length = 0;
    await context.clearCookies({ name: '__Host-ns_access' });
    await page.reload();
    await page.getByRole('link', { name: `Pat (${tenant.callerPhone})` }).waitFor();
    expect(apiCalls.slice(0, 3)).toEqual([
      { request: 'GET /v1/auth/me', status: 401, csrf: false },
      refreshed,
      { request: 'GET /v1/auth/me', status: 200, csrf: false },
    ]);
    expect(apiCalls.slice(3).filter((call) => call.status !== 200)).toEqual([]);
  });

  it('an owner changes the greeting; it is saved through the API and applies from the next call', async () => {
    await signIn(page, stack.url, owner);
    await page.goto(`${stack.url}/customer/${tenant.customerId}/admin/settings`);
    const greeting = page.getByRole('textbox', { name: 'Greeting' });
    await greeting.waitFor();
    expect(await accessibilityProblems(page, 'settings')).toEqual([]);
    const newGreeting = `Thanks for calling ${tenant.businessName}, this is the new greeting.`;
    await greeting.fill(newGreeting);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved' }).textContent()).resolves.toContain('from the next call');

    // What the next call reads: the tenant's row, through the API as a fresh request sees it.
    const saved = await page.evaluate(
      (customerId) =>
        fetch(`/v1/tenants/${customerId}/settings`).then((response) => response.json() as Promise<{ settings: { greeting: string } }>),
      tenant.customerId,
    );
    expect(saved.settings.greeting).toBe(newGreeting);
  });

  it('an owner sees the callback request on the home page, opens it from its notification link, marks it done, and finds it under Done', async () => {
    await signIn(page, stack.url, owner);
    await page.getByRole('link', { name: 'Home' }).click();
    await page.waitForURL(`${stack.url}/customer/${tenant.customerId}/admin`);
    await page.getByTestId('inbox-new').filter({ hasText: /^1$/ }).waitFor();
    // The chart's numbers as a table: the seeded call (ten minutes ago) is in the last 14 days.
    await page.getByText('Show as a table').click();
    const perDay = page.getByRole('table', { name: /Calls per day/ });
    await expect(perDay.getByRole('row').count()).resolves.toBe(15);
    const counts = await perDay.locator('tbody td:nth-child(2)').allTextContents();
    expect(counts.reduce((sum, count) => sum + Number(count), 0)).toBe(1);
    await page.locator('.recharts-bar-rectangle').first().waitFor();
    expect(await accessibilityProblems(page, 'home')).toEqual([]);

    await page.getByRole('link', { name: 'Open the inbox' }).click();
    await page.getByRole('cell', { name: tenant.inboxReason }).waitFor();
    await page.getByRole('link', { name: 'All', exact: true }).click();
    await page.getByRole('cell', { name: tenant.inboxReason }).waitFor();
    expect(await accessibilityProblems(page, 'inbox')).toEqual([]);

    // The address staff notification texts and emails link to.
    await page.goto(`${stack.url}/customer/${tenant.customerId}/admin/inbox/${tenant.inboxItemId}`);
    await expect(page.getByTestId('inbox-reason').textContent()).resolves.toBe(tenant.inboxReason);
    await expect(page.getByRole('heading', { name: `Callback request from Pat (${tenant.callerPhone})` }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('link', { name: 'the call (transcript and summary)' }).getAttribute('href')).resolves.toBe(
      `/customer/${tenant.customerId}/admin/calls/${tenant.callId}`,
    );
    expect(await accessibilityProblems(page, 'inbox-item')).toEqual([]);

    await page.getByRole('button', { name: 'Mark done' }).click();
    await page.getByRole('button', { name: 'Reopen' }).waitFor();
    await expect(page.getByTestId('inbox-status').textContent()).resolves.toMatch(/^Done/);
    // Saved through the API: a fresh read says done too.
    const saved = await page.evaluate(
      ({ customerId, itemId }) =>
        fetch(`/v1/tenants/${customerId}/inbox/${itemId}`).then((response) => response.json() as Promise<{ item: { status: string } }>),
      { customerId: tenant.customerId, itemId: tenant.inboxItemId },
    );
    expect(saved.item.status).toBe('done');

    await page.getByRole('link', { name: 'All of the inbox' }).click();
    await page.getByRole('link', { name: 'Done', exact: true }).click();
    await page.waitForURL(/status=done$/);
    await expect(page.getByRole('row').filter({ hasText: tenant.inboxReason }).getByRole('cell').last().textContent()).resolves.toBe(
      'Done',
    );
    await page.getByRole('link', { name: 'New', exact: true }).click();
    await page.getByRole('heading', { name: 'Nothing new' }).waitFor();
    await page.getByRole('link', { name: 'Home' }).click();
    await page.getByTestId('inbox-new').filter({ hasText: /^0$/ }).waitFor();
  });

  it('an owner adds an SMS template (the API names an unknown variable) and stops texting a number, also on a phone', async () => {
    await signIn(page, stack.url, owner);
    await page.getByRole('link', { name: 'Texting' }).click();
    await page.getByRole('heading', { name: 'No texts yet' }).waitFor();
    await page.getByRole('heading', { name: 'No templates yet' }).waitFor();
    expect(await accessibilityProblems(page, 'texting-empty')).toEqual([]);

    const name = `missed-call-${Date.now().toString(36)}`;
    await page.getByLabel('Template name').fill(name);
    await page.getByRole('textbox', { name: 'Message', exact: true }).fill('Sorry we missed you, {{nickname}}.');
    await page.getByRole('button', { name: 'Add template' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('nickname');
    await page.getByRole('textbox', { name: 'Message', exact: true }).fill('Sorry we missed you, {{name}}. We will call you back.');
    await page.getByRole('button', { name: 'Add template' }).click();
    await page.getByRole('row').filter({ hasText: name }).waitFor();

    const phone = uniquePhone();
    await page.getByLabel('Number to stop texting').fill(phone);
    await page.getByRole('button', { name: 'Stop texting this number' }).click();
    await expect(page.getByRole('row').filter({ hasText: phone }).textContent()).resolves.toContain('Added by your team');

    await page.setViewportSize({ width: 390, height: 844 });
    expect(await accessibilityProblems(page, 'texting-phone')).toEqual([]);
  });

  it('an owner reads a month of usage, each meter under its name', async () => {
    await signIn(page, stack.url, owner);
    await page.goto(`${stack.url}/customer/${tenant.customerId}/admin/usage`);
    await page.getByLabel('From', { exact: true }).fill(SEEDED_USAGE_MONTH.from);
    await page.getByLabel('Until (not included)').fill(SEEDED_USAGE_MONTH.to);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByRole('rowheader', { name: 'Speech characters' }).waitFor();
    expect(await page.getByRole('row').allTextContents()).toEqual(['KindQuantity', 'Call minutes2', 'Speech characters840']);
    expect(await accessibilityProblems(page, 'usage')).toEqual([]);
  });

  it("a viewer sees no edit controls, and the API refuses a viewer's write", async () => {
    await signIn(page, stack.url, viewer);
    await page.goto(`${stack.url}/customer/${tenant.customerId}/admin/settings`);
    await page.getByRole('textbox', { name: 'Greeting' }).waitFor();
    await expect(page.getByRole('textbox', { name: 'Greeting' }).getAttribute('readonly')).resolves.not.toBeNull();
    await expect(page.getByRole('button', { name: 'Save changes' }).count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: 'Team' }).count()).resolves.toBe(0);
    expect(await accessibilityProblems(page, 'settings-viewer')).toEqual([]);

    await page.goto(`${stack.url}/customer/${tenant.customerId}/admin/texting`);
    await page.getByRole('heading', { name: 'Numbers that are not texted' }).waitFor();
    await expect(page.getByRole('form').count()).resolves.toBe(0);
    await expect(
      page
        .getByRole('button')
        .filter({ hasText: /Add template|Stop texting|Delete/ })
        .count(),
    ).resolves.toBe(0);

    await page.goto(`${stack.url}/customer/${tenant.customerId}/admin/inbox/${tenant.inboxItemId}`);
    await page.getByTestId('inbox-reason').waitFor();
    await expect(
      page
        .getByRole('button')
        .filter({ hasText: /Mark done|Reopen|I am on it|Add note/ })
        .count(),
    ).resolves.toBe(0);
    expect(await accessibilityProblems(page, 'inbox-item-viewer')).toEqual([]);

    // The same request the form would send, with the session cookie and a valid CSRF token.
    const refused = await page.evaluate(async (customerId) => {
      const csrf =
        document.cookie
          .split('; ')
          .find((cookie) => cookie.startsWith('__Host-ns_csrf='))
          ?.split('=')[1] ?? '';
      const response = await fetch(`/v1/tenants/${customerId}/settings`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf) },
        body: JSON.stringify({ greeting: 'A viewer may not change this' }),
      });
      return { status: response.status, body: (await response.json()) as { error: string } };
    }, tenant.customerId);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatch(/admin/);
  });

  it("a tenant admin who opens another tenant's address gets the not-found page, and no request returns its data", async () => {
    const otherTenantResponses: { url: string; status: number }[] = [];
    page.on('response', (response) => {
      if (response.url().includes(`/v1/tenants/${otherTenant.customerId}/`))
        otherTenantResponses.push({ url: response.url(), status: response.status() });
    });
    await signIn(page, stack.url, owner);
    await page.goto(`${stack.url}/customer/${otherTenant.customerId}/admin/calls/${otherTenant.callId}`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    expect(await accessibilityProblems(page, 'not-found')).toEqual([]);
    await expect(page.getByText(otherTenant.callerPhone).count()).resolves.toBe(0);
    // The page asked nothing of the other tenant; asking anyway is a 404, as for a tenant that does not exist.
    expect(otherTenantResponses).toEqual([]);
    const direct = await page.evaluate(
      ({ customerId, callId }) => fetch(`/v1/tenants/${customerId}/calls/${callId}`).then((response) => response.status),
      { customerId: otherTenant.customerId, callId: otherTenant.callId },
    );
    expect(direct).toBe(404);
  });

  it('an owner invites a colleague, who accepts in the browser, chooses a password and signs in', async () => {
    await signIn(page, stack.url, owner);
    await page.goto(`${stack.url}/customer/${tenant.customerId}/admin/team`);
    await page.getByRole('row').filter({ hasText: owner.email }).waitFor();
    expect(await accessibilityProblems(page, 'team')).toEqual([]);

    const email = `colleague-${Date.now().toString(36)}@console.test`;
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByRole('button', { name: 'Send invitation' }).click();
    // No mail server in this test: the owner is given the one-time link instead (nothing is lost).
    const link = (await page.getByTestId('invitation-url').textContent()) ?? '';
    expect(link).toMatch(new RegExp(`^${stack.url}/accept-invitation#token=`));
    await page.getByRole('row').filter({ hasText: email }).waitFor();

    const invitee = await stack.browser.newContext();
    try {
      const invitePage = await invitee.newPage();
      await invitePage.goto(link);
      await invitePage.getByText(`${email} is invited to ${tenant.businessName} as viewer`).waitFor();
      // The token left the address bar once read.
      expect(new URL(invitePage.url()).hash).toBe('');
      expect(await accessibilityProblems(invitePage, 'accept-invitation')).toEqual([]);
      const password = 'a long enough password';
      await invitePage.getByLabel('Choose a password').fill(password);
      await invitePage.getByRole('button', { name: 'Accept the invitation' }).click();
      await invitePage.getByRole('link', { name: 'Sign in' }).click();
      await signIn(invitePage, stack.url, { email, password });
      await invitePage.waitForURL(`${stack.url}/customer/${tenant.customerId}/admin/calls`);
    } finally {
      await invitee.close();
    }
  });

  it('a platform admin sees the tenants; a phone-sized screen still shows the navigation', async () => {
    await context.close();
    context = await stack.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    page = await context.newPage();
    cspViolations = collectCspViolations(page);
    await signIn(page, stack.url, platformAdmin);
    await page.waitForURL(`${stack.url}/platform/admin/tenants`);
    // Every tenant of the test database is listed, oldest first: this run's may be on a later page.
    await page.getByRole('rowheader').first().waitFor();
    await expect(page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Templates' }).isVisible()).resolves.toBe(
      true,
    );
    expect(await accessibilityProblems(page, 'platform-tenants-phone')).toEqual([]);
  });
});
