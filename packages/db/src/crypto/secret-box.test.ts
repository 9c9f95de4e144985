import { randomBytes } from 'node:crypto';
import { SecretBoxError, credentialAssociatedData, decryptSecret, encryptSecret, parseKeyring } from './secret-box';

const key = () => randomBytes(32).toString('base64');

describe('encryptSecret / decryptSecret', () => {
  const keyring = parseKeyring(JSON.stringify({ k1: key() }), 'k1');

  it('round-trips a secret and records the key id', () => {
    const secret = encryptSecret({ plaintext: 'auth-token-ü-123', keyring });
    expect(secret.keyId).toBe('k1');
    expect(secret.iv).toHaveLength(12);
    expect(secret.authTag).toHaveLength(16);
    expect(secret.ciphertext.toString('utf8')).not.toContain('auth-token');
    expect(decryptSecret({ secret, keyring })).toBe('auth-token-ü-123');
  });

  it('uses a fresh iv for every encryption', () => {
    const first = encryptSecret({ plaintext: 'same', keyring });
    const second = encryptSecret({ plaintext: 'same', keyring });
    expect(first.iv.equals(second.iv)).toBe(false);
    expect(first.ciphertext.equals(second.ciphertext)).toBe(false);
  });

  it.each([
    ['ciphertext', (s: ReturnType<typeof encryptSecret>) => ({ ...s, ciphertext: flipFirstBit(s.ciphertext) })],
    ['iv', (s: ReturnType<typeof encryptSecret>) => ({ ...s, iv: flipFirstBit(s.iv) })],
    ['auth tag', (s: ReturnType<typeof encryptSecret>) => ({ ...s, authTag: flipFirstBit(s.authTag) })],
  ])('rejects a tampered %s', (_part, tamper) => {
    const secret = tamper(encryptSecret({ plaintext: 'secret', keyring }));
    expect(() => decryptSecret({ secret, keyring })).toThrow(SecretBoxError);
    expect(() => decryptSecret({ secret, keyring })).toThrow(/failed authentication/);
  });

  it('binds the secret to its associated data (no copying between tenants)', () => {
    const secret = encryptSecret({
      plaintext: 'secret',
      keyring,
      associatedData: credentialAssociatedData(1, 'twilio'),
    });
    expect(decryptSecret({ secret, keyring, associatedData: credentialAssociatedData(1, 'twilio') })).toBe('secret');
    expect(() => decryptSecret({ secret, keyring, associatedData: credentialAssociatedData(2, 'twilio') })).toThrow(SecretBoxError);
    expect(() => decryptSecret({ secret, keyring })).toThrow(SecretBoxError);
  });

  it('keeps decrypting old secrets after the active key rotates', () => {
    const oldKey = key();
    const before = parseKeyring(JSON.stringify({ old: oldKey }), 'old');
    const oldSecret = encryptSecret({ plaintext: 'made with old', keyring: before });

    const after = parseKeyring(JSON.stringify({ old: oldKey, new: key() }), 'new');
    const newSecret = encryptSecret({ plaintext: 'made with new', keyring: after });

    expect(newSecret.keyId).toBe('new');
    expect(decryptSecret({ secret: oldSecret, keyring: after })).toBe('made with old');
    expect(decryptSecret({ secret: newSecret, keyring: after })).toBe('made with new');
  });

  it('names the missing key id when a retired key is gone', () => {
    const secret = encryptSecret({ plaintext: 'x', keyring });
    const retired = parseKeyring(JSON.stringify({ k2: key() }), 'k2');
    expect(() => decryptSecret({ secret, keyring: retired })).toThrow('key id "k1", which is not in the keyring');
  });
});

describe('parseKeyring', () => {
  it('parses keys and the active id', () => {
    const keyring = parseKeyring(JSON.stringify({ a: key(), b: key() }), 'b');
    expect(Object.keys(keyring.keys)).toEqual(['a', 'b']);
    expect(keyring.keys.a).toHaveLength(32);
    expect(keyring.activeKeyId).toBe('b');
  });

  it.each([
    ['not json', 'a', /BYOK_KEYS must be JSON/],
    ['[]', 'a', /BYOK_KEYS must be a JSON object/],
    ['{}', 'a', /BYOK_KEYS has no keys/],
    [JSON.stringify({ a: 42 }), 'a', /BYOK_KEYS\["a"\] must be a base64 string/],
    [JSON.stringify({ a: randomBytes(16).toString('base64') }), 'a', /BYOK_KEYS\["a"\] must decode to 32 bytes, got 16/],
    [JSON.stringify({ a: randomBytes(32).toString('base64') }), 'b', /BYOK_ACTIVE_KEY_ID "b" is not a key id/],
  ])('rejects %s with active id %s', (json, active, message) => {
    expect(() => parseKeyring(json, active)).toThrow(message);
  });

  it('never puts key material in an error message', () => {
    const short = randomBytes(31).toString('base64');
    expect(() => parseKeyring(JSON.stringify({ a: short }), 'a')).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(short) as unknown }) as Error,
    );
  });
});

function flipFirstBit(buffer: Buffer): Buffer {
  const copy = Buffer.from(buffer);
  copy[0] = (copy[0] ?? 0) ^ 1;
  return copy;
}
