import { z } from 'zod';
import { EnvValidationError, loadEnv } from './load-env';
import { booleanFlag, commaList, jsonString, logLevel, port, url } from './env-schemas';

const schema = z.object({
  PORT: port.default(5000),
  DATABASE_URL: url,
  LOG_LEVEL: logLevel.default('info'),
  ALLOWED: commaList.default(''),
  CLUSTER: booleanFlag.default('false'),
  SERVICE_JWKS: jsonString(z.object({ keys: z.array(z.object({ kid: z.string() })) })).optional(),
});

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof EnvValidationError) return error.message;
    throw error;
  }
  throw new Error('expected loadEnv to throw');
}

describe('loadEnv', () => {
  it('parses valid values and applies defaults', () => {
    const env = loadEnv(schema, {
      DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
      ALLOWED: 'gateway, sms,,memory',
      SERVICE_JWKS: '{"keys":[{"kid":"a"}]}',
    });
    expect(env).toEqual({
      PORT: 5000,
      DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
      LOG_LEVEL: 'info',
      ALLOWED: ['gateway', 'sms', 'memory'],
      CLUSTER: false,
      SERVICE_JWKS: { keys: [{ kid: 'a' }] },
    });
    expect(loadEnv(schema, { DATABASE_URL: 'postgres://h/db', CLUSTER: 'true' }).CLUSTER).toBe(true);
  });

  it('treats a blank value like an absent one', () => {
    expect(loadEnv(schema, { DATABASE_URL: 'postgres://h/db', PORT: '  ' }).PORT).toBe(5000);
  });

  it('names every bad variable on one line', () => {
    const message = messageOf(() => loadEnv(schema, { PORT: 'abc' }));
    expect(message).toBe('Invalid environment: PORT must be a number; DATABASE_URL is required');
    expect(message).not.toContain('\n');
  });

  it.each([
    [{ PORT: '70000' }, 'PORT must be between 1 and 65535'],
    [{ PORT: '80.5' }, 'PORT must be an integer'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL must be a URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent'],
    [{ SERVICE_JWKS: '{oops' }, 'SERVICE_JWKS must be valid JSON'],
    [{ SERVICE_JWKS: '{"keys":"x"}' }, 'SERVICE_JWKS.keys must be array (got string)'],
    [{ CLUSTER: 'yes' }, 'CLUSTER must be true or false'],
  ])('explains %j', (overrides, expected) => {
    const message = messageOf(() => loadEnv(schema, { DATABASE_URL: 'postgres://h/db', ...overrides }));
    expect(message).toBe(`Invalid environment: ${expected}`);
  });
});
