import { baseServiceEnv, envErrorOf } from '@neurosphere/testing';
import { parseEnv } from './env';

async function validSource(): Promise<Record<string, string>> {
  return {
    ...(await baseServiceEnv('orchestrator-test')),
    MEMORY_URL: 'http://127.0.0.1:8100',
    SMS_URL: 'http://127.0.0.1:3000',
  };
}

const errorOf = (source: Record<string, string | undefined>) => envErrorOf(parseEnv, source);

describe('orchestrator env', () => {
  it('applies defaults', async () => {
    const env = parseEnv(await validSource());
    expect(env.PORT).toBe(8001);
    expect(env.LOG_LEVEL).toBe('info');
    expect(env.SERVICE_JWKS.keys[0]?.kid).toBe('orchestrator-test');
    expect(env).toEqual(
      expect.objectContaining({
        OPENAI_TIMEOUT_MS: 2500,
        ELEVENLABS_TIMEOUT_MS: 1200,
        MEMORY_CONTEXT_TIMEOUT_MS: 800,
        TURN_BUDGET_MS: 3500,
        CALL_STATE_TTL_SECONDS: 7200,
        OPENAI_DEFAULT_MODEL: 'gpt-4o-mini',
        byokKeyring: undefined,
      }),
    );
    // Provider keys and base URLs are optional: blank means "not configured" (the SDK default, or BYOK only).
    expect(env.OPENAI_API_KEY).toBeUndefined();
    expect(parseEnv({ ...(await validSource()), OPENAI_BASE_URL: '' }).OPENAI_BASE_URL).toBeUndefined();
  });

  it('names a missing variable in one line', async () => {
    const { DATABASE_URL: _missing, ...source } = await validSource();
    expect(errorOf(source)).toBe('Invalid environment: DATABASE_URL is required');
  });

  it('names malformed variables in one line', async () => {
    const source = { ...(await validSource()), PORT: 'http', SERVICE_JWKS: '{not json', REDIS_URL: 'localhost', OPENAI_TIMEOUT_MS: '-5' };
    expect(errorOf(source)).toBe(
      'Invalid environment: PORT must be a number; REDIS_URL must be a URL; SERVICE_JWKS must be valid JSON; OPENAI_TIMEOUT_MS must be a positive number',
    );
  });

  it('keeps the reaper inside the call state’s lifetime, and wants both halves of the Twilio account', async () => {
    expect(errorOf({ ...(await validSource()), CALL_REAP_AFTER_SECONDS: '7200' })).toBe(
      'Invalid environment: CALL_REAP_AFTER_SECONDS must be less than CALL_STATE_TTL_SECONDS (the reaper needs the call state)',
    );
    expect(errorOf({ ...(await validSource()), TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}` })).toBe(
      'Invalid environment: TWILIO_AUTH_TOKEN is required when the other Twilio credential is set',
    );
  });

  it('parses the BYOK keyring, and wants both of its variables', async () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const env = parseEnv({ ...(await validSource()), BYOK_KEYS: JSON.stringify({ k1: key }), BYOK_ACTIVE_KEY_ID: 'k1' });
    expect(env.byokKeyring?.activeKeyId).toBe('k1');
    expect(errorOf({ ...(await validSource()), BYOK_KEYS: JSON.stringify({ k1: key }) })).toBe(
      'Invalid environment: BYOK_ACTIVE_KEY_ID is required when BYOK_KEYS is set',
    );
    expect(errorOf({ ...(await validSource()), BYOK_KEYS: JSON.stringify({ k1: 'c2hvcnQ=' }), BYOK_ACTIVE_KEY_ID: 'k1' })).toBe(
      'Invalid environment: BYOK_KEYS is invalid (BYOK_KEYS["k1"] must decode to 32 bytes, got 5)',
    );
  });
});
