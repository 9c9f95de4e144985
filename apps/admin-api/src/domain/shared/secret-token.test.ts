import { formatToken, newSecret, parseTenantPublicPart, parseToken, secretMatches, tenantPublicPart, uuidToHex } from './secret-token';

const ROW_ID = '3f9a0c1e-7b2d-4c5e-9f10-a1b2c3d4e5f6';

describe('secret tokens', () => {
  it('round-trips a token of each shape and matches only its own secret', () => {
    const { secret, secretHash } = newSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const refresh = formatToken('nsr', uuidToHex(ROW_ID), secret);
    expect(parseToken('nsr', refresh)).toEqual({ publicPart: '3f9a0c1e7b2d4c5e9f10a1b2c3d4e5f6', secret });
    expect(secretMatches(secret, secretHash)).toBe(true);
    expect(secretMatches(newSecret().secret, secretHash)).toBe(false);

    const apiKey = formatToken('nsk', tenantPublicPart(42, ROW_ID), secret);
    const parsed = parseToken('nsk', apiKey);
    expect(parsed && parseTenantPublicPart(parsed.publicPart)).toEqual({ customerId: 42, id: ROW_ID });
  });

  it('refuses another kind, a truncated secret and malformed public parts', () => {
    const { secret } = newSecret();
    expect(parseToken('nsk', formatToken('nsr', uuidToHex(ROW_ID), secret))).toBeNull();
    expect(parseToken('nsr', formatToken('nsr', uuidToHex(ROW_ID), secret.slice(1)))).toBeNull();
    expect(parseTenantPublicPart('0-3f9a0c1e7b2d4c5e9f10a1b2c3d4e5f6')).toBeNull();
    expect(parseTenantPublicPart('12-xyz')).toBeNull();
    expect(secretMatches(secret, new Uint8Array(31))).toBe(false);
  });
});
