import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServiceTokenSigner, createServiceTokenVerifier } from '@neurosphere/auth';
import { generateServiceKeyring, loadOrCreateDevKeyring } from './service-keys';

describe('service keyrings', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'service-keys-test-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives each service its own key and publishes only public halves', async () => {
    const keyring = await generateServiceKeyring(['gateway', 'memory'], 'test');
    expect(keyring.privateKeys.gateway?.kid).toBe('gateway-test');
    expect(keyring.privateKeys.gateway?.d).not.toBe(keyring.privateKeys.memory?.d);
    expect(keyring.jwks.keys.map((key) => key.kid)).toEqual(['gateway-test', 'memory-test']);
    expect(JSON.stringify(keyring.jwks)).not.toContain('"d"');
  });

  it('keeps dev keys across runs and writes them owner-only', async () => {
    const first = await loadOrCreateDevKeyring(dir, ['gateway', 'sms']);
    const second = await loadOrCreateDevKeyring(dir, ['gateway', 'sms']);
    expect(second).toEqual(first);
    expect(statSync(path.join(dir, 'gateway.private.jwk.json')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path.join(dir, 'jwks.json'), 'utf8'))).toEqual(first.jwks);
  });

  it('produces keys that @neurosphere/auth signs and verifies with', async () => {
    const keyring = await generateServiceKeyring(['gateway', 'memory'], 'test');
    const signer = createServiceTokenSigner({ issuer: 'gateway', privateJwk: keyring.privateKeys.gateway! });
    const verify = createServiceTokenVerifier({ audience: 'memory', allowedIssuers: ['gateway'], jwks: keyring.jwks });
    const token = await signer.sign({ audience: 'memory', customerId: 7 });
    await expect(verify(token)).resolves.toMatchObject({ customerId: 7, issuer: 'gateway' });
  });
});
