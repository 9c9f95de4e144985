import { randomBytes } from 'node:crypto';
import { createDb, decryptCredentialSecret, parseKeyring, withPlatform } from '@neurosphere/db';
import { createFreshTestDatabase, createTestCredential, createTestTenant } from '@neurosphere/db/testing';
import { useHarness } from '@neurosphere/testing';
import request from 'supertest';
import { bearer, createAdmin, onboardTestTenant, platformRead, runCommand, startPlatformHarness } from './harness';

// A tenant's own provider keys (BYOK), owners only, write-only: checked with the provider (real
// SDKs against fake servers) before they are stored encrypted; only kind, last four characters and
// verified_at come back. And the platform command that re-encrypts every secret under a new key.

const harness = useHarness(startPlatformHarness);
let asPlatform: string;

beforeAll(async () => {
  asPlatform = await bearer(harness.tokens, await createAdmin(harness.platformDb, { isPlatformAdmin: true }));
});

async function tenantWithOwner() {
  const onboarded = await onboardTestTenant(harness, asPlatform);
  const customerId = onboarded.tenant.customer_id;
  const owner = await bearer(harness.tokens, await createAdmin(harness.platformDb, { memberships: [{ customerId, role: 'owner' }] }));
  return { customerId, owner, onboarded };
}
const secret = (prefix: string) => `${prefix}-${randomBytes(16).toString('hex')}`;
const path = (customerId: number, suffix = '') => `/v1/tenants/${customerId}/credentials${suffix}`;

