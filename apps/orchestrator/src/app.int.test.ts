import { createServiceTokenSigner, generateServiceKeyPair } from '@neurosphere/auth';
import { describeHealthRoutes, signTokenClaimingIssuer, uniqueCallSid, uniquePhone, useHarness } from '@neurosphere/testing';
import { metricsListener, metricsRegistryOf } from '@neurosphere/http';
import request from 'supertest';
import { startHarness } from '../test/harness';

describe('orchestrator app', () => {
  const harness = useHarness(startHarness);

  describeHealthRoutes({
    app: () => harness.makeApp().app,
    appWithRedis: (redis) => ({ app: harness.makeApp({ redis }).app }),
  });

  it('serves its counters and per-route latency on the metrics listener, not on the app port', async () => {
    const { app } = harness.makeApp();
    await request(app).post('/v1/calls/start').send({}).expect(401);
    expect((await request(app).get('/metrics')).status).toBe(404);
    const response = await request(metricsListener(metricsRegistryOf(app))).get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.text).toContain('# TYPE orchestrator_dependency_failures_total counter');
    expect(response.text).toContain('# TYPE orchestrator_degraded_answers_total counter');
    expect(response.text).toContain('http_request_duration_seconds_count{method="POST",route="/v1/calls/start",status_code="401"} 1');
  });

  describe('service authentication', () => {
    const startBody = (customerId: number, callSid: string) => ({
      customer_id: customerId,
      call_sid: callSid,
      caller: uniquePhone(),
      called: uniquePhone(),
    });

    it('refuses a call route without a token', async () => {
      const response = await request(harness.makeApp().app).post('/v1/calls/start').send(startBody(1, uniqueCallSid()));
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ success: false, error: 'Missing bearer token', code: 'UNAUTHENTICATED' });
    });

    it('refuses a token from a service other than the gateway', async () => {
      const keys = await generateServiceKeyPair('sms-not-in-jwks');
      const { app } = harness.makeApp({
        env: { SERVICE_JWKS: JSON.stringify({ keys: [...JSON.parse(harness.baseEnv.SERVICE_JWKS!).keys, keys.publicJwk] }) },
      });
      const sms = createServiceTokenSigner({ issuer: 'sms', privateJwk: keys.privateJwk });
      const callSid = uniqueCallSid();
      const response = await request(app)
        .post('/v1/calls/start')
        .set('authorization', `Bearer ${await sms.sign({ audience: 'orchestrator', customerId: 1, callId: callSid })}`)
        .send(startBody(1, callSid));
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ success: false, error: 'Service token issuer sms is not allowed', code: 'UNAUTHENTICATED' });
    });

    it("refuses another service's key claiming to be the gateway", async () => {
      const keys = await generateServiceKeyPair('sms-claims-gateway');
      const { app } = harness.makeApp({
        env: { SERVICE_JWKS: JSON.stringify({ keys: [...JSON.parse(harness.baseEnv.SERVICE_JWKS!).keys, keys.publicJwk] }) },
      });
      const callSid = uniqueCallSid();
      const forged = await signTokenClaimingIssuer({
        privateJwk: keys.privateJwk,
        issuer: 'gateway',
        audience: 'orchestrator',
        customerId: 1,
        callId: callSid,
      });
      const response = await request(app).post('/v1/calls/start').set('authorization', `Bearer ${forged}`).send(startBody(1, callSid));
      expect(response.status).toBe(401);
      expect(response.body).toEqual({
        success: false,
        error: 'Service token issuer gateway does not own key sms-claims-gateway',
        code: 'UNAUTHENTICATED',
      });
    });

    it("refuses a body naming another tenant than the token's", async () => {
      const callSid = uniqueCallSid();
      const token = await harness.gatewaySigner.sign({ audience: 'orchestrator', customerId: 1, callId: callSid });
      const response = await request(harness.makeApp().app)
        .post('/v1/calls/start')
        .set('authorization', `Bearer ${token}`)
        .send(startBody(2, callSid));
      expect(response.status).toBe(403);
      expect(response.body).toEqual({ success: false, error: 'customer_id does not match the authenticated tenant', code: 'FORBIDDEN' });
    });

    it('refuses a turn for another call than the token names', async () => {
      const token = await harness.gatewaySigner.sign({ audience: 'orchestrator', customerId: 1, callId: uniqueCallSid() });
      const response = await request(harness.makeApp().app)
        .post(`/v1/calls/${uniqueCallSid()}/turn`)
        .set('authorization', `Bearer ${token}`)
        .send({ customer_id: 1, speech: 'hello' });
      expect(response.status).toBe(403);
      expect(response.body).toEqual({ success: false, error: 'call does not match the call of the service token', code: 'FORBIDDEN' });
    });

    it('answers a malformed body with 400 naming the field', async () => {
      const callSid = uniqueCallSid();
      const token = await harness.gatewaySigner.sign({ audience: 'orchestrator', customerId: 1, callId: callSid });
      const response = await request(harness.makeApp().app)
        .post('/v1/calls/start')
        .set('authorization', `Bearer ${token}`)
        .send({ ...startBody(1, callSid), caller: 'not a number' });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        success: false,
        error: 'Invalid body.caller: "not a number" is not a valid phone number',
        code: 'VALIDATION_FAILED',
        details: [{ path: 'body.caller', message: '"not a number" is not a valid phone number' }],
      });
    });

    it('needs no token for audio, and answers an unknown token with 404', async () => {
      const response = await request(harness.makeApp().app).get(`/v1/audio/${'A'.repeat(32)}`);
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ success: false, error: 'Audio not found or expired', code: 'NOT_FOUND' });
    });
  });
});
