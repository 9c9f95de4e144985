import { CSRF_HEADER, INSECURE_SESSION_COOKIE_NAMES, SESSION_COOKIE_NAMES } from '@neurosphere/contracts';
import { createTestTenant } from '@neurosphere/db/testing';
import request from 'supertest';
import { CONSOLE_ORIGIN, createAdmin, startHarness } from './harness';
import type { Harness, TestAdmin } from './harness';
import { loginCookie, setCookies } from './session-client';

describe('the console cookie session with CSRF protection', () => {
  let harness: Harness;
  let customerId: number;
  let owner: TestAdmin;
  beforeAll(async () => {
    harness = startHarness();
    ({ customerId } = await createTestTenant(harness.platformDb));
    owner = await createAdmin(harness.platformDb, { password: true, memberships: [{ customerId, role: 'owner' }] });
  });
  afterAll(() => harness.close());

  const settingsPath = () => `/v1/tenants/${customerId}/settings`;

  it('sets httpOnly, Secure, SameSite=Strict cookies and puts no credential in the body', async () => {
    const { browser, response } = await loginCookie(harness.app, owner);
    expect(response.body).toEqual({
      success: true,
      session: 'cookie',
      csrf_token: browser.csrfToken,
      expires_in: 900,
      refresh_expires_in: 3600,
      user: owner.principal,
    });
    const cookies = Object.fromEntries(setCookies(response).map((cookie) => [cookie.name, cookie.attributes]));
    expect(Object.keys(cookies).sort()).toEqual(
      [SESSION_COOKIE_NAMES.access, SESSION_COOKIE_NAMES.csrf, SESSION_COOKIE_NAMES.refresh].sort(),
    );
    expect(cookies[SESSION_COOKIE_NAMES.access]).toMatchObject({
      httponly: true,
      secure: true,
      samesite: 'Strict',
      path: '/',
      'max-age': '900',
    });
    expect(cookies[SESSION_COOKIE_NAMES.refresh]).toMatchObject({
      httponly: true,
      secure: true,
      samesite: 'Strict',
      path: '/v1/auth',
      'max-age': '3600',
    });
    // The CSRF cookie is the one the console's scripts read.
    expect(cookies[SESSION_COOKIE_NAMES.csrf]).toMatchObject({ secure: true, samesite: 'Strict', path: '/' });
    expect(cookies[SESSION_COOKIE_NAMES.csrf]).not.toHaveProperty('httponly');
  });

  it('reads with the cookie alone, and writes only with the CSRF header from an allowed origin', async () => {
    const { browser } = await loginCookie(harness.app, owner);
    expect(
      (
        await request(harness.app)
          .get(settingsPath())
          .set(browser.headers({ csrf: false }))
      ).status,
    ).toBe(200);

    const write = (headers: Record<string, string>) =>
      request(harness.app).patch(settingsPath()).set(headers).send({ agent_name: 'Robin' });
    const missing = await write(browser.headers({ csrf: false }));
    expect(missing.status).toBe(403);
    expect(missing.body.error).toBe(
      `Missing CSRF token: send the ${SESSION_COOKIE_NAMES.csrf} cookie's value in the ${CSRF_HEADER} header`,
    );

    const foreignOrigin = await write(browser.headers({ origin: 'https://evil.example' }));
    expect(foreignOrigin.status).toBe(403);
    expect(foreignOrigin.body.error).toBe('Origin https://evil.example may not make requests with the session cookie');
    const { origin: _origin, ...noOrigin } = browser.headers();
    expect((await write(noOrigin)).status).toBe(403);

    // A token from another session (or made up) fails even when cookie and header agree.
    const { browser: other } = await loginCookie(harness.app, owner);
    const swapped: Record<string, string> = { ...browser.headers(), [CSRF_HEADER]: other.csrfToken as string };
    swapped.cookie = (swapped.cookie as string).replace(browser.csrfToken as string, encodeURIComponent(other.csrfToken as string));
    expect((await write(swapped)).body).toMatchObject({ code: 'FORBIDDEN', error: 'Invalid CSRF token' });
    expect((await write({ ...browser.headers(), [CSRF_HEADER]: `${browser.csrfToken}x` })).status).toBe(403);

    const ok = await write(browser.headers());
    expect(ok.status).toBe(200);
    expect(ok.body.settings.agent_name).toBe('Robin');
  });

  it('a bearer token needs no CSRF header (a page of another site cannot set one)', async () => {
    const login = await request(harness.app).post('/v1/auth/login').send({ email: owner.email, password: owner.password });
    const response = await request(harness.app)
      .patch(settingsPath())
      .set('authorization', `Bearer ${login.body.access_token}`)
      .set('origin', 'https://anywhere.example')
      .send({ agent_name: 'Sam' });
    expect(response.status).toBe(200);
  });

  it('refreshes with the cookie and the CSRF header, and logs out clearing the cookies', async () => {
    const { browser } = await loginCookie(harness.app, owner);
    const refreshWithout = await request(harness.app)
      .post('/v1/auth/refresh')
      .set(browser.headers({ csrf: false }));
    expect(refreshWithout.status).toBe(403);

    const oldAccess = browser.jar.get(SESSION_COOKIE_NAMES.access);
    const refreshed = await request(harness.app).post('/v1/auth/refresh').set(browser.headers());
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ session: 'cookie', csrf_token: expect.any(String) });
    expect(refreshed.body).not.toHaveProperty('refresh_token');
    browser.remember(refreshed);
    expect(browser.jar.get(SESSION_COOKIE_NAMES.access)).not.toBe(oldAccess);
    expect((await request(harness.app).get('/v1/auth/me').set(browser.headers())).status).toBe(200);

    const logout = await request(harness.app).post('/v1/auth/logout').set(browser.headers());
    expect(logout.status).toBe(200);
    const cleared = setCookies(logout).map((cookie) => [cookie.name, cookie.value]);
    expect(cleared).toEqual(
      expect.arrayContaining([
        [SESSION_COOKIE_NAMES.access, ''],
        [SESSION_COOKIE_NAMES.refresh, ''],
        [SESSION_COOKIE_NAMES.csrf, ''],
      ]),
    );
    // Even a client that kept the old cookies is out.
    expect((await request(harness.app).get('/v1/auth/me').set(browser.headers())).status).toBe(401);
  });

  it('refuses a cookie login from a foreign origin, and a bearer refresh token in the cookie path', async () => {
    const foreign = await request(harness.app)
      .post('/v1/auth/login')
      .set('origin', 'https://evil.example')
      .send({ email: owner.email, password: owner.password, session: 'cookie' });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error).toBe('Origin https://evil.example may not open a cookie session');

    const bearer = await request(harness.app).post('/v1/auth/login').send({ email: owner.email, password: owner.password });
    const asCookie = await request(harness.app)
      .post('/v1/auth/refresh')
      .set({ origin: CONSOLE_ORIGIN, cookie: `${SESSION_COOKIE_NAMES.refresh}=${bearer.body.refresh_token}` });
    expect(asCookie.status).toBe(401);
  });

  it('uses plain cookie names without Secure only when configured for local http', async () => {
    const local = startHarness({ settings: { secureCookies: false } });
    try {
      const { response } = await loginCookie(local.app, owner);
      const cookies = setCookies(response);
      expect(cookies.map((cookie) => cookie.name).sort()).toEqual(Object.values(INSECURE_SESSION_COOKIE_NAMES).sort());
      for (const cookie of cookies) {
        expect(cookie.attributes).not.toHaveProperty('secure');
        expect(cookie.attributes.samesite).toBe('Strict');
      }
    } finally {
      await local.close();
    }
  });
});
