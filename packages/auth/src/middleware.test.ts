import express from 'express';
import { base64url, importJWK, SignJWT } from 'jose';
import request from 'supertest';
import { generateServiceKeyPair, serviceJwksSchema, serviceOfKeyId } from './keys';
import type { ServicePrivateJwk, ServicePublicJwk } from './keys';
import { getAuth, createServiceAuth } from './middleware';
import type { TenantCheckOptions } from './middleware';
import { createServiceTokenSigner } from './sign';

let current: { privateJwk: ServicePrivateJwk; publicJwk: ServicePublicJwk };
let previous: { privateJwk: ServicePrivateJwk; publicJwk: ServicePublicJwk };
let stranger: { privateJwk: ServicePrivateJwk; publicJwk: ServicePublicJwk };
let orchestrator: { privateJwk: ServicePrivateJwk; publicJwk: ServicePublicJwk };
let adminApi: { privateJwk: ServicePrivateJwk; publicJwk: ServicePublicJwk };

beforeAll(async () => {
  current = await generateServiceKeyPair('gateway-2');
  previous = await generateServiceKeyPair('gateway-1');
  stranger = await generateServiceKeyPair('gateway-not-in-jwks');
  orchestrator = await generateServiceKeyPair('orchestrator-1');
  adminApi = await generateServiceKeyPair('admin-api-1');
});

