import { withPlatform } from '@neurosphere/db';
import { createTestTenant } from '@neurosphere/db/testing';
import { freePort, startMailCatcher } from '@neurosphere/testing';
import type { MailCatcher } from '@neurosphere/testing';
import { Redis } from 'ioredis';
import request from 'supertest';
import { buildApp } from '../src/app';
import { endSessions } from '../src/domain/sessions/end-sessions';
import { createSessionRevocations } from '../src/domain/sessions/session-revocations';
import { createAdmin, startHarness, platformRead } from './harness';
import type { Harness } from './harness';
import { loginBearer } from './session-client';

const ENDED = { success: false, code: 'UNAUTHENTICATED', error: 'This session has ended: sign in again' };
const INVALID_REFRESH = { success: false, code: 'UNAUTHENTICATED', error: 'Invalid or expired refresh token: sign in again' };

describe('bearer sessions: refresh, logout, passwords', () => {
  let harness: Harness;
  let mail: MailCatcher;
  beforeAll(async () => {
    mail = await startMailCatcher();
    harness = startHarness({ smtpUrl: mail.smtpUrl });
  });
  afterAll(async () => {
    await harness.close();
    await mail.close();
  });

  const me = (accessToken: string) => request(harness.app).get('/v1/auth/me').set('authorization', `Bearer ${accessToken}`);
  const refresh = (refreshToken: string) => request(harness.app).post('/v1/auth/refresh').send({ refresh_token: refreshToken });

  it('rotates the refresh token, and re-reads memberships and the platform flag at each refresh', async () => {
    const { customerId } = await createTestTenant(harness.platformDb);
    const admin = await createAdmin(harness.platformDb, { password: true, memberships: [{ customerId, role: 'admin' }] });
    const login = await loginBearer(harness.app, admin);
    expect(login.user.id).toBe(admin.principal.id);

    await withPlatform(harness.platformDb, { actor: 'test', action: 'test.change_rights' }, async (tx) => {
      await tx.membership.deleteMany({ where: { customerId, adminUserId: admin.principal.id } });
      await tx.adminUser.update({ where: { id: admin.principal.id }, data: { isPlatformAdmin: true } });
    });
    // The access token still carries what was true at login...
    expect((await me(login.access_token)).body.user).toMatchObject({
      is_platform_admin: false,
      memberships: [{ customer_id: customerId, role: 'admin' }],
    });

    const refreshed = await refresh(login.refresh_token);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ session: 'bearer', token_type: 'Bearer', expires_in: 900 });
    expect(refreshed.body.refresh_token).not.toBe(login.refresh_token);
    // ...the refreshed one what is true now.
    expect(refreshed.body.user).toMatchObject({ is_platform_admin: true, memberships: [] });
    expect(
      (await request(harness.app).get(`/v1/tenants/${customerId}/settings`).set('authorization', `Bearer ${refreshed.body.access_token}`))
        .status,
    ).toBe(404);

    const again = await refresh(refreshed.body.refresh_token);
    expect(again.status).toBe(200);
  });

  it('ends the whole session when an already-used refresh token comes back, and audits it', async () => {
    const admin = await createAdmin(harness.platformDb, { password: true });
    const login = await loginBearer(harness.app, admin);
    const first = await refresh(login.refresh_token);
    expect(first.status).toBe(200);

    const replay = await refresh(login.refresh_token);
    expect(replay.status).toBe(401);
    expect(replay.body).toEqual({
      success: false,
      code: 'UNAUTHENTICATED',
      error: 'This refresh token was already used: the session has been ended, sign in again',
    });
    // The token the legitimate holder got from the first refresh is dead too, and so is its access token.
    expect((await refresh(first.body.refresh_token)).body).toEqual(INVALID_REFRESH);
    expect((await me(first.body.access_token)).body).toEqual(ENDED);

    const audit = await platformRead(harness.platformDb, (tx) =>
      tx.platformAuditLog.findMany({ where: { action: 'admin.session.refresh_token_reused', actor: `admin:${admin.principal.id}` } }),
    );
    expect(audit).toHaveLength(1);
    const session = await platformRead(harness.platformDb, (tx) =>
      tx.adminSession.findFirstOrThrow({ where: { adminUserId: admin.principal.id } }),
    );
    expect(session.revokedReason).toBe('refresh_token_reused');
  });

  it('refuses forged, malformed and missing refresh tokens without changing anything', async () => {
    const admin = await createAdmin(harness.platformDb, { password: true });
    const login = await loginBearer(harness.app, admin);
    const [kind, id] = login.refresh_token.split('_');
    const forged = `${kind}_${id}_${'A'.repeat(43)}`;
    expect((await refresh(forged)).body).toEqual(INVALID_REFRESH);
    expect((await refresh('not-a-token')).body).toEqual(INVALID_REFRESH);
    const none = await request(harness.app).post('/v1/auth/refresh').send({});
    expect(none.status).toBe(401);
    expect(none.body.error).toBe('No refresh token: send refresh_token in the body, or the refresh cookie');
    // The forged attempt did not burn the real token.
    expect((await refresh(login.refresh_token)).status).toBe(200);
  });

  it('logout ends this session at once (access and refresh token); logout-all ends every session', async () => {
    const admin = await createAdmin(harness.platformDb, { password: true });
    const phone = await loginBearer(harness.app, admin);
    const laptop = await loginBearer(harness.app, admin);
    const tablet = await loginBearer(harness.app, admin);

    const logout = await request(harness.app).post('/v1/auth/logout').set('authorization', `Bearer ${phone.access_token}`);
    expect(logout.status).toBe(200);
    expect((await me(phone.access_token)).body).toEqual(ENDED);
    expect((await refresh(phone.refresh_token)).body).toEqual(INVALID_REFRESH);
    expect((await me(laptop.access_token)).status).toBe(200);

    const everywhere = await request(harness.app).post('/v1/auth/logout-all').set('authorization', `Bearer ${laptop.access_token}`);
    expect(everywhere.body).toEqual({ success: true, sessions_ended: 2 });
    for (const session of [laptop, tablet]) {
      expect((await me(session.access_token)).body).toEqual(ENDED);
      expect((await refresh(session.refresh_token)).body).toEqual(INVALID_REFRESH);
    }
    const actions = await platformRead(harness.platformDb, (tx) =>
      tx.platformAuditLog.findMany({
        where: { actor: `admin:${admin.principal.id}`, action: { in: ['admin.logout', 'admin.logout_all'] } },
      }),
    );
    expect(actions.map((row) => row.action).sort()).toEqual(['admin.logout', 'admin.logout_all']);
  });

  /** A Redis nobody listens for; without an offline queue its commands fail at once. */
  async function unreachableRedis(): Promise<Redis> {
    const redis = new Redis(`redis://127.0.0.1:${await freePort()}`, {
      lazyConnect: true,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    redis.on('error', () => undefined);
    return redis;
  }

  it('fails closed when the list of ended sessions cannot be read: 503, no access token taken on trust', async () => {
    const admin = await createAdmin(harness.platformDb, { password: true });
    const session = await loginBearer(harness.app, admin);
    const deadRedis = await unreachableRedis();
    try {
      const response = await request(buildApp({ ...harness.appDeps, redis: deadRedis }))
        .get('/v1/auth/me')
        .set('authorization', `Bearer ${session.access_token}`);
      expect(response.status).toBe(503);
      expect(response.body).toEqual({
        success: false,
        code: 'UNAVAILABLE',
        error: 'Sessions cannot be checked right now; try again shortly',
      });
    } finally {
      deadRedis.disconnect();
    }
  });

  it('ends nothing when Redis cannot list the session as ended, so logging out again still works', async () => {
    const admin = await createAdmin(harness.platformDb, { password: true });
    const session = await loginBearer(harness.app, admin);
    const { sessionId } = await harness.tokens.verify(session.access_token);
    const deadRedis = await unreachableRedis();
    try {
      const ending = endSessions(
        { platformDb: harness.platformDb, revocations: createSessionRevocations(deadRedis) },
        {
          actor: `admin:${admin.principal.id}`,
          action: 'admin.logout',
          adminUserId: admin.principal.id,
          sessionIds: [sessionId],
          reason: 'logout',
        },
      );
      await expect(ending).rejects.toThrow();
    } finally {
      deadRedis.disconnect();
    }
    const row = await platformRead(harness.platformDb, (tx) => tx.adminSession.findUniqueOrThrow({ where: { id: sessionId } }));
    expect(row.revokedAt).toBeNull();
    expect((await me(session.access_token)).status).toBe(200);

    expect((await request(harness.app).post('/v1/auth/logout').set('authorization', `Bearer ${session.access_token}`)).status).toBe(200);
    expect((await me(session.access_token)).body).toEqual(ENDED);
    expect((await refresh(session.refresh_token)).body).toEqual(INVALID_REFRESH);
  });

  it('changes a password only with the current one, and ends every other session', async () => {
    const admin = await createAdmin(harness.platformDb, { password: true });
    const here = await loginBearer(harness.app, admin);
    const elsewhere = await loginBearer(harness.app, admin);
    const change = (body: object) =>
      request(harness.app).post('/v1/auth/password').set('authorization', `Bearer ${here.access_token}`).send(body);

    const wrong = await change({ current_password: 'not-my-password', new_password: 'a-brand-new-password' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.details).toEqual([{ path: 'body.current_password', message: 'current_password is not your current password' }]);
    const short = await change({ current_password: admin.password, new_password: 'short' });
    expect(short.body.details).toEqual([{ path: 'body.new_password', message: 'password must be at least 12 characters' }]);

    const changed = await change({ current_password: admin.password, new_password: 'a-brand-new-password' });
    expect(changed.body).toEqual({ success: true, other_sessions_ended: 1 });
    expect((await me(here.access_token)).status).toBe(200);
    expect((await me(elsewhere.access_token)).body).toEqual(ENDED);
    expect((await request(harness.app).post('/v1/auth/login').send({ email: admin.email, password: admin.password })).status).toBe(401);
    expect((await request(harness.app).post('/v1/auth/login').send({ email: admin.email, password: 'a-brand-new-password' })).status).toBe(
      200,
    );
  });

  it('resets a password by a one-time mailed link, answering unknown emails the same way', async () => {
    const admin = await createAdmin(harness.platformDb, { password: true });
    const before = await loginBearer(harness.app, admin);
    const unknown = `nobody-${admin.principal.id}@test.example`;

    const known = await request(harness.app).post('/v1/auth/password-reset').send({ email: admin.email.toUpperCase() });
    const stranger = await request(harness.app).post('/v1/auth/password-reset').send({ email: unknown });
    expect(known.status).toBe(202);
    expect(stranger.status).toBe(202);
    expect(stranger.body).toEqual(known.body);

    const mailed = await mail.waitForMail((candidate) => candidate.to.includes(admin.email));
    expect(mailed.subject).toBe('Reset your password');
    const [link] = mailed.links;
    expect(link).toMatch(/^http:\/\/console\.test\/reset-password#token=nsp_/);
    const token = decodeURIComponent(new URL(link as string).hash.slice('#token='.length));

    // The unknown email was looked up (audited) and got no mail.
    await waitFor(
      async () =>
        (await platformRead(harness.platformDb, (tx) =>
          tx.platformAuditLog.count({ where: { action: 'admin.password_reset.request', details: { path: ['email'], equals: unknown } } }),
        )) === 1,
    );
    expect(mail.messages.filter((candidate) => candidate.to.includes(unknown))).toEqual([]);

    const confirm = (body: object) => request(harness.app).post('/v1/auth/password-reset/confirm').send(body);
    expect((await confirm({ token, password: 'short' })).body.details).toEqual([
      { path: 'body.password', message: 'password must be at least 12 characters' },
    ]);
    expect((await confirm({ token, password: 'reset-to-this-password' })).body).toEqual({ success: true });
    const reused = await confirm({ token, password: 'and-again-this-password' });
    expect(reused.status).toBe(400);
    expect(reused.body.details).toEqual([
      { path: 'body.token', message: 'This reset link is invalid, was already used or has expired: ask for a new one' },
    ]);

    expect((await me(before.access_token)).body).toEqual(ENDED);
    expect(
      (await request(harness.app).post('/v1/auth/login').send({ email: admin.email, password: 'reset-to-this-password' })).status,
    ).toBe(200);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
