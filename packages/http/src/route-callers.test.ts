import { createServiceTokenSigner, generateServiceKeyPair } from '@neurosphere/auth';
import type { ServiceName, ServiceTokenSigner } from '@neurosphere/auth';
import { initContract } from '@ts-rest/core';
import { initServer } from '@ts-rest/express';
import type { Express } from 'express';
import request from 'supertest';
import { z } from 'zod';
import { captureLogs } from '../test/log-capture';
import { authenticateService } from './authenticate-service';
import { mountContract } from './contract-endpoints';
import { callersOfAnyRoute, requireRouteCaller } from './route-callers';
import { createServiceApp } from './service-app';

const c = initContract();
const ok = { 200: z.object({ ok: z.literal(true) }) };
const contract = c.router({
  ping: { method: 'GET', path: '/ping', responses: ok },
  pong: { method: 'GET', path: '/pong', responses: ok },
  unlisted: { method: 'GET', path: '/unlisted', responses: ok },
});

// `unlisted` is missing: a RouteCallers map cannot miss a route, but the check must not rely on that.
const CALLERS: Readonly<Record<string, readonly ServiceName[]>> = { ping: ['gateway', 'orchestrator'], pong: [] };

describe('requireRouteCaller', () => {
  const signers = new Map<ServiceName, ServiceTokenSigner>();
  let app: Express;

  beforeAll(async () => {
    const publicKeys = [];
    for (const service of ['gateway', 'orchestrator', 'sms'] as const) {
      const { privateJwk, publicJwk } = await generateServiceKeyPair(`${service}-route-callers-test`);
      signers.set(service, createServiceTokenSigner({ issuer: service, privateJwk }));
      publicKeys.push(publicJwk);
    }
    const { app: serviceApp, finish } = createServiceApp({ service: 'memory', logger: captureLogs().logger, readinessChecks: {} });
    serviceApp.use(authenticateService({ audience: 'memory', allowedIssuers: callersOfAnyRoute(CALLERS), jwks: { keys: publicKeys } }));
    // An Express route that is not part of the contract: ts-rest never marked it.
    serviceApp.get('/plain', requireRouteCaller(contract, CALLERS), (_req, res) => void res.json({ ok: true }));
    const s = initServer();
    const answer = async () => ({ status: 200 as const, body: { ok: true as const } });
    mountContract(contract, s.router(contract, { ping: answer, pong: answer, unlisted: answer }), serviceApp, {
      globalMiddleware: [requireRouteCaller(contract, CALLERS)],
    });
    app = finish();
  });

  const get = async (path: string, issuer: ServiceName) =>
    request(app)
      .get(path)
      .set('authorization', `Bearer ${await signers.get(issuer)!.sign({ audience: 'memory', customerId: 1 })}`);

  it('lets each listed caller through', async () => {
    for (const issuer of ['gateway', 'orchestrator'] as const) {
      const response = await get('/ping', issuer);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ ok: true });
    }
  });

  it('refuses, at authentication, a service that calls no route (401)', async () => {
    const response = await get('/ping', 'sms');
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ success: false, error: 'Service token issuer sms is not allowed', code: 'UNAUTHENTICATED' });
  });

  it.each([
    ['a route whose list is empty', '/pong', 'Service orchestrator may not call GET /pong'],
    ['a route the map does not name', '/unlisted', 'Service orchestrator may not call GET /unlisted'],
    ['a request ts-rest did not match to a route', '/plain', 'Service orchestrator may not call this route'],
  ])('fails closed on %s (403)', async (_case, path, error) => {
    const response = await get(path, 'orchestrator');
    expect(response.status).toBe(403);
    expect(response.body).toEqual({ success: false, error, code: 'FORBIDDEN' });
  });
});

describe('callersOfAnyRoute', () => {
  it('is every service listed on some route, once each, sorted', () => {
    expect(callersOfAnyRoute({ a: ['orchestrator', 'gateway'], b: ['gateway'], c: [] })).toEqual(['gateway', 'orchestrator']);
    expect(callersOfAnyRoute({ a: [] })).toEqual([]);
  });
});