describe('tenant keys', () => {
  it('sets an OpenAI key after OpenAI accepted it; only kind, last four and verified_at come back', async () => {
    const { customerId, owner } = await tenantWithOwner();
    const key = secret('sk-tenant');
    const set = await request(harness.app).put(path(customerId, '/openai')).set('authorization', owner).send({ secret: key });
    expect(set.status).toBe(200);
    expect(set.body.credential).toEqual({
      provider: 'openai',
      account_identifier: null,
      last_four: key.slice(-4),
      verified_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(JSON.stringify(set.body)).not.toContain(key);
    const check = harness.openai.requests.filter((recorded) => recorded.path === '/v1/models').at(-1);
    expect(check?.headers.authorization).toBe(`Bearer ${key}`);

    const listed = await request(harness.app).get(path(customerId)).set('authorization', owner);
    expect(listed.body.credentials).toEqual([set.body.credential]);
    const stored = await platformRead(harness.platformDb, (tx) =>
      tx.tenantCredential.findUnique({ where: { customerId_provider: { customerId, provider: 'openai' } } }),
    );
    expect(decryptCredentialSecret({ customerId, provider: 'openai', credential: stored!, keyring: harness.keyring })).toBe(key);
  });

  it.each([
    ['openai', () => harness.openai.rejectKey, 'OpenAI refused the key (HTTP 401)'],
    ['elevenlabs', () => harness.elevenLabs.rejectKey, 'ElevenLabs refused the key (HTTP 401)'],
  ] as const)('refuses a %s key the provider refuses (422) and stores nothing', async (provider, reject, message) => {
    const { customerId, owner } = await tenantWithOwner();
    const key = secret('refused');
    reject()(key);
    const response = await request(harness.app)
      .put(path(customerId, `/${provider}`))
      .set('authorization', owner)
      .send({ secret: key });
    expect(response.status).toBe(422);
    expect(response.body).toEqual({
      success: false,
      code: 'UNPROCESSABLE',
      error: message,
      details: [{ path: 'secret', message: `refused by ${provider === 'openai' ? 'OpenAI' : 'ElevenLabs'}` }],
    });
    expect((await request(harness.app).get(path(customerId)).set('authorization', owner)).body.credentials).toEqual([]);
  });

  it('rotates, verifies and removes an ElevenLabs key, each in the tenant audit log', async () => {
    const { customerId, owner } = await tenantWithOwner();
    const rotateFirst = await request(harness.app)
      .post(path(customerId, '/elevenlabs/rotate'))
      .set('authorization', owner)
      .send({ secret: secret('el') });
    expect(rotateFirst.status).toBe(404);
    await request(harness.app)
      .put(path(customerId, '/elevenlabs'))
      .set('authorization', owner)
      .send({ secret: secret('el') });
    const next = secret('el-next');
    const rotated = await request(harness.app)
      .post(path(customerId, '/elevenlabs/rotate'))
      .set('authorization', owner)
      .send({ secret: next });
    expect(rotated.body.credential.last_four).toBe(next.slice(-4));
    const verified = await request(harness.app).post(path(customerId, '/elevenlabs/verify')).set('authorization', owner).send({});
    expect(verified.status).toBe(200);
    expect(harness.elevenLabs.requests.filter((recorded) => recorded.path === '/v1/models').at(-1)?.headers['xi-api-key']).toBe(next);
    const removed = await request(harness.app).delete(path(customerId, '/elevenlabs')).set('authorization', owner);
    expect(removed.status).toBe(200);
    const audit = await platformRead(harness.platformDb, (tx) =>
      tx.auditLog.findMany({ where: { customerId, target: 'credential:elevenlabs' }, orderBy: { createdAt: 'asc' } }),
    );
    expect(audit.map((row) => row.action)).toEqual(['credential.set', 'credential.rotated', 'credential.verified', 'credential.removed']);
    expect(JSON.stringify(audit)).not.toContain(next);
  });

  it("makes the tenant's own Twilio account its account for new numbers, checked with Twilio first", async () => {
    const { customerId, owner } = await tenantWithOwner();
    const own = harness.twilio.addAccount();
    const refused = await request(harness.app)
      .put(path(customerId, '/twilio'))
      .set('authorization', owner)
      .send({ secret: 'wrong-auth-token', account_sid: own.sid });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toBe(
      'Twilio refused the credentials of the tenant’s own Twilio account (Twilio 20003) while checking the account’s credentials',
    );
    const set = await request(harness.app)
      .put(path(customerId, '/twilio'))
      .set('authorization', owner)
      .send({ secret: own.authToken, account_sid: own.sid });
    expect(set.status).toBe(200);
    expect(set.body.credential).toMatchObject({ provider: 'twilio', account_identifier: own.sid, last_four: own.authToken.slice(-4) });
    const customer = await platformRead(harness.platformDb, (tx) =>
      tx.customer.findUnique({ where: { id: customerId }, select: { twilioAccount: true } }),
    );
    expect(customer?.twilioAccount).toBe('byok');
    // The sub-account's token is not a tenant key: it never shows up here.
    const listed = await request(harness.app).get(path(customerId)).set('authorization', owner);
    expect(listed.body.credentials.map((credential: { provider: string }) => credential.provider)).toEqual(['twilio']);
  });

  it("refuses to remove the tenant's own Twilio account while numbers live in it (409)", async () => {
    const own = harness.twilio.addAccount();
    const existing = harness.twilio.addIncomingNumber(own.sid, `+1646${Math.floor(2_000_000 + Math.random() * 7_000_000)}`);
    const onboarded = await onboardTestTenant(harness, asPlatform, {
      twilio_account: { kind: 'byok', account_sid: own.sid, auth_token: own.authToken },
      number: { kind: 'existing', phone_number: existing.phoneNumber },
    });
    const customerId = onboarded.tenant.customer_id;
    const owner = await bearer(harness.tokens, await createAdmin(harness.platformDb, { memberships: [{ customerId, role: 'owner' }] }));
    const response = await request(harness.app).delete(path(customerId, '/twilio')).set('authorization', owner);
    expect(response.status).toBe(409);
    expect(response.body.error).toBe(
      '1 number(s) of the tenant live in its own Twilio account: release or move them before removing its credentials',
    );
  });

  it('is for owners only: an admin gets 403, another tenant’s owner 404', async () => {
    const { customerId } = await tenantWithOwner();
    const other = await tenantWithOwner();
    const admin = await bearer(harness.tokens, await createAdmin(harness.platformDb, { memberships: [{ customerId, role: 'admin' }] }));
    expect((await request(harness.app).get(path(customerId)).set('authorization', admin)).status).toBe(403);
    expect(
      (
        await request(harness.app)
          .put(path(customerId, '/openai'))
          .set('authorization', other.owner)
          .send({ secret: secret('sk') })
      ).status,
    ).toBe(404);
  });
});

describe('re-encrypting every secret under a new key', () => {
  // Its own database: the command rewrites every secret it finds, and other test files' secrets
  // are under their own throwaway keys.
  it('rotate-byok-key moves every secret to the active key, and a second run finds nothing left', async () => {
    const fresh = await createFreshTestDatabase('db_rotate');
    const platformDb = createDb({ url: fresh.env.platformUrl, poolMax: 1 });
    try {
      const oldRing = parseKeyring(JSON.stringify({ old: randomBytes(32).toString('base64') }), 'old');
      const { customerId } = await createTestTenant(platformDb);
      const secrets = { openai: secret('sk-rotate'), elevenlabs: secret('el-rotate'), twilio_subaccount: secret('sub-token') } as const;
      await withPlatform(platformDb, { actor: 'test', action: 'test.credentials', customerId }, async (tx) => {
        for (const [provider, value] of Object.entries(secrets)) {
          await createTestCredential(tx, { customerId, provider: provider as keyof typeof secrets, secret: value, keyring: oldRing });
        }
      });
      const keys = JSON.stringify({ old: oldRing.keys.old!.toString('base64'), new: randomBytes(32).toString('base64') });
      const env = { DATABASE_PLATFORM_URL: fresh.env.platformUrl, BYOK_KEYS: keys, BYOK_ACTIVE_KEY_ID: 'new' };

      const first = await runCommand('pnpm --filter @neurosphere/admin-api rotate-byok-key', env);
      expect(first.code).toBe(0);
      expect(first.stdout).toContain('re-encrypted 3 secret(s) under key new; 0 remaining under other keys\n');
      const newRing = parseKeyring(keys, 'new');
      const stored = await withPlatform(platformDb, { actor: 'test', action: 'test.read' }, (tx) =>
        tx.tenantCredential.findMany({ where: { customerId } }),
      );
      expect(stored.map((row) => row.keyId)).toEqual(['new', 'new', 'new']);
      for (const row of stored) {
        expect(decryptCredentialSecret({ customerId, provider: row.provider, credential: row, keyring: newRing })).toBe(
          secrets[row.provider as keyof typeof secrets],
        );
      }
      const audit = await withPlatform(platformDb, { actor: 'test', action: 'test.read' }, (tx) =>
        tx.platformAuditLog.count({ where: { action: 'credentials.reencrypt_batch' } }),
      );
      expect(audit).toBeGreaterThan(0);

      const second = await runCommand('pnpm --filter @neurosphere/admin-api rotate-byok-key', env);
      expect(second.code).toBe(0);
      expect(second.stdout).toContain('re-encrypted 0 secret(s) under key new; 0 remaining under other keys\n');
    } finally {
      await platformDb.$disconnect();
      await fresh.drop();
    }
  }, 120_000);
});