function buildApp(tenantOptions: TenantCheckOptions = {}) {
  const app = express();
  app.use(express.json());
  app.use(
    createServiceAuth({
      audience: 'memory',
      allowedIssuers: ['gateway', 'orchestrator'],
      jwks: { keys: [current.publicJwk, previous.publicJwk, orchestrator.publicJwk, adminApi.publicJwk] },
      ...tenantOptions,
    }),
  );
  app.all('/whoami', (_req, res) => {
    res.json(getAuth(res));
  });
  return app;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Signs arbitrary claims with the current key, to build tokens our signer refuses to make. */
async function craftToken(claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  const now = nowSeconds();
  return new SignJWT({ iss: 'gateway', aud: 'memory', iat: now, nbf: now, exp: now + 30, jti: 'j-1', customer_id: 7, ...claims })
    .setProtectedHeader({ alg: 'EdDSA', kid: current.privateJwk.kid, ...header })
    .sign(await importJWK(current.privateJwk, 'EdDSA'));
}

const signAs = (issuer: 'gateway' | 'admin-api', keys = issuer === 'gateway' ? current : adminApi) =>
  createServiceTokenSigner({ issuer, privateJwk: keys.privateJwk });

function expectUnauthenticated(response: request.Response, error: string) {
  expect(response.status).toBe(401);
  expect(response.body).toEqual({ success: false, error, code: 'UNAUTHENTICATED' });
}

describe('createServiceAuth', () => {
  it('accepts a valid token and exposes the caller', async () => {
    const token = await signAs('gateway').sign({ audience: 'memory', customerId: 7, callId: 'CA123' });
    const response = await request(buildApp()).get('/whoami').set('Authorization', `Bearer ${token}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ customerId: 7, issuer: 'gateway', callId: 'CA123', tokenId: expect.any(String) });
  });

  it("accepts an iat a little ahead of this service's clock (within the 5 s tolerance)", async () => {
    const issued = nowSeconds() + 3;
    const token = await craftToken({ iat: issued, nbf: issued, exp: issued + 30 });
    const response = await request(buildApp()).get('/whoami').set('Authorization', `Bearer ${token}`);
    expect(response.status).toBe(200);
  });

  it('verifies tokens from both keys during a rotation', async () => {
    for (const keys of [previous, current]) {
      const token = await signAs('gateway', keys).sign({ audience: 'memory', customerId: 3 });
      const response = await request(buildApp()).get('/whoami').set('Authorization', `Bearer ${token}`);
      expect(response.status).toBe(200);
      expect(response.body.customerId).toBe(3);
    }
  });

  it('rejects a request without a bearer token', async () => {
    expectUnauthenticated(await request(buildApp()).get('/whoami'), 'Missing bearer token');
    expectUnauthenticated(await request(buildApp()).get('/whoami').set('Authorization', 'Basic abc'), 'Missing bearer token');
  });

  const now = nowSeconds();
  it.each<[string, () => Promise<string>, string]>([
    ['expired', () => craftToken({ iat: now - 100, nbf: now - 100, exp: now - 60 }), 'Service token has expired'],
    ['not yet valid', () => craftToken({ iat: now, nbf: now + 60, exp: now + 60 }), 'Service token is not yet valid'],
    ['wrong audience', () => signAs('gateway').sign({ audience: 'sms', customerId: 7 }), 'Service token has the wrong audience'],
    [
      'unknown issuer',
      () => signAs('admin-api').sign({ audience: 'memory', customerId: 7 }),
      'Service token issuer admin-api is not allowed',
    ],
    [
      'unknown key id',
      () => signAs('gateway', stranger).sign({ audience: 'memory', customerId: 7 }),
      'Service token key id gateway-not-in-jwks is unknown',
    ],
    [
      "gateway's key speaking as the orchestrator (an allowed caller)",
      () => craftToken({ iss: 'orchestrator' }),
      'Service token issuer orchestrator does not own key gateway-2',
    ],
    [
      'issued a day in the future (exp 30 s after that iat)',
      () => craftToken({ iat: now + 86_400, nbf: now, exp: now + 86_400 + 30 }),
      'Service token was issued in the future',
    ],
    [
      // exp is still ahead; the age is measured from iat on this service's clock.
      'issued 70 s ago, claiming to live 100 s',
      () => {
        const issued = nowSeconds() - 70;
        return craftToken({ iat: issued, nbf: issued, exp: issued + 100 });
      },
      'Service token was issued more than 60 seconds ago',
    ],
    [
      'tampered payload',
      async () => {
        const [header, , signature] = (await craftToken({ customer_id: 7 })).split('.');
        const forged = base64url.encode(
          JSON.stringify({ iss: 'gateway', aud: 'memory', iat: now, exp: now + 30, jti: 'x', customer_id: 8 }),
        );
        return `${header}.${forged}.${signature}`;
      },
      'Service token signature is invalid',
    ],
    [
      'alg none',
      async () => {
        const header = base64url.encode(JSON.stringify({ alg: 'none', kid: current.publicJwk.kid }));
        const payload = base64url.encode(
          JSON.stringify({ iss: 'gateway', aud: 'memory', iat: now, exp: now + 30, jti: 'x', customer_id: 7 }),
        );
        return `${header}.${payload}.`;
      },
      'Service token algorithm none is not supported',
    ],
    [
      'HS256 signed with the public key',
      async () => {
        const secret = new TextEncoder().encode(JSON.stringify(current.publicJwk));
        return new SignJWT({ customer_id: 7 })
          .setProtectedHeader({ alg: 'HS256', kid: current.publicJwk.kid })
          .setIssuer('gateway')
          .setAudience('memory')
          .setIssuedAt()
          .setExpirationTime('30s')
          .setJti('x')
          .sign(secret);
      },
      'Service token algorithm HS256 is not supported',
    ],
    ['missing customer_id', () => craftToken({ customer_id: undefined }), 'Service token has no customer_id claim'],
    ['non-integer customer_id', () => craftToken({ customer_id: '7' }), 'Service token customer_id must be a positive integer'],
    [
      'lifetime over 60 s',
      // iat and exp from one clock reading: exp - iat must be 61 however long the suite has run.
      () => {
        const issued = nowSeconds();
        return craftToken({ iat: issued, nbf: issued, exp: issued + 61 });
      },
      'Service token lifetime exceeds 60 seconds',
    ],
    ['missing exp', () => craftToken({ exp: undefined }), 'Service token has no exp claim'],
    ['garbage', async () => 'not.a.jwt', 'Service token is malformed'],
  ])('rejects %s', async (_name, makeToken, error) => {
    const token = await makeToken();
    expectUnauthenticated(await request(buildApp()).get('/whoami').set('Authorization', `Bearer ${token}`), error);
  });

  describe('tenant matching', () => {
    let token: string;
    beforeAll(async () => {
      token = await signAs('gateway').sign({ audience: 'memory', customerId: 7 });
    });
    const forbidden = { success: false, error: 'customer_id does not match the authenticated tenant', code: 'FORBIDDEN' };

    it('accepts a matching customer_id in query (numeric string) and body', async () => {
      const response = await request(buildApp())
        .post('/whoami?customer_id=7')
        .set('Authorization', `Bearer ${token}`)
        .send({ customer_id: 7 });
      expect(response.status).toBe(200);
    });

    it.each([
      ['query', '/whoami?customer_id=8', undefined],
      ['body', '/whoami', { customer_id: 8 }],
      ['camelCase body', '/whoami', { customerId: 8 }],
      ['non-numeric query', '/whoami?customer_id=7abc', undefined],
      ['repeated query', '/whoami?customer_id=7&customer_id=8', undefined],
    ])('rejects a disagreeing customer_id in the %s', async (_where, path, body) => {
      const response = await request(buildApp()).post(path).set('Authorization', `Bearer ${token}`).send(body);
      expect(response.status).toBe(403);
      expect(response.body).toEqual(forbidden);
    });

    it('requires customer_id in the request when asked to', async () => {
      const app = buildApp({ requireCustomerIdInRequest: true });
      const missing = await request(app).post('/whoami').set('Authorization', `Bearer ${token}`).send({});
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({
        success: false,
        error: 'customer_id is required for multi-tenant security',
        code: 'BAD_REQUEST',
      });
      const present = await request(app).get('/whoami?customer_id=7').set('Authorization', `Bearer ${token}`);
      expect(present.status).toBe(200);
    });
  });
});

describe('getAuth', () => {
  it('fails closed when the middleware did not run', async () => {
    const app = express();
    app.get('/unprotected', (_req, res) => {
      res.json(getAuth(res));
    });
    const response = await request(app).get('/unprotected');
    expect(response.status).toBe(500);
  });
});

describe('createServiceTokenSigner', () => {
  it('refuses a lifetime over 60 s and a non-positive tenant', async () => {
    const signer = signAs('gateway');
    await expect(signer.sign({ audience: 'memory', customerId: 7, ttlSeconds: 61 })).rejects.toThrow(
      'ttlSeconds must be an integer between 1 and 60 (got 61)',
    );
    await expect(signer.sign({ audience: 'memory', customerId: 0 })).rejects.toThrow('customerId must be a positive integer (got 0)');
  });

  it("refuses to sign with another service's key", () => {
    expect(() => createServiceTokenSigner({ issuer: 'admin-api', privateJwk: current.privateJwk })).toThrow(
      'the signing key gateway-2 belongs to gateway, not to admin-api',
    );
  });

  it('rejects a private key without kid', async () => {
    const { kid: _kid, ...withoutKid } = current.privateJwk;
    expect(() => createServiceTokenSigner({ issuer: 'gateway', privateJwk: withoutKid as ServicePrivateJwk })).toThrow(/kid/);
  });
});

describe('key ownership', () => {
  it.each([
    ['gateway-2026-12-05', 'gateway'],
    ['admin-api-dev', 'admin-api'],
    ['worker-test-x', 'worker'],
    ['sms-', undefined],
    ['smsx-1', undefined],
    ['k1', undefined],
  ])('reads the owner of kid %p as %p', (kid, owner) => {
    expect(serviceOfKeyId(kid)).toBe(owner);
  });

  it('refuses a key whose kid names no service, at load and when generating', async () => {
    const { kid: _kid, ...fields } = current.publicJwk;
    const parsed = serviceJwksSchema.safeParse({ keys: [{ ...fields, kid: 'k1' }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/^kid "k1" must be <service>-<label>, naming the service that owns the key/);
    await expect(generateServiceKeyPair('k1')).rejects.toThrow(/kid "k1" must be <service>-<label>/);
  });

  it('refuses a JWKS listing one kid twice', () => {
    const parsed = serviceJwksSchema.safeParse({ keys: [current.publicJwk, { ...stranger.publicJwk, kid: current.publicJwk.kid }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe('kid "gateway-2" is listed more than once');
  });
});
