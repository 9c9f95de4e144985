import { generateServiceKeyPair } from '@neurosphere/auth';
import { EnvValidationError } from '@neurosphere/config';
import { parseEnv } from './env';

async function validSource(): Promise<Record<string, string>> {
  const { privateJwk, publicJwk } = await generateServiceKeyPair('admin-api-test');
  return {
    DATABASE_URL: 'postgres://neurosphere_app:app@127.0.0.1:5432/neurosphere',
    REDIS_URL: 'redis://127.0.0.1:6379',
    SERVICE_JWT_PRIVATE_JWK: JSON.stringify(privateJwk),
    SERVICE_JWKS: JSON.stringify({ keys: [publicJwk] }),
  };
}

function errorOf(source: Record<string, string | undefined>): string {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvValidationError) return error.message;
    throw error;
  }
  throw new Error('expected parseEnv to fail');
}

describe('admin-api env', () => {
  it('applies defaults', async () => {
    const env = parseEnv(await validSource());
    expect(env.PORT).toBe(8200);
    expect(env.LOG_LEVEL).toBe('info');
    expect(env.SERVICE_JWKS.keys[0]?.kid).toBe('admin-api-test');
  });

  it('names a missing variable in one line', async () => {
    const { DATABASE_URL: _missing, ...source } = await validSource();
    expect(errorOf(source)).toBe('Invalid environment: DATABASE_URL is required');
  });

  it('names malformed variables in one line', async () => {
    const source = { ...(await validSource()), PORT: 'http', SERVICE_JWKS: '{not json', REDIS_URL: 'localhost' };
    expect(errorOf(source)).toBe(
      'Invalid environment: PORT must be a number; REDIS_URL must be a URL; SERVICE_JWKS must be valid JSON',
    );
  });
});
