import { EnvValidationError } from '@neurosphere/config';
import { baseServiceEnv } from '@neurosphere/testing';
import { authSettingsFromEnv, parseEnv, parseSetPasswordEnv } from './env';

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

  it('documents its session, lockout and link defaults in one place', async () => {
    const settings = authSettingsFromEnv(parseEnv(await validSource()));
    expect(settings).toEqual({
      consoleUrl: 'http://localhost:5173',
      allowedOrigins: ['http://localhost:5173'],
      secureCookies: true,
      sessionIdleTimeoutSeconds: 86_400,
      sessionMaxAgeSeconds: 604_800,
      invitationTtlSeconds: 604_800,
      passwordResetTtlSeconds: 3600,
      loginThrottle: { maxFailuresPerAccount: 5, maxFailuresPerAddress: 50, windowSeconds: 900, lockoutSeconds: 900 },
    });
  });

  it('reads the console, origins, cookie and lockout settings, and names bad ones', async () => {
    const env = parseEnv({
      ...(await validSource()),
      CONSOLE_URL: 'https://admin.example.com/console/',
      ADMIN_ALLOWED_ORIGINS: 'https://admin.example.com, https://ops.example.com/path',
      ADMIN_COOKIE_SECURE: 'false',
      ADMIN_LOGIN_LOCKOUT_SECONDS: '60',
      SMTP_URL: 'smtp://mail.example.com:587',
      MAIL_FROM: 'Ops <ops@example.com>',
    });
    expect(authSettingsFromEnv(env)).toMatchObject({
      consoleUrl: 'https://admin.example.com/console',
      allowedOrigins: ['https://admin.example.com', 'https://ops.example.com'],
      secureCookies: false,
      loginThrottle: { lockoutSeconds: 60 },
    });
    expect(env.SMTP_URL).toBe('smtp://mail.example.com:587');
    const source = { ...(await validSource()), ADMIN_LOGIN_LOCKOUT_SECONDS: '0', ADMIN_LOGIN_MAX_FAILURES_PER_ACCOUNT: 'many' };
    expect(errorOf(() => parseEnv(source))).toBe(
      'Invalid environment: ADMIN_LOGIN_MAX_FAILURES_PER_ACCOUNT must be a number; ADMIN_LOGIN_LOCKOUT_SECONDS must be between 1 and 86400 seconds',
    );
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
