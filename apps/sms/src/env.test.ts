import { randomBytes } from 'node:crypto';
import { baseServiceEnv, envErrorOf } from '@neurosphere/testing';
import { parseEnv } from './env';

const byokKey = randomBytes(32).toString('base64');

async function validSource(): Promise<Record<string, string>> {
  return {
    ...(await baseServiceEnv('sms-test')),
    BYOK_KEYS: JSON.stringify({ k1: byokKey }),
    BYOK_ACTIVE_KEY_ID: 'k1',
  };
}

const errorOf = (source: Record<string, string | undefined>) => envErrorOf(parseEnv, source);

describe('sms env', () => {
  it('applies defaults and treats blank provider settings as unset', async () => {
    const env = parseEnv({ ...(await validSource()), TWILIO_ACCOUNT_SID: '', TWILIO_AUTH_TOKEN: ' ', PUBLIC_BASE_URL: '' });
    expect(env.PORT).toBe(3000);
    expect(env.LOG_LEVEL).toBe('info');
    expect(env.SERVICE_JWKS.keys[0]?.kid).toBe('sms-test');
    expect(env.SMS_WORKER_CONCURRENCY).toBe(100);
    expect(env.DATABASE_POOL_MAX).toBe(20);
    expect(env.TWILIO_ACCOUNT_SID).toBeUndefined();
    expect(env.PUBLIC_BASE_URL).toBeUndefined();
    expect(env.byokKeyring?.activeKeyId).toBe('k1');
    expect(env.byokKeyring?.keys.k1).toEqual(Buffer.from(byokKey, 'base64'));
  });

  it('names a missing variable in one line', async () => {
    const { DATABASE_URL: _missing, ...source } = await validSource();
    expect(errorOf(source)).toBe('Invalid environment: DATABASE_URL is required');
  });

  it('names malformed variables in one line', async () => {
    const source = { ...(await validSource()), PORT: 'http', SERVICE_JWKS: '{not json', REDIS_URL: 'localhost' };
    expect(errorOf(source)).toBe('Invalid environment: PORT must be a number; REDIS_URL must be a URL; SERVICE_JWKS must be valid JSON');
  });

  it('wants both platform Twilio credentials or neither, and a real Account SID', async () => {
    expect(errorOf({ ...(await validSource()), TWILIO_AUTH_TOKEN: 'secret' })).toBe(
      'Invalid environment: TWILIO_ACCOUNT_SID is required when the other Twilio credential is set',
    );
    expect(errorOf({ ...(await validSource()), TWILIO_ACCOUNT_SID: 'nope', TWILIO_AUTH_TOKEN: 'secret' })).toBe(
      'Invalid environment: TWILIO_ACCOUNT_SID must be a Twilio Account SID (AC + 32 hex)',
    );
  });

  it('checks the BYOK keyring at boot, and runs without one', async () => {
    expect(errorOf({ ...(await validSource()), BYOK_ACTIVE_KEY_ID: 'k2' })).toBe(
      'Invalid environment: BYOK_KEYS is invalid (BYOK_ACTIVE_KEY_ID "k2" is not a key id in BYOK_KEYS)',
    );
    const { BYOK_KEYS: _keys, BYOK_ACTIVE_KEY_ID: _active, ...withoutByok } = await validSource();
    expect(parseEnv(withoutByok).byokKeyring).toBeUndefined();
    expect(errorOf({ ...withoutByok, BYOK_KEYS: JSON.stringify({ k1: byokKey }) })).toBe(
      'Invalid environment: BYOK_ACTIVE_KEY_ID is required when BYOK_KEYS is set',
    );
  });
});
