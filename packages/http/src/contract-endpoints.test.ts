import { initContract } from '@ts-rest/core';
import { initServer } from '@ts-rest/express';
import request from 'supertest';
import { z } from 'zod';
import { captureLogs } from '../test/log-capture';
import { mountContract } from './contract-endpoints';
import { AppError } from './errors';
import { createServiceApp } from './service-app';

const c = initContract();
const contract = c.router({
  getCaller: {
    method: 'GET',
    path: '/callers/:callerId',
    pathParams: z.object({ callerId: z.coerce.number().int().positive() }),
    query: z.object({ customer_id: z.string().regex(/^\d+$/, 'customer_id must be a positive integer') }),
    responses: { 200: z.object({ id: z.number(), name: z.string() }) },
  },
  createNote: {
    method: 'POST',
    path: '/notes',
    body: z.object({ customer_id: z.number(), text: z.string().min(1, 'text must not be empty') }),
    responses: { 201: z.object({ id: z.number() }) },
  },
});

function buildApp() {
  const { app, finish } = createServiceApp({ service: 'test', logger: captureLogs().logger, readinessChecks: {} });
  const s = initServer();
  mountContract(
    contract,
    s.router(contract, {
      getCaller: async ({ params }) => {
        if (params.callerId === 404) throw new AppError('NOT_FOUND', 'Caller 404 not found');
        if (params.callerId === 500) return { status: 200, body: { id: 500 } as unknown as { id: number; name: string } };
        // passwordHash is not in the contract: response validation must strip it.
        const row = { id: params.callerId, name: 'Caller', passwordHash: 'argon2$...' };
        return { status: 200, body: row };
      },
      createNote: async () => ({ status: 201, body: { id: 1 } }),
    }),
    app,
  );
  return finish();
}

describe('mountContract (ts-rest 3.52 on Express 5)', () => {
  it('serves a valid request and strips fields the contract does not declare', async () => {
    const response = await request(buildApp()).get('/callers/7?customer_id=3');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: 7, name: 'Caller' });
    expect(response.headers['etag']).toBeUndefined(); // no body hashing on every request
  });

  it('answers a bad query with 400 naming the field', async () => {
    const response = await request(buildApp()).get('/callers/7');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      success: false,
      error: 'Invalid query.customer_id: Required',
      code: 'VALIDATION_FAILED',
      details: [{ path: 'query.customer_id', message: 'Required' }],
    });
  });

  it('answers a bad body with 400 naming the field', async () => {
    const response = await request(buildApp()).post('/notes').send({ customer_id: 3, text: '' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      success: false,
      error: 'Invalid body.text: text must not be empty',
      code: 'VALIDATION_FAILED',
      details: [{ path: 'body.text', message: 'text must not be empty' }],
    });
  });

  it('answers a bad path parameter with 400 naming it', async () => {
    const response = await request(buildApp()).get('/callers/abc?customer_id=3');
    expect(response.status).toBe(400);
    expect(response.body.details[0].path).toBe('params.callerId');
  });

  it('passes AppErrors from handlers through', async () => {
    const response = await request(buildApp()).get('/callers/404?customer_id=3');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ success: false, error: 'Caller 404 not found', code: 'NOT_FOUND' });
  });

  it('turns a response that breaks the contract into a bare 500', async () => {
    const response = await request(buildApp()).get('/callers/500?customer_id=3');
    expect(response.status).toBe(500);
    expect(response.body).toEqual({ success: false, error: 'Internal server error', code: 'INTERNAL' });
  });
});
