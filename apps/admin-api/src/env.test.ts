import { EnvValidationError } from '@neurosphere/config';
import { baseServiceEnv } from '@neurosphere/testing';
import { parseEnv, parseSetPasswordEnv } from './env';

async function validSource(): Promise<Record<string, string>> {
  return {
    ...(await baseServiceEnv('admin-api-test')),
    DATABASE_PLATFORM_URL: 'postgres://neurosphere_platform:platform@127.0.0.1:5432/neurosphere',
    ADMIN_JWT_SECRET: 'x'.repeat(32),
  };
}

function errorOf(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    if (error instanceof EnvValidationError) return error.message;
    throw error;
  }
  throw new Error('expected parsing to fail');
}

describe('admin-api env', () => {
  it('applies defaults', async () => {
    const env = parseEnv(await validSource());
    expect(env.PORT).toBe(8200);
    expect(env.LOG_LEVEL).toBe('info');
    expect(env.NODE_ENV).toBe('development');
    expect(env.SERVICE_JWKS.keys[0]?.kid).toBe('admin-api-test');
  });

  it('names a missing variable in one line', async () => {
    const { DATABASE_URL: _missing, ...source } = await validSource();
    expect(errorOf(() => parseEnv(source))).toBe('Invalid environment: DATABASE_URL is required');
  });

  it('names malformed variables in one line', async () => {
    const source = { ...(await validSource()), PORT: 'http', SERVICE_JWKS: '{not json', REDIS_URL: 'localhost' };
    expect(errorOf(() => parseEnv(source))).toBe(
      'Invalid environment: PORT must be a number; REDIS_URL must be a URL; SERVICE_JWKS must be valid JSON',
    );
  });

  it('refuses a short ADMIN_JWT_SECRET', async () => {
    const source = { ...(await validSource()), ADMIN_JWT_SECRET: 'short' };
    expect(errorOf(() => parseEnv(source))).toBe(
      'Invalid environment: ADMIN_JWT_SECRET must be at least 32 characters (e.g. openssl rand -base64 48)',
    );
  });

  it('needs only the platform database for set-password', () => {
    expect(parseSetPasswordEnv({ DATABASE_PLATFORM_URL: 'postgres://neurosphere_platform:platform@127.0.0.1:5432/x' })).toEqual({
      DATABASE_PLATFORM_URL: 'postgres://neurosphere_platform:platform@127.0.0.1:5432/x',
    });
    expect(errorOf(() => parseSetPasswordEnv({}))).toBe('Invalid environment: DATABASE_PLATFORM_URL is required');
  });
});
