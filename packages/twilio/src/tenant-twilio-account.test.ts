import { randomBytes } from 'node:crypto';
import { encryptCredentialSecret } from '@neurosphere/db';
import type { Keyring } from '@neurosphere/db';
import { resolveTwilioAccount } from './tenant-twilio-account';
import type { ResolveTwilioAccountOptions, StoredTwilioCredential } from './tenant-twilio-account';

const keyring: Keyring = { keys: { k1: randomBytes(32) }, activeKeyId: 'k1' };
const platformAccount = { accountSid: 'AC-platform', authToken: 'platform-token' };

function stored(customerId: number, provider: 'twilio' | 'twilio_subaccount', authToken: string): StoredTwilioCredential {
  return { accountIdentifier: 'AC-tenant', ...encryptCredentialSecret({ customerId, provider, plaintext: authToken, keyring }) };
}

describe('resolveTwilioAccount', () => {
  const options = (overrides: Partial<ResolveTwilioAccountOptions>): ResolveTwilioAccountOptions => ({
    customerId: 7,
    accountKind: 'platform',
    credential: null,
    platformAccount,
    keyring,
    where: 'test service',
    ...overrides,
  });

  it('uses the platform account for platform numbers', () => {
    expect(resolveTwilioAccount(options({}))).toEqual({ ok: true, account: platformAccount });
  });

  it('refuses, rather than pretends, when the platform account is not configured', () => {
    expect(resolveTwilioAccount(options({ platformAccount: null }))).toEqual({
      ok: false,
      code: 'PLATFORM_TWILIO_NOT_CONFIGURED',
      message: expect.stringContaining('TWILIO_ACCOUNT_SID') as unknown,
    });
  });

  it.each([
    ['byok', 'twilio'],
    ['subaccount', 'twilio_subaccount'],
  ] as const)("decrypts the %s account's token, bound to that tenant and kind", (accountKind, provider) => {
    const credential = stored(7, provider, 'tenant-token');
    expect(resolveTwilioAccount(options({ accountKind, credential }))).toEqual({
      ok: true,
      account: { accountSid: 'AC-tenant', authToken: 'tenant-token' },
    });
    // Another tenant's row, or the other kind's row, does not decrypt.
    expect(resolveTwilioAccount(options({ customerId: 8, accountKind, credential }))).toMatchObject({
      ok: false,
      code: expect.stringMatching(/_CREDENTIALS_INVALID$/) as unknown,
    });
    const otherKind = accountKind === 'byok' ? 'subaccount' : 'byok';
    expect(resolveTwilioAccount(options({ accountKind: otherKind, credential }))).toMatchObject({ ok: false });
  });

  it.each([
    ['no stored credential', options({ accountKind: 'byok' }), 'BYOK_CREDENTIALS_MISSING'],
    ['no stored sub-account', options({ accountKind: 'subaccount' }), 'SUBACCOUNT_CREDENTIALS_MISSING'],
    ['no keyring', options({ accountKind: 'byok', keyring: undefined, credential: stored(7, 'twilio', 't') }), 'BYOK_KEYRING_MISSING'],
  ])('fails permanently with %s', (_name, input, code) => {
    expect(resolveTwilioAccount(input)).toMatchObject({ ok: false, code });
  });

  it('never puts the secret into a failure message', () => {
    const credential = stored(7, 'twilio', 'super-secret-token');
    const failed = resolveTwilioAccount(options({ customerId: 9, accountKind: 'byok', credential }));
    expect(JSON.stringify(failed)).not.toContain('super-secret-token');
  });
});
