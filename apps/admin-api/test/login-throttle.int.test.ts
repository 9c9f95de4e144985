import request from 'supertest';
import { createAdmin, startHarness, platformRead } from './harness';
import type { Harness } from './harness';

/**
 * Login throttling against the real Redis. The thresholds are the defaults documented in env.ts
 * (5 failures per account, 15-minute window); only the lockout is shortened, so the test can see
 * it end without a long sleep. X-Forwarded-For (one trusted proxy) gives attempts distinct source
 * addresses.
 */
const LOCKOUT_SECONDS = 2;
const ACCOUNT_LIMIT = 5;

describe('login throttling and lockout', () => {
  let harness: Harness;
  beforeAll(() => {
    harness = startHarness({
      trustProxyHops: 1,
      loginThrottle: { maxFailuresPerAccount: ACCOUNT_LIMIT, maxFailuresPerAddress: 50, lockoutSeconds: LOCKOUT_SECONDS },
    });
  });
  afterAll(() => harness.close());

  const login = (email: string, password: string, address = '198.51.100.7') =>
    request(harness.app).post('/v1/auth/login').set('x-forwarded-for', address).send({ email, password });

  it('answers 429 with Retry-After after the threshold, refuses the right password until the lockout ends, and leaves other accounts alone', async () => {
    const victim = await createAdmin(harness.platformDb, { password: true });
    const bystander = await createAdmin(harness.platformDb, { password: true });

    const statuses: number[] = [];
    let lastLocked: request.Response | undefined;
    for (let attempt = 1; attempt <= 30; attempt++) {
      const response = await login(victim.email, `wrong-${attempt}`, `203.0.113.${attempt}`);
      statuses.push(response.status);
      if (response.status === 429) lastLocked = response;
    }
    expect(statuses).toEqual([...Array<number>(ACCOUNT_LIMIT).fill(401), ...Array<number>(30 - ACCOUNT_LIMIT).fill(429)]);
    expect(lastLocked?.body).toMatchObject({ success: false, code: 'RATE_LIMITED' });
    const retryAfter = Number(lastLocked?.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(LOCKOUT_SECONDS);
    expect(lastLocked?.body.error).toBe(`Too many failed sign-in attempts: try again in ${retryAfter} seconds`);

    // Locked: the right password is refused too, from any address.
    const rightButLocked = await login(victim.email, victim.password, '192.0.2.99');
    expect(rightButLocked.status).toBe(429);
    // Another account, even from an address the attacker used, is not affected.
    expect((await login(bystander.email, bystander.password, '203.0.113.30')).status).toBe(200);

    // Wait out the lockout (as long as Retry-After says, no longer), then the right password works.
    await new Promise((resolve) => setTimeout(resolve, Number(rightButLocked.headers['retry-after']) * 1000));
    const afterLockout = await login(victim.email, victim.password, '192.0.2.99');
    expect(afterLockout.status).toBe(200);

    const audit = await platformRead(harness.platformDb, (tx) =>
      tx.platformAuditLog.findMany({ where: { details: { path: ['email'], equals: victim.email } }, orderBy: { createdAt: 'asc' } }),
    );
    const failed = audit.filter((row) => row.action === 'admin.login.failed');
    expect(failed).toHaveLength(ACCOUNT_LIMIT);
    expect(failed.at(-1)?.details).toMatchObject({ locked: 'account', address: '203.0.113.5' });
    expect(audit.filter((row) => row.action === 'admin.login.throttled')).toHaveLength(30 - ACCOUNT_LIMIT + 1);
    expect(JSON.stringify(audit)).not.toContain('wrong-');
    expect(JSON.stringify(audit)).not.toContain(victim.password);
    expect(await harness.metrics.loginThrottled.get()).toMatchObject({
      values: [{ labels: { limit: 'account' }, value: 30 - ACCOUNT_LIMIT + 1 }],
    });
  });

  it('locks an unknown email exactly like a known one', async () => {
    const unknown = `nobody-${Date.now()}@test.example`;
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= ACCOUNT_LIMIT + 1; attempt++) statuses.push((await login(unknown, 'guess-password')).status);
    expect(statuses).toEqual([...Array<number>(ACCOUNT_LIMIT).fill(401), 429]);
  });

  it('locks a source address that tries many accounts, and only that address', async () => {
    const local = startHarness({
      trustProxyHops: 1,
      loginThrottle: { maxFailuresPerAccount: 100, maxFailuresPerAddress: 3, lockoutSeconds: 60 },
    });
    try {
      const admin = await createAdmin(local.platformDb, { password: true });
      const attempt = (email: string, password: string, address: string) =>
        request(local.app).post('/v1/auth/login').set('x-forwarded-for', address).send({ email, password });
      // Signing in successfully is not a failure: it never uses up the address's allowance.
      for (let i = 0; i < 4; i++) expect((await attempt(admin.email, admin.password, '198.51.100.200')).status).toBe(200);
      for (let i = 0; i < 3; i++) expect((await attempt(`spray-${i}@test.example`, 'guess-password', '198.51.100.200')).status).toBe(401);
      const blocked = await attempt(admin.email, admin.password, '198.51.100.200');
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect((await attempt(admin.email, admin.password, '198.51.100.201')).status).toBe(200);
    } finally {
      await local.close();
    }
  });

  it('counts a burst of parallel guesses as they arrive: no more than the threshold get their password checked', async () => {
    const local = startHarness({ trustProxyHops: 1, loginThrottle: { maxFailuresPerAccount: ACCOUNT_LIMIT, maxFailuresPerAddress: 1000 } });
    try {
      const target = await createAdmin(local.platformDb, { password: true });
      const extra = 7;
      const burst = await Promise.all(
        Array.from({ length: ACCOUNT_LIMIT + extra }, (_, i) =>
          request(local.app)
            .post('/v1/auth/login')
            .set('x-forwarded-for', `203.0.113.${100 + i}`)
            .send({ email: target.email, password: `burst-${i}` }),
        ),
      );
      const statuses = burst.map((response) => response.status).sort((a, b) => a - b);
      expect(statuses).toEqual([...Array<number>(ACCOUNT_LIMIT).fill(401), ...Array<number>(extra).fill(429)]);
      const refused = await platformRead(local.platformDb, (tx) =>
        tx.platformAuditLog.count({ where: { action: 'admin.login.failed', details: { path: ['email'], equals: target.email } } }),
      );
      expect(refused).toBe(ACCOUNT_LIMIT);
      // The burst locked the account: the right password waits too.
      expect(
        (
          await request(local.app)
            .post('/v1/auth/login')
            .set('x-forwarded-for', '192.0.2.150')
            .send({ email: target.email, password: target.password })
        ).status,
      ).toBe(429);
    } finally {
      await local.close();
    }
  });
});
