import { createServiceTokenSigner, generateServiceKeyPair } from '@neurosphere/auth';
import { withTenant } from '@neurosphere/db';
import { uniqueCallSid, uniquePhone, useHarness } from '@neurosphere/testing';
import request from 'supertest';
import type { Test } from 'supertest';
import { threadIdFor } from '../domain/callers/thread-id';
import { startHarness, createTenantWithTemplate, everyRouteOpenTo, publishInsuranceTemplate } from '../../test/harness';

/**
 * Every memory route refuses a request without a valid service token (401), without a
 * customer_id (400, the original API's message), or with a customer_id other than the token's
 * (403), before anything is read or written.
 */
describe('memory routes: service auth and tenant matching', () => {
  const kit = useHarness(startHarness);
  let tenantA: number;
  let tenantB: number;
  const caller = uniquePhone();
  const encodedCaller = encodeURIComponent(caller);
  const memoryId = '6f1f2c3a-1b2c-4d5e-8f90-1234567890ab';

  beforeAll(async () => {
    const template = await publishInsuranceTemplate(kit.platformDb, 'insurance-auth');
    tenantA = await createTenantWithTemplate(kit.platformDb, template);
    tenantB = await createTenantWithTemplate(kit.platformDb, template);
  });

  type Send = (customerId: number | undefined) => Test;

  /** A valid process-call body for `caller` of tenant A, with `overrides`. */
  const processCallBody = (overrides: Record<string, unknown> = {}) => ({
    customer_id: tenantA,
    user_id: caller,
    thread_id: threadIdFor(tenantA, caller),
    call_sid: uniqueCallSid(),
    conversation_history: [{ role: 'caller', text: 'hello' }],
    ...overrides,
  });

  /** Every route of the memory API, called with the given customer_id (or none). */
  const routes: Array<[string, Send]> = [
    ['POST /v2/context/enriched', (id) => request(kit.app).post('/v2/context/enriched').send({ customer_id: id, user_id: caller })],
    [
      'POST /v2/process-call',
      (id) =>
        request(kit.app)
          .post('/v2/process-call')
          .send({
            customer_id: id,
            user_id: caller,
            thread_id: threadIdFor(id ?? tenantA, caller),
            call_sid: uniqueCallSid(),
            conversation_history: [{ role: 'caller', text: 'hello' }],
          }),
    ],
    [
      'GET /v2/summaries/:user_id',
      (id) =>
        request(kit.app)
          .get(`/v2/summaries/${encodedCaller}`)
          .query(id ? { customer_id: id } : {}),
    ],
    [
      'GET /v2/profile/:user_id',
      (id) =>
        request(kit.app)
          .get(`/v2/profile/${encodedCaller}`)
          .query(id ? { customer_id: id } : {}),
    ],
    [
      'GET /v2/personality/:user_id',
      (id) =>
        request(kit.app)
          .get(`/v2/personality/${encodedCaller}`)
          .query(id ? { customer_id: id } : {}),
    ],
    [
      'DELETE /v2/callers/:user_id',
      (id) =>
        request(kit.app)
          .delete(`/v2/callers/${encodedCaller}`)
          .query(id ? { customer_id: id } : {}),
    ],
    [
      'GET /v2/jobs',
      (id) =>
        request(kit.app)
          .get('/v2/jobs')
          .query(id ? { customer_id: id } : {}),
    ],
    [
      'GET /v1/memories/user/:user_id',
      (id) =>
        request(kit.app)
          .get(`/v1/memories/user/${encodedCaller}`)
          .query(id ? { customer_id: id } : {}),
    ],
    [
      'GET /v1/memories',
      (id) =>
        request(kit.app)
          .get('/v1/memories')
          .query(id ? { customer_id: id, user_id: caller } : { user_id: caller }),
    ],
    ['POST /v1/memories', (id) => request(kit.app).post('/v1/memories').send({ customer_id: id, user_id: caller, content: 'x' })],
    [
      'DELETE /v1/memories/:id',
      (id) =>
        request(kit.app)
          .delete(`/v1/memories/${memoryId}`)
          .query(id ? { customer_id: id } : {}),
    ],
    ['POST /memory/store', (id) => request(kit.app).post('/memory/store').send({ customer_id: id, user_id: caller, content: 'x' })],
  ];

  it.each(routes)('%s: no token → 401', async (_name, send) => {
    const response = await send(tenantA);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ success: false, error: 'Missing bearer token', code: 'UNAUTHENTICATED' });
  });

  it.each(routes)('%s: a token signed with a key memory does not trust (forged) → 401', async (_name, send) => {
    // Same key id as a trusted key, different private key: the signature does not verify.
    const trustedKid = kit.jwks.keys[0]!.kid;
    const forger = await generateServiceKeyPair(trustedKid);
    const forged = await createServiceTokenSigner({ issuer: 'orchestrator', privateJwk: forger.privateJwk }).sign({
      audience: 'memory',
      customerId: tenantA,
    });
    const response = await send(tenantA).set('authorization', `Bearer ${forged}`);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ success: false, error: 'Service token signature is invalid', code: 'UNAUTHENTICATED' });
  });

  it.each(routes)('%s: a token from a service not allowed to call memory → 401', async (_name, send) => {
    const response = await send(tenantA).set('authorization', `Bearer ${await kit.token(tenantA, 'worker')}`);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ success: false, error: 'Service token issuer worker is not allowed', code: 'UNAUTHENTICATED' });
  });

  it.each(routes)('%s: no customer_id → 400', async (_name, send) => {
    const response = await send(undefined).set('authorization', `Bearer ${await kit.token(tenantA)}`);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ success: false, error: 'customer_id is required for multi-tenant security', code: 'BAD_REQUEST' });
  });

  it.each(routes)("%s: another tenant's customer_id → 403", async (_name, send) => {
    const response = await send(tenantB).set('authorization', `Bearer ${await kit.token(tenantA)}`);
    expect(response.status).toBe(403);
    expect(response.body).toEqual({ success: false, error: 'customer_id does not match the authenticated tenant', code: 'FORBIDDEN' });
  });

  it('refuses a customer_id smuggled in both places or as a non-number', async () => {
    const token = await kit.token(tenantA);
    const both = await request(kit.app)
      .post('/v2/context/enriched')
      .query({ customer_id: tenantA })
      .set('authorization', `Bearer ${token}`)
      .send({ customer_id: tenantB, user_id: caller });
    expect(both.status).toBe(403);
    const text = await request(kit.app)
      .post('/v2/context/enriched')
      .set('authorization', `Bearer ${token}`)
      .send({ customer_id: `${tenantA} OR 1=1`, user_id: caller });
    expect(text.status).toBe(403);
  });

  it.each(['sms', 'orchestrator'] as const)('accepts tokens issued by %s, a caller of the route', async (issuer) => {
    const response = await request(kit.app)
      .post('/v2/context/enriched')
      .set('authorization', `Bearer ${await kit.token(tenantA, issuer)}`)
      .send({ customer_id: tenantA, user_id: caller });
    expect(response.status).toBe(200);
  });

  it.each(['gateway'] as const)('refuses %s, which calls no memory route (401)', async (issuer) => {
    const response = await request(kit.app)
      .post('/v2/context/enriched')
      .set('authorization', `Bearer ${await kit.token(tenantA, issuer)}`)
      .send({ customer_id: tenantA, user_id: caller });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ success: false, error: `Service token issuer ${issuer} is not allowed`, code: 'UNAUTHENTICATED' });
  });

  it('refuses admin-api, which only erases callers, on the context route (403)', async () => {
    const response = await request(kit.app)
      .post('/v2/context/enriched')
      .set('authorization', `Bearer ${await kit.token(tenantA, 'admin-api')}`)
      .send({ customer_id: tenantA, user_id: caller });
    expect(response.status).toBe(403);
    expect(response.body).toEqual({ success: false, error: 'Service admin-api may not call POST /v2/context/enriched', code: 'FORBIDDEN' });
  });

  it('refuses a caller of memory on a route it does not call (403), and writes nothing', async () => {
    const callSid = uniqueCallSid();
    const response = await request(kit.app)
      .post('/v2/process-call')
      .set('authorization', `Bearer ${await kit.token(tenantA, 'sms')}`)
      .send(processCallBody({ call_sid: callSid }));
    expect(response.status).toBe(403);
    expect(response.body).toEqual({ success: false, error: 'Service sms may not call POST /v2/process-call', code: 'FORBIDDEN' });
    expect(await kit.queue.getJob(`process-call:${tenantA}:${callSid}`)).toBeUndefined();
  });

  it('refuses every service on the routes no service calls (403)', async () => {
    const response = await request(kit.app)
      .delete(`/v2/callers/${encodedCaller}`)
      .query({ customer_id: tenantA })
      .set('authorization', `Bearer ${await kit.token(tenantA, 'orchestrator')}`);
    expect(response.status).toBe(403);
    expect(response.body).toEqual({
      success: false,
      error: 'Service orchestrator may not call DELETE /v2/callers/:user_id',
      code: 'FORBIDDEN',
    });
  });

  it('refuses a token signed with the sms key that claims to come from the orchestrator (401)', async () => {
    const smsKid = kit.jwks.keys.find((key) => key.kid.startsWith('sms-'))!.kid;
    const response = await request(kit.app)
      .post('/v2/process-call')
      .set('authorization', `Bearer ${await kit.tokenSignedWith(tenantA, 'sms', 'orchestrator')}`)
      .send(processCallBody());
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      success: false,
      error: `Service token issuer orchestrator does not own key ${smsKid}`,
      code: 'UNAUTHENTICATED',
    });
  });

  describe('request validation (after auth)', () => {
    // Validation is checked on routes no service calls yet too (MEMORY_CALLERS refuses them), so
    // this block's app lets the orchestrator call every route.
    const open = useHarness(() => startHarness({ callers: everyRouteOpenTo('orchestrator') }));

    async function post(path: string, body: Record<string, unknown>) {
      return request(open.app)
        .post(path)
        .set('authorization', `Bearer ${await open.token(tenantA)}`)
        .send(body);
    }

    it('normalizes user_id to E.164', async () => {
      const response = await post('/v2/context/enriched', { customer_id: tenantA, user_id: '(212) 555-0123' });
      expect(response.status).toBe(200);
      expect(response.body.user_id).toBe('+12125550123');
    });

    it('refuses an invalid phone number naming body.user_id', async () => {
      const response = await post('/memory/store', { customer_id: tenantA, user_id: '+1 555 0100', content: 'x' });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        success: false,
        error: 'Invalid body.user_id: "+1 555 0100" is not a valid phone number',
        code: 'VALIDATION_FAILED',
        details: [{ path: 'body.user_id', message: '"+1 555 0100" is not a valid phone number' }],
      });
    });

    it('refuses an invalid phone number in the path naming params.user_id', async () => {
      const response = await request(open.app)
        .get('/v2/profile/not-a-phone')
        .query({ customer_id: tenantA })
        .set('authorization', `Bearer ${await open.token(tenantA)}`);
      expect(response.status).toBe(400);
      expect(response.body.details).toEqual([{ path: 'params.user_id', message: '"not-a-phone" is not a valid phone number' }]);
    });

    it('refuses a thread_id that names another tenant, and writes nothing', async () => {
      const callSid = uniqueCallSid();
      const response = await post('/v2/process-call', processCallBody({ thread_id: threadIdFor(tenantB, caller), call_sid: callSid }));
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        success: false,
        error: `Invalid body.thread_id: expected "${threadIdFor(tenantA, caller)}" for this customer_id and user_id`,
        code: 'VALIDATION_FAILED',
        details: [
          { path: 'body.thread_id', message: `must be "${threadIdFor(tenantA, caller)}" (customer_{customer_id}_user_{E.164 digits})` },
        ],
      });
      expect(await open.queue.getJob(`process-call:${tenantA}:${callSid}`)).toBeUndefined();
      expect(await withTenant(open.db, tenantA, (tx) => tx.callSummary.count({ where: { customerId: tenantA, callSid } }))).toBe(0);
    });

    it('refuses an empty transcript naming the field', async () => {
      const response = await post('/v2/process-call', processCallBody({ conversation_history: [] }));
      expect(response.status).toBe(400);
      expect(response.body.details).toEqual([{ path: 'body.conversation_history', message: 'conversation_history must not be empty' }]);
    });

    it('bounds limit', async () => {
      const response = await request(open.app)
        .get('/v1/memories')
        .query({ customer_id: tenantA, limit: 5000 })
        .set('authorization', `Bearer ${await open.token(tenantA)}`);
      expect(response.status).toBe(400);
      expect(response.body.details).toEqual([{ path: 'query.limit', message: 'limit must be an integer between 1 and 200' }]);
    });
  });
});
