import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { renderEnvFile, writeEnvFile } from './env-file';

describe('env files for node --env-file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'env-file-test-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips JSON values through node --env-file unchanged', () => {
    const jwk = JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: 'abc-_', d: 'secret', kid: 'gateway-dev', alg: 'EdDSA' });
    const file = writeEnvFile(dir, 'gateway', { PORT: '5000', SERVICE_JWT_PRIVATE_JWK: jwk }, 'test\nsecond line');
    const printed = execFileSync(
      process.execPath,
      [`--env-file=${file}`, '-p', 'JSON.stringify([process.env.PORT, process.env.SERVICE_JWT_PRIVATE_JWK])'],
      {
        env: { PATH: process.env.PATH },
        encoding: 'utf8',
      },
    );
    expect(JSON.parse(printed)).toEqual(['5000', jwk]);
  });

  it('is readable by its owner only', () => {
    const file = writeEnvFile(dir, 'memory', { PORT: '8100' }, 'test');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses values it cannot quote and names that are not variables', () => {
    expect(() => renderEnvFile({ NOTE: "it's" }, 'h')).toThrow('NOTE contains a quote or newline');
    expect(() => renderEnvFile({ NOTE: 'a\nb' }, 'h')).toThrow('NOTE contains a quote or newline');
    expect(() => renderEnvFile({ 'bad-name': 'x' }, 'h')).toThrow('bad-name is not a valid environment variable name');
  });
});
