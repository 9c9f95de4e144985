import { envErrorOf } from '@neurosphere/testing';
import { parseEnv } from './env';

describe('console env', () => {
  it('needs only where admin-api is, and defaults the rest', () => {
    expect(parseEnv({ ADMIN_API_URL: 'http://admin-api:8200' })).toEqual({
      PORT: 8300,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ADMIN_API_URL: 'http://admin-api:8200',
    });
  });

  it('names the variable that is missing or wrong', () => {
    expect(envErrorOf(parseEnv, {})).toMatch(/ADMIN_API_URL/);
    expect(envErrorOf(parseEnv, { ADMIN_API_URL: 'admin-api' })).toBe('Invalid environment: ADMIN_API_URL must be a URL');
  });
});
