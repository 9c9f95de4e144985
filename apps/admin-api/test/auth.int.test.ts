import { createTestTenant } from '@neurosphere/db/testing';
import { randomUUID } from 'node:crypto';
import { useHarness } from '@neurosphere/testing';
import request from 'supertest';
import { createAdminTokens } from '../src/domain/auth/admin-token';
import { setAdminPassword } from '../src/domain/admin-users/set-admin-password';
import { createAdmin, startHarness, platformRead } from './harness';

const INVALID_CREDENTIALS = { success: false, error: 'Invalid email or password', code: 'UNAUTHENTICATED' };

describe('POST /v1/auth/login', () => {
  const harness = useHarness(startHarness);

  it('returns a 15-minute token carrying the user, platform flag and memberships, and audits it', async () => {
    const { customerId } = await createTestTenant(harness.platformDb);
    const admin = await createAdmin(harness.platformDb, { password: true, memberships: [{ customerId, role: 'admin' }] });

    const response = await request(harness.app).post('/v1/auth/login').send({ email: admin.email.toUpperCase(), password: admin.password });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      success: true,
      session: 'bearer',
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 900,
      refresh_token: expect.stringMatching(/^nsr_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/),
      refresh_expires_in: 3600,
      user: {
        id: admin.principal.id,
        email: admin.email,
        is_platform_admin: false,
        memberships: [{ customer_id: customerId, role: 'admin' }],
      },
    });
    expect(JSON.stringify(response.body)).not.toContain('argon2');

    const me = await request(harness.app).get('/v1/auth/me').set('authorization', `Bearer ${response.body.access_token}`);
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(admin.principal.id);

    const { audit, user } = await platformRead(harness.platformDb, async (tx) => ({
      audit: await tx.platformAuditLog.findMany({ where: { actor: `admin:${admin.principal.id}` }, select: { action: true } }),
      user: await tx.adminUser.findUniqueOrThrow({ where: { id: admin.principal.id } }),
    }));
    expect(audit.map((row) => row.action)).toContain('admin.login.succeeded');
    expect(user.lastLoginAt).not.toBeNull();
  });

  it('answers a wrong password, an unknown email and a user without a password with the same 401', async () => {
    const admin = await createAdmin(harness.platformDb, { password: true });
    const noPassword = await createAdmin(harness.platformDb);

    const wrongPassword = await request(harness.app)
      .post('/v1/auth/login')
      .send({ email: admin.email, password: `${admin.password}x` });
    const unknownEmail = await request(harness.app)
      .post('/v1/auth/login')
      .send({ email: `nobody-${admin.principal.id}@test.example`, password: admin.password });
    const passwordNotSet = await request(harness.app).post('/v1/auth/login').send({ email: noPassword.email, password: 'anything-at-all' });

    for (const response of [wrongPassword, unknownEmail, passwordNotSet]) {
      expect(response.status).toBe(401);
      expect(response.body).toEqual(INVALID_CREDENTIALS);
    }
    const failures = await platformRead(harness.platformDb, (tx) =>
      tx.platformAuditLog.count({ where: { action: 'admin.login.failed', details: { path: ['email'], equals: admin.email } } }),
    );
    expect(failures).toBe(1);
  });

  it('names the missing field of a malformed login', async () => {
    const response = await request(harness.app).post('/v1/auth/login').send({ email: 'not-an-email' });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ success: false, code: 'VALIDATION_FAILED' });
    expect(response.body.details).toEqual(
      expect.arrayContaining([
        { path: 'body.email', message: 'email must be an email address' },
        { path: 'body.password', message: 'password is required' },
      ]),
    );
  });

  it('refuses missing, forged and foreign-secret tokens with 401', async () => {
    const admin = await createAdmin(harness.platformDb, { isPlatformAdmin: true });
    const foreign = await createAdminTokens('another-secret-that-is-long-enough!!').sign(admin.principal, randomUUID());
    const genuine = await harness.tokens.sign(admin.principal, randomUUID());
    const [header, , signature] = genuine.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ sub: admin.principal.id, is_platform_admin: true })).toString('base64url');

    const cases: [string | undefined, string][] = [
      [undefined, 'Not signed in: send an access token, an API key or the session cookie'],
      [`Bearer ${foreign}`, 'Invalid access token'],
      [`Bearer ${header}.${forgedPayload}.${signature}`, 'Invalid access token'],
    ];
    for (const [authorization, error] of cases) {
      const call = request(harness.app).get('/v1/platform/tenants');
      const response = await (authorization ? call.set('authorization', authorization) : call);
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ success: false, error, code: 'UNAUTHENTICATED' });
    }
  });

  it('lets a seeded admin log in once the set-password command ran (audited)', async () => {
    const seeded = await createAdmin(harness.platformDb);
    const password = 'a-long-enough-password';

    await expect(
      setAdminPassword({ platformDb: harness.platformDb, actor: 'cli:test', email: seeded.email, password: 'short' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: 'password', message: 'password must be at least 12 characters' }],
    });
    await expect(
      setAdminPassword({ platformDb: harness.platformDb, actor: 'cli:test', email: `missing-${seeded.email}`, password }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await setAdminPassword({ platformDb: harness.platformDb, actor: 'cli:test', email: seeded.email, password });

    const response = await request(harness.app).post('/v1/auth/login').send({ email: seeded.email, password });
    expect(response.status).toBe(200);
    const audit = await platformRead(harness.platformDb, (tx) =>
      tx.platformAuditLog.findMany({ where: { action: 'admin_user.set_password', details: { path: ['email'], equals: seeded.email } } }),
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor).toBe('cli:test');
  });
});
