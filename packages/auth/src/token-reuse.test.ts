import { ExpiringCache } from './expiring-cache';
import { generateServiceKeyPair } from './keys';
import type { ServicePrivateJwk, ServicePublicJwk } from './keys';
import { createServiceTokenSigner } from './sign';
import { createServiceTokenVerifier, ServiceAuthError } from './verify';

let keys: { privateJwk: ServicePrivateJwk; publicJwk: ServicePublicJwk };
beforeAll(async () => {
  keys = await generateServiceKeyPair('gateway-1');
});

/** A clock the test moves by hand, shared by signer and verifier. */
function manualClock(startMs = Date.UTC(2026, 10, 29, 12, 0, 0)) {
  let now = startMs;
  return { nowMs: () => now, advanceSeconds: (seconds: number) => (now += seconds * 1000) };
}

describe('service token reuse (signer)', () => {
  it('hands out the same token for the same audience, tenant and call until half its lifetime has passed', async () => {
    const clock = manualClock();
    const signer = createServiceTokenSigner({ issuer: 'gateway', privateJwk: keys.privateJwk, nowMs: clock.nowMs });
    const first = await signer.sign({ audience: 'orchestrator', customerId: 7, callId: 'CA1' });

    clock.advanceSeconds(14);
    expect(await signer.sign({ audience: 'orchestrator', customerId: 7, callId: 'CA1' })).toBe(first);
    expect(await signer.sign({ audience: 'orchestrator', customerId: 7, callId: 'CA2' })).not.toBe(first);
    expect(await signer.sign({ audience: 'orchestrator', customerId: 8, callId: 'CA1' })).not.toBe(first);
    expect(await signer.sign({ audience: 'memory', customerId: 7, callId: 'CA1' })).not.toBe(first);
    expect(await signer.sign({ audience: 'orchestrator', customerId: 7 })).not.toBe(first);
    expect(await signer.sign({ audience: 'orchestrator', customerId: 7, callId: 'CA1', ttlSeconds: 60 })).not.toBe(first);

    clock.advanceSeconds(2); // 16 s into a 30 s token: less than half is left, so a fresh one
    const second = await signer.sign({ audience: 'orchestrator', customerId: 7, callId: 'CA1' });
    expect(second).not.toBe(first);
  });

  it('signs once for concurrent requests of the same token', async () => {
    const signer = createServiceTokenSigner({ issuer: 'gateway', privateJwk: keys.privateJwk });
    const tokens = await Promise.all(Array.from({ length: 5 }, () => signer.sign({ audience: 'memory', customerId: 3 })));
    expect(new Set(tokens).size).toBe(1);
  });

  it('signs every time when reuse is turned off', async () => {
    const signer = createServiceTokenSigner({ issuer: 'gateway', privateJwk: keys.privateJwk, reuseTokens: false });
    const a = await signer.sign({ audience: 'memory', customerId: 3 });
    const b = await signer.sign({ audience: 'memory', customerId: 3 });
    expect(a).not.toBe(b);
  });
});

describe('verified token cache (verifier)', () => {
  function setUp() {
    const clock = manualClock();
    const signer = createServiceTokenSigner({ issuer: 'gateway', privateJwk: keys.privateJwk, nowMs: clock.nowMs });
    const verify = createServiceTokenVerifier({
      audience: 'memory',
      allowedIssuers: ['gateway'],
      jwks: { keys: [keys.publicJwk] },
      nowMs: clock.nowMs,
    });
    return { clock, signer, verify };
  }

  it('answers a token it has already verified from the cache', async () => {
    const { signer, verify } = setUp();
    const token = await signer.sign({ audience: 'memory', customerId: 7, callId: 'CA9' });
    const first = await verify(token);
    expect(first).toEqual({ customerId: 7, issuer: 'gateway', callId: 'CA9', tokenId: expect.any(String) });
    expect(await verify(token)).toBe(first); // the same frozen object: no second verification
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('refuses a cached token once it has expired', async () => {
    const { clock, signer, verify } = setUp();
    const token = await signer.sign({ audience: 'memory', customerId: 7 });
    await verify(token);
    clock.advanceSeconds(30 + 5); // past exp and the 5 s clock tolerance
    await expect(verify(token)).rejects.toThrow(new ServiceAuthError('Service token has expired'));
  });

  it('does not let a cached token vouch for an altered one', async () => {
    const { signer, verify } = setUp();
    const token = await signer.sign({ audience: 'memory', customerId: 7 });
    await verify(token);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const altered = [header, Buffer.from(JSON.stringify({ ...claims, customer_id: 8 })).toString('base64url'), signature].join('.');
    await expect(verify(altered)).rejects.toThrow('Service token signature is invalid');
  });

  it('does not remember refused tokens: one refused as not yet valid is accepted once its time comes', async () => {
    const { clock, verify } = setUp();
    // A signer whose clock runs 10 s ahead: beyond the verifier's 5 s tolerance for nbf.
    const early = createServiceTokenSigner({ issuer: 'gateway', privateJwk: keys.privateJwk, nowMs: () => clock.nowMs() + 10_000 });
    const token = await early.sign({ audience: 'memory', customerId: 7 });
    await expect(verify(token)).rejects.toThrow('Service token is not yet valid');
    clock.advanceSeconds(10);
    await expect(verify(token)).resolves.toMatchObject({ customerId: 7 });
  });
});

describe('ExpiringCache', () => {
  it('drops expired entries on read', () => {
    const clock = manualClock(0);
    const cache = new ExpiringCache<string>(10, clock.nowMs);
    cache.set('a', 'A', 1_000);
    expect(cache.get('a')).toBe('A');
    clock.advanceSeconds(1);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('stays within its bound: sweeps expired entries first, then drops the oldest', () => {
    const clock = manualClock(0);
    const cache = new ExpiringCache<number>(10, clock.nowMs);
    for (let i = 0; i < 5; i++) cache.set(`short-${i}`, i, 500);
    for (let i = 0; i < 5; i++) cache.set(`long-${i}`, i, 60_000);
    clock.advanceSeconds(1);
    cache.set('new-0', 0, 60_000); // full: the five expired entries go, the live ones stay
    expect(cache.size).toBe(6);
    expect(cache.get('long-0')).toBe(0);

    for (let i = 1; i < 5; i++) cache.set(`new-${i}`, i, 60_000);
    cache.set('newest', 9, 60_000); // full and nothing expired: the oldest entry goes
    expect(cache.size).toBe(10);
    expect(cache.get('long-0')).toBeUndefined();
    expect(cache.get('long-1')).toBe(1);
    expect(cache.get('newest')).toBe(9);
  });

  it('holds nothing when its bound is 0', () => {
    const cache = new ExpiringCache<number>(0);
    cache.set('a', 1, Date.now() + 60_000);
    expect(cache.get('a')).toBeUndefined();
  });
});
