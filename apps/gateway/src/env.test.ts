import { baseServiceEnv, envErrorOf } from '@neurosphere/testing';
import { parseEnv } from './env';

async function validSource(): Promise<Record<string, string>> {
  // The gateway keeps nothing in Redis and does not read REDIS_URL.
  const { REDIS_URL: _redis, ...base } = await baseServiceEnv('gateway-test');
  return {
    ...base,
    PUBLIC_BASE_URL: 'https://voice.example.test/',
    TWILIO_AUTH_TOKEN: 'platform-token',
    ORCHESTRATOR_URL: 'http://127.0.0.1:8001',
    SMS_URL: 'http://127.0.0.1:3000/',
  };
}

const errorOf = (source: Record<string, string | undefined>) => envErrorOf(parseEnv, source);

describe('gateway env', () => {
  it('applies defaults and drops trailing slashes from URLs', async () => {
    const env = parseEnv(await validSource());
    expect(env.PORT).toBe(5000);
    // Loopback unless HOST says otherwise (the container image sets 0.0.0.0).
    expect(env.HOST).toBe('127.0.0.1');
    expect(parseEnv({ ...(await validSource()), HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
    expect(env.LOG_LEVEL).toBe('info');
    expect(env.SERVICE_JWKS.keys[0]?.kid).toBe('gateway-test');
    expect(env.PUBLIC_BASE_URL).toBe('https://voice.example.test');
    expect(env.SMS_URL).toBe('http://127.0.0.1:3000');
    expect(env.ORCHESTRATOR_TIMEOUT_MS).toBe(4000);
    expect(env.TENANT_LOOKUP_TIMEOUT_MS).toBe(800);
    expect(env.TENANT_CACHE_TTL_MS).toBe(15000);
    expect(env.byokKeyring).toBeUndefined();
  });

  it('names a missing variable in one line', async () => {
    const { DATABASE_URL: _missing, ...source } = await validSource();
    expect(errorOf(source)).toBe('Invalid environment: DATABASE_URL is required');
  });

  it('requires the platform Twilio token (an empty one counts as missing)', async () => {
    expect(errorOf({ ...(await validSource()), TWILIO_AUTH_TOKEN: '' })).toBe('Invalid environment: TWILIO_AUTH_TOKEN is required');
  });

  it('requires BYOK_ACTIVE_KEY_ID with BYOK_KEYS', async () => {
    expect(errorOf({ ...(await validSource()), BYOK_KEYS: '{"k1":"x"}' })).toBe(
      'Invalid environment: BYOK_ACTIVE_KEY_ID is required when BYOK_KEYS is set',
    );
  });

  it('parses the BYOK keyring at boot, naming a bad key without printing it', async () => {
    const key = Buffer.alloc(32, 1).toString('base64');
    const env = parseEnv({ ...(await validSource()), BYOK_KEYS: JSON.stringify({ k1: key }), BYOK_ACTIVE_KEY_ID: 'k1' });
    expect(env.byokKeyring?.activeKeyId).toBe('k1');
    const short = Buffer.alloc(16, 1).toString('base64');
    const message = errorOf({ ...(await validSource()), BYOK_KEYS: JSON.stringify({ k1: short }), BYOK_ACTIVE_KEY_ID: 'k1' });
    expect(message).toBe('Invalid environment: BYOK_KEYS is invalid (BYOK_KEYS["k1"] must decode to 32 bytes, got 16)');
    expect(message).not.toContain(short);
  });

  it('names malformed variables in one line', async () => {
    const source = {
      ...(await validSource()),
      PORT: 'http',
      SERVICE_JWKS: '{not json',
      DATABASE_URL: 'localhost',
      ORCHESTRATOR_TIMEOUT_MS: '-5',
    };
    expect(errorOf(source)).toBe(
      'Invalid environment: PORT must be a number; DATABASE_URL must be a URL; SERVICE_JWKS must be valid JSON; ORCHESTRATOR_TIMEOUT_MS must be a positive number of milliseconds',
    );
  });
});
