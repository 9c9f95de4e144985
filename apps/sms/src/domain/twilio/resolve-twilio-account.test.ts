import { randomBytes } from 'node:crypto';
import { credentialAssociatedData, encryptSecret } from '@neurosphere/db';
import type { TenantCredential } from '@neurosphere/db';
import { resolveTwilioAccount } from './resolve-twilio-account';
import type { TwilioConnection } from './resolve-twilio-account';
import type { TwilioSender } from './twilio-sender';

const sender: TwilioSender = { send: async () => ({ sid: 'SM-never-called' }) };
const keyring = { keys: { k1: randomBytes(32) }, activeKeyId: 'k1' };
const platformAccount = { accountSid: 'AC-platform', authToken: 'platform-token' };

function byokCredential(customerId: number, authToken: string): TenantCredential {
  const secret = encryptSecret({ plaintext: authToken, keyring, associatedData: credentialAssociatedData(customerId, 'twilio') });
  return {
    accountIdentifier: 'AC-tenant',
    secretCiphertext: secret.ciphertext,
    secretIv: secret.iv,
    secretAuthTag: secret.authTag,
    keyId: secret.keyId,
  } as unknown as TenantCredential;
}

describe('resolveTwilioAccount', () => {
  const connection = (overrides: Partial<TwilioConnection> = {}): TwilioConnection => ({
    sender,
    platformAccount,
    byokKeyring: keyring,
    ...overrides,
  });

  it('uses the platform account for platform numbers', () => {
    expect(resolveTwilioAccount(connection(), { customerId: 1, accountKind: 'platform', credential: null })).toEqual({
      ok: true,
      sender,
      account: platformAccount,
    });
  });

  it('refuses, rather than pretends, when the platform account is not configured', () => {
    expect(
      resolveTwilioAccount(connection({ platformAccount: null }), { customerId: 1, accountKind: 'platform', credential: null }),
    ).toEqual({ ok: false, code: 'PLATFORM_TWILIO_NOT_CONFIGURED', message: expect.stringContaining('TWILIO_ACCOUNT_SID') });
  });

  it("decrypts the tenant's own token for BYOK numbers, bound to that tenant", () => {
    const credential = byokCredential(7, 'tenant-token');
    expect(resolveTwilioAccount(connection(), { customerId: 7, accountKind: 'byok', credential })).toEqual({
      ok: true,
      sender,
      account: { accountSid: 'AC-tenant', authToken: 'tenant-token' },
    });
    expect(resolveTwilioAccount(connection(), { customerId: 8, accountKind: 'byok', credential })).toMatchObject({
      ok: false,
      code: 'BYOK_CREDENTIALS_INVALID',
    });
  });

  it.each([
    ['no stored credential', connection(), null, 'BYOK_CREDENTIALS_MISSING'],
    ['no keyring', connection({ byokKeyring: undefined }), byokCredential(7, 't'), 'BYOK_KEYRING_MISSING'],
  ])('fails permanently with %s', (_name, conn, credential, code) => {
    expect(resolveTwilioAccount(conn, { customerId: 7, accountKind: 'byok', credential })).toMatchObject({ ok: false, code });
  });
});
