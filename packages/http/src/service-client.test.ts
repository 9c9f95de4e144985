import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServiceTokenSigner, generateServiceKeyPair, getAuth } from '@neurosphere/auth';
import type { ServiceAuth } from '@neurosphere/auth';
import { initContract } from '@ts-rest/core';
import { initServer } from '@ts-rest/express';
import request from 'supertest';
import { z } from 'zod';
import { authenticateService } from './authenticate-service';
import { mountContract } from './contract-endpoints';
import { createLogger } from './logger';
import { createServiceApp } from './service-app';
import { createServiceClient, UpstreamError } from './service-client';
import type { ServiceClient } from './service-client';

const c = initContract();
const errorBody = z.object({ success: z.literal(false), error: z.string(), code: z.string() });

// A service's contract as the platform writes them: tenant routes behind service auth, one public route.
const tenantRoutes = c.router({
  getThing: {
    method: 'POST',
    path: '/v1/things/:id',
    pathParams: z.object({ id: z.string() }),
    body: z.object({ customer_id: z.number() }),
    responses: {
      200: z.object({ customer_id: z.number(), id: z.string(), name: z.string() }),
      400: errorBody,
      401: errorBody,
      403: errorBody,
      404: errorBody,
      429: errorBody,
      503: errorBody,
    },
  },
  queueThing: {
    method: 'POST',
    path: '/v1/queue',
    body: z.object({ customer_id: z.number() }),
    responses: { 202: z.object({ queued: z.literal(true) }) },
  },
});
const publicRoutes = c.router({
  audio: {
    method: 'GET',
    path: '/v1/audio/:token',
    responses: { 200: c.otherResponse({ contentType: 'audio/mpeg', body: z.any() }), 404: errorBody },
  },
});
const contract = c.router({ things: tenantRoutes, public: publicRoutes });

interface Seen {
  requestId: string | undefined;
  authorization: string | undefined;
  auth?: ServiceAuth;
}

const ERRORS: Record<string, { status: 400 | 404 | 429 | 503; code: string }> = {
  refused: { status: 400, code: 'VALIDATION_FAILED' },
  missing: { status: 404, code: 'NOT_FOUND' },
  busy: { status: 429, code: 'RATE_LIMITED' },
  down: { status: 503, code: 'UNAVAILABLE' },
};

