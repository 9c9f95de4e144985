import { createFreshTestDatabase } from '@neurosphere/db/testing';
import type { FreshTestDatabase } from '@neurosphere/db/testing';
import request from 'supertest';
import { startHarness, platformRead, runCommand } from './harness';
import type { Harness } from './harness';

// The first platform admin on a platform nobody has used yet (its own fresh database), made with
// the command exactly as docs/CUSTOMER_ONBOARDING_GUIDE.md shows it; then platform admins add and
// remove each other, and the last one cannot be removed.

const FIRST_ADMIN_COMMAND = 'pnpm --filter @neurosphere/admin-api create-platform-admin -- --email ops@example.com';
const PASSWORD = 'a-long-first-admin-password';

let fresh: FreshTestDatabase;
let harness: Harness;
let created: { code: number; stdout: string; stderr: string };

beforeAll(async () => {
  fresh = await createFreshTestDatabase('db_first_admin');
  harness = startHarness({ database: fresh.env });
  created = await runCommand(FIRST_ADMIN_COMMAND, { DATABASE_PLATFORM_URL: fresh.env.platformUrl });
}, 120_000);
afterAll(async () => {
  await harness?.close();
  await fresh?.drop();
});

const tokenFrom = (stdout: string) => stdout.split('\n').find((line) => line.startsWith('nsp_')) ?? '';
const login = (email: string, password: string) => request(harness.app).post('/v1/auth/login').send({ email, password });

describe('the first platform admin', () => {
  it('is created by the command on an empty platform, with a one-time set-password token', async () => {
    expect(created).toMatchObject({ code: 0 });
    expect(created.stdout).toMatch(/^platform admin ops@example\.com created \([0-9a-f-]{36}\)$/m);
    expect(tokenFrom(created.stdout)).toMatch(/^nsp_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    const audit = await platformRead(harness.platformDb, (tx) =>
      tx.platformAuditLog.findMany({ where: { action: 'platform_admin.create_first' } }),
    );
    expect(audit).toEqual([
      expect.objectContaining({ actor: expect.stringMatching(/^cli:/) as unknown, details: { email: 'ops@example.com' } }),
    ]);
    // Only the token's hash is stored.
    const resets = await platformRead(harness.platformDb, (tx) => tx.adminPasswordReset.findMany());
    // The secret is everything after the second underscore (base64url: it may hold underscores itself).
    const secret = tokenFrom(created.stdout).split('_').slice(2).join('_');
    expect(secret).toHaveLength(43);
    expect(JSON.stringify(resets)).not.toContain(secret);
  });

  it('sets a password once with the token, then logs in as a platform admin', async () => {
    const token = tokenFrom(created.stdout);
    const set = await request(harness.app).post('/v1/auth/password-reset/confirm').send({ token, password: PASSWORD });
    expect(set.status).toBe(200);
    const again = await request(harness.app).post('/v1/auth/password-reset/confirm').send({ token, password: 'another-long-password' });
    expect(again.status).toBe(400);
    expect(again.body.details).toEqual([
      { path: 'body.token', message: 'This reset link is invalid, was already used or has expired: ask for a new one' },
    ]);
    const session = await login('ops@example.com', PASSWORD);
    expect(session.status).toBe(200);
    expect(session.body.user).toMatchObject({ email: 'ops@example.com', is_platform_admin: true });
  });

  it('is refused a second time: platform admins add each other from then on', async () => {
    const second = await runCommand('pnpm --filter @neurosphere/admin-api create-platform-admin -- --email second@example.com', {
      DATABASE_PLATFORM_URL: fresh.env.platformUrl,
    });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(
      'CONFLICT: The platform has 1 platform admin(s) already: they add others with POST /v1/platform/admins',
    );
  }, 120_000);
});

describe('platform admins add and remove platform admins', () => {
  it('adds one (with a set-password token), lists both, removes one, and never the last', async () => {
    const first = await login('ops@example.com', PASSWORD);
    const asFirst = `Bearer ${first.body.access_token as string}`;

    const added = await request(harness.app)
      .post('/v1/platform/admins')
      .set('authorization', asFirst)
      .send({ email: 'Second@Example.com' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      admin: { email: 'second@example.com', has_password: false },
      set_password_token: expect.stringMatching(/^nsp_/) as unknown,
    });
    const again = await request(harness.app)
      .post('/v1/platform/admins')
      .set('authorization', asFirst)
      .send({ email: 'second@example.com' });
    expect(again.status).toBe(409);

    const listed = await request(harness.app).get('/v1/platform/admins').set('authorization', asFirst);
    expect(listed.body.admins.map((admin: { email: string }) => admin.email)).toEqual(['ops@example.com', 'second@example.com']);

    const removed = await request(harness.app)
      .delete(`/v1/platform/admins/${added.body.admin.id as string}`)
      .set('authorization', asFirst);
    expect(removed.status).toBe(200);
    const last = await request(harness.app)
      .delete(`/v1/platform/admins/${first.body.user.id as string}`)
      .set('authorization', asFirst);
    expect(last.status).toBe(409);
    expect(last.body).toEqual({
      success: false,
      code: 'CONFLICT',
      error: 'ops@example.com is the last platform admin and cannot be removed: add another one first',
    });

    const audit = await platformRead(harness.platformDb, (tx) =>
      tx.platformAuditLog.findMany({
        where: { action: { in: ['platform_admin.add', 'platform_admin.remove'] } },
        orderBy: { createdAt: 'asc' },
      }),
    );
    // Refused attempts change nothing, and their audit rows roll back with them.
    expect(audit.map((row) => row.action)).toEqual(['platform_admin.add', 'platform_admin.remove']);
  });
});
