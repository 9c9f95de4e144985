import { generateServiceKeyPair } from '@neurosphere/auth';
import { baseServiceEnv, envErrorOf } from '@neurosphere/testing';
import { parseEnv } from './env';

const validSource = () => baseServiceEnv('memory-test');

const errorOf = (source: Record<string, string | undefined>) => envErrorOf(parseEnv, source);

describe('memory env', () => {
  it('applies defaults', async () => {
    const env = parseEnv(await validSource());
    expect(env.PORT).toBe(8100);
    expect(env.LOG_LEVEL).toBe('info');
    expect(env.SERVICE_JWKS.keys[0]?.kid).toBe('memory-test');
  });

  it('names a missing variable in one line', async () => {
    const { DATABASE_URL: _missing, ...source } = await validSource();
    expect(errorOf(source)).toBe('Invalid environment: DATABASE_URL is required');
  });

  it('names malformed variables in one line', async () => {
    const source = { ...(await validSource()), PORT: 'http', SERVICE_JWKS: '{not json', REDIS_URL: 'localhost' };
    expect(errorOf(source)).toBe('Invalid environment: PORT must be a number; REDIS_URL must be a URL; SERVICE_JWKS must be valid JSON');
  });
});

describe('memory env: summarization settings', () => {
  it('defaults the model, timeouts and retries, and leaves OpenAI unset unless configured', async () => {
    const { privateJwk, publicJwk } = await generateServiceKeyPair('memory-test');
    const env = parseEnv({
      DATABASE_URL: 'postgres://neurosphere_app:app@127.0.0.1:5432/neurosphere',
      REDIS_URL: 'redis://127.0.0.1:6379',
      SERVICE_JWT_PRIVATE_JWK: JSON.stringify(privateJwk),
      SERVICE_JWKS: JSON.stringify({ keys: [publicJwk] }),
      OPENAI_BASE_URL: '',
    });
    expect(env).toEqual(
      expect.objectContaining({
        OPENAI_SUMMARY_MODEL: 'gpt-4o-mini',
        OPENAI_TIMEOUT_MS: 30_000,
        SUMMARIZE_MAX_ATTEMPTS: 6,
        SUMMARIZE_BACKOFF_MS: 5_000,
        WORKER_CONCURRENCY: 4,
        MEMORY_QUEUE_PREFIX: 'bull',
        DATABASE_POOL_MAX: 10,
      }),
    );
    expect(env.OPENAI_API_KEY).toBeUndefined();
    expect(env.OPENAI_BASE_URL).toBeUndefined();
  });

  it('names a bad OpenAI timeout', async () => {
    const { privateJwk, publicJwk } = await generateServiceKeyPair('memory-test');
    expect(() =>
      parseEnv({
        DATABASE_URL: 'postgres://neurosphere_app:app@127.0.0.1:5432/neurosphere',
        REDIS_URL: 'redis://127.0.0.1:6379',
        SERVICE_JWT_PRIVATE_JWK: JSON.stringify(privateJwk),
        SERVICE_JWKS: JSON.stringify({ keys: [publicJwk] }),
        OPENAI_TIMEOUT_MS: '-5',
      }),
    ).toThrow('Invalid environment: OPENAI_TIMEOUT_MS must be a positive number');
  });
});