describe('createServiceClient', () => {
  let server: Server;
  let baseUrl: string;
  let client: ServiceClient<typeof contract>;
  const seen: Seen[] = [];
  const CUSTOMER = 41;

  beforeAll(async () => {
    const { privateJwk, publicJwk } = await generateServiceKeyPair('gateway-service-client-test');
    const signer = createServiceTokenSigner({ issuer: 'gateway', privateJwk });
    const { app, finish } = createServiceApp({
      service: 'orchestrator',
      logger: createLogger({ service: 'test', level: 'silent' }),
      readinessChecks: {},
    });
    app.use((req, _res, next) => {
      seen.push({ requestId: req.id, authorization: req.headers.authorization });
      next();
    });
    // Answers the contract cannot describe: only a hand-written route sends them.
    app.post('/v1/things/invalid', (_req, res) => void res.json({ customer_id: CUSTOMER, id: 'invalid' }));
    app.post('/v1/things/html', (_req, res) => void res.type('html').send('<h1>Bad gateway</h1>'));

    const s = initServer();
    mountContract(
      publicRoutes,
      s.router(publicRoutes, {
        audio: async ({ params }) =>
          params.token === 'known'
            ? { status: 200 as const, body: Buffer.from([1, 2, 3]) }
            : { status: 404 as const, body: { success: false as const, error: 'no audio', code: 'NOT_FOUND' } },
      }),
      app,
    );
    app.use(authenticateService({ audience: 'orchestrator', allowedIssuers: ['gateway'], jwks: { keys: [publicJwk] } }));
    mountContract(
      tenantRoutes,
      s.router(tenantRoutes, {
        getThing: async ({ params, res }) => {
          const auth = getAuth(res);
          seen.at(-1)!.auth = auth;
          const error = ERRORS[params.id];
          if (error) return { status: error.status, body: { success: false as const, error: `thing ${params.id}`, code: error.code } };
          if (params.id === 'slow') await once(res, 'close');
          const customerId = params.id === 'foreign' ? auth.customerId + 1 : auth.customerId;
          return { status: 200 as const, body: { customer_id: customerId, id: params.id, name: `Thing ${params.id}` } };
        },
        queueThing: async () => ({ status: 202 as const, body: { queued: true as const } }),
      }),
      app,
    );
    server = createServer(finish());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    client = createServiceClient(contract, { service: 'orchestrator', baseUrl, signer, timeoutMs: 2_000 });
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const getThing = (id: string, scope: { customerId: number; callSid?: string; requestId?: string; timeoutMs?: number }) =>
    client.call(
      'get thing',
      scope,
      (api, init) => api.things.getThing({ ...init, params: { id }, body: { customer_id: scope.customerId } }),
      200,
    );

  /** The UpstreamError a failing call threw. */
  async function failure(pending: Promise<unknown>): Promise<UpstreamError> {
    const error: unknown = await pending.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(UpstreamError);
    return error as UpstreamError;
  }

  it('sends a token for the tenant and call that the real auth middleware accepts, and returns the validated answer', async () => {
    const response = await getThing('a', { customerId: CUSTOMER, callSid: 'CA123' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ customer_id: CUSTOMER, id: 'a', name: 'Thing a' });
    expect(seen.at(-1)!.auth).toEqual(expect.objectContaining({ customerId: CUSTOMER, issuer: 'gateway', callId: 'CA123' }));
  });

  it("forwards the caller's request id, and sends a fresh one when there is none", async () => {
    const response = await getThing('a', { customerId: CUSTOMER, requestId: 'req-from-twilio-1' });
    expect(seen.at(-1)!.requestId).toBe('req-from-twilio-1');
    expect(response.headers.get('x-request-id')).toBe('req-from-twilio-1');

    await getThing('a', { customerId: CUSTOMER });
    expect(seen.at(-1)!.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends on the id of the request being served when the call names none (after a JSON body was read)', async () => {
    // An upstream service: its handler calls this client without passing any request id along.
    const { app, finish } = createServiceApp({
      service: 'gateway',
      logger: createLogger({ service: 'test', level: 'silent' }),
      readinessChecks: {},
    });
    app.post('/relay', async (req, res) => {
      const body = req.body as { customerId: number };
      await getThing('a', { customerId: body.customerId });
      res.json({ forwarded: seen.at(-1)!.requestId });
    });
    const response = await request(finish()).post('/relay').set('x-request-id', 'req-incoming-7').send({ customerId: CUSTOMER });
    expect(response.body).toEqual({ forwarded: 'req-incoming-7' });
  });

  it.each([
    ['refused', 400, 'error_status', true],
    ['missing', 404, 'not_found', true],
    ['busy', 429, 'error_status', false],
    ['down', 503, 'error_status', false],
  ] as const)("turns a %s answer (%i) into reason %s, permanent %s, with the body's code", async (id, status, reason, permanent) => {
    const error = await failure(getThing(id, { customerId: CUSTOMER, requestId: `req-${id}` }));
    expect(error).toMatchObject({
      service: 'orchestrator',
      operation: 'get thing',
      reason,
      status,
      permanent,
      code: ERRORS[id]!.code,
      requestId: `req-${id}`,
    });
    expect(error.message).toBe(`orchestrator answered HTTP ${status}: thing ${id}`);
  });

  it('turns a refusal by the auth middleware into a permanent error_status (body naming another tenant than the token)', async () => {
    const pending = client.call(
      'get thing',
      { customerId: CUSTOMER },
      (api, init) => api.things.getThing({ ...init, params: { id: 'a' }, body: { customer_id: CUSTOMER + 1 } }),
      200,
    );
    expect(await failure(pending)).toMatchObject({ reason: 'error_status', status: 403, permanent: true });
  });

  it('refuses an answer for another tenant than the one asked for', async () => {
    const error = await failure(getThing('foreign', { customerId: CUSTOMER }));
    expect(error).toMatchObject({ reason: 'invalid_response', status: 200, permanent: true });
    expect(error.message).toContain(`for customer ${CUSTOMER + 1}, not ${CUSTOMER}`);
  });

  it.each([
    ['breaks the contract', 'invalid'],
    ['is not JSON', 'html'],
  ])('refuses a success whose body %s, as a permanent invalid_response', async (_case, id) => {
    expect(await failure(getThing(id, { customerId: CUSTOMER }))).toMatchObject({
      reason: 'invalid_response',
      status: undefined,
      permanent: true,
    });
  });

  it('treats a success status other than the expected one as a transient error_status', async () => {
    const pending = client.call(
      'queue',
      { customerId: CUSTOMER },
      (api, init) => api.things.queueThing({ ...init, body: { customer_id: CUSTOMER } }),
      202,
    );
    await expect(pending).resolves.toMatchObject({ status: 202, body: { queued: true } });
    const wrong = client.call(
      'get thing',
      { customerId: CUSTOMER },
      (api, init) => api.things.getThing({ ...init, params: { id: 'a' }, body: { customer_id: CUSTOMER } }),
      404,
    );
    expect(await failure(wrong)).toMatchObject({ reason: 'error_status', status: 200, permanent: false });
  });

  it('gives up after the time limit with a transient timeout', async () => {
    const pending = getThing('slow', { customerId: CUSTOMER, timeoutMs: 100 });
    const error = await failure(pending);
    expect(error).toMatchObject({ reason: 'timeout', status: undefined, permanent: false });
    expect(error.message).toBe('orchestrator get thing timed out after 100 ms');
  });

  it('sends nothing when no time is left', async () => {
    const before = seen.length;
    expect(await failure(getThing('a', { customerId: CUSTOMER, timeoutMs: 0 }))).toMatchObject({ reason: 'timeout', permanent: false });
    expect(seen.length).toBe(before);
  });

  it('reports a service that does not listen as a transient unreachable', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const { privateJwk } = await generateServiceKeyPair('gateway-unreachable-test');
    const down = createServiceClient(contract, {
      service: 'orchestrator',
      baseUrl: `http://127.0.0.1:${port}`,
      signer: createServiceTokenSigner({ issuer: 'gateway', privateJwk }),
      timeoutMs: 2_000,
    });
    const error = await failure(
      down.call(
        'get thing',
        { customerId: CUSTOMER },
        (api, init) => api.things.getThing({ ...init, params: { id: 'a' }, body: { customer_id: CUSTOMER } }),
        200,
      ),
    );
    expect(error).toMatchObject({ reason: 'unreachable', status: undefined, permanent: false });
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('calls an unauthenticated route without a token, and hands other content types over as a Blob', async () => {
    const response = await client.call(
      'audio',
      { unauthenticated: true },
      (api, init) => api.public.audio({ ...init, params: { token: 'known' } }),
      200,
    );
    expect(seen.at(-1)!.authorization).toBeUndefined();
    expect(response.headers.get('content-type')).toBe('audio/mpeg');
    expect([...Buffer.from(await (response.body as Blob).arrayBuffer())]).toEqual([1, 2, 3]);

    const missing = client.call(
      'audio',
      { unauthenticated: true },
      (api, init) => api.public.audio({ ...init, params: { token: 'gone' } }),
      200,
    );
    expect(await failure(missing)).toMatchObject({ reason: 'not_found', status: 404 });
  });
});
