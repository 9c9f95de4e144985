import express from 'express';
import request from 'supertest';
import { captureLogs } from '../test/log-capture';
import { metricsListener, metricsRegistryOf, providerTimer, Registry } from './metrics';
import { startServer } from './server';
import { createServiceApp } from './service-app';

function serviceApp(registry: Registry) {
  const { app, finish } = createServiceApp({
    service: 'test',
    logger: captureLogs().logger,
    readinessChecks: {},
    metricsRegistry: registry,
  });
  const router = express.Router();
  router.get('/callers/:phone', (_req, res) => void res.json({ ok: true }));
  app.use('/v1', router);
  app.post('/calls/:callSid/turn', (_req, res) => void res.status(202).json({}));
  return finish();
}

describe('request metrics', () => {
  it('times each request under its route template, never its raw path', async () => {
    const registry = new Registry();
    const app = serviceApp(registry);
    await request(app).get('/v1/callers/+15551234567').expect(200);
    await request(app).post('/calls/CA123/turn').expect(202);
    await request(app).get('/no/such/+15557654321').expect(404);
    await request(app).get('/healthz').expect(200);

    expect(metricsRegistryOf(app)).toBe(registry);
    const text = (await request(metricsListener(registry)).get('/metrics').expect(200)).text;
    expect(text).toContain('http_request_duration_seconds_count{method="GET",route="/v1/callers/:phone",status_code="200"} 1');
    expect(text).toContain('http_request_duration_seconds_count{method="POST",route="/calls/:callSid/turn",status_code="202"} 1');
    expect(text).toContain('http_request_duration_seconds_count{method="GET",route="unmatched",status_code="404"} 1');
    expect(text).not.toMatch(/555|CA123|healthz/);
  });

  it('records provider latency by outcome and passes results and errors through', async () => {
    const registry = new Registry();
    const time = providerTimer(registry);
    await expect(time('openai', 'chat', async () => 'answer')).resolves.toBe('answer');
    await expect(time('twilio', 'send_sms', async () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    const text = await registry.metrics();
    expect(text).toContain('provider_request_duration_seconds_count{provider="openai",operation="chat",outcome="ok"} 1');
    expect(text).toContain('provider_request_duration_seconds_count{provider="twilio",operation="send_sms",outcome="error"} 1');
  });
});

describe('startServer with a metrics port', () => {
  it('serves /metrics on the metrics port only, and closes it on shutdown', async () => {
    const registry = new Registry();
    const running = await startServer({
      app: serviceApp(registry),
      port: 0,
      logger: captureLogs().logger,
      metricsPort: 0,
      exit: () => undefined,
    });
    const appUrl = `http://127.0.0.1:${running.port}`;
    const metricsUrl = `http://127.0.0.1:${running.metricsPort!}`;
    expect((await fetch(`${appUrl}/v1/callers/+15551234567`)).status).toBe(200);
    expect((await fetch(`${appUrl}/metrics`)).status).toBe(404);
    const scrape = await fetch(`${metricsUrl}/metrics`);
    expect(scrape.status).toBe(200);
    const text = await scrape.text();
    expect(text).toContain('route="/v1/callers/:phone"');
    expect(text).toContain('process_cpu_seconds_total');
    expect((await fetch(`${metricsUrl}/v1/callers/+15551234567`)).status).toBe(404);
    await running.shutdown('test');
    await expect(fetch(`${metricsUrl}/metrics`)).rejects.toThrow();
  });

  it('starts no metrics listener without a port', async () => {
    const registry = new Registry();
    const running = await startServer({ app: serviceApp(registry), port: 0, logger: captureLogs().logger, exit: () => undefined });
    expect(running.metricsPort).toBeUndefined();
    await running.shutdown('test');
  });
});
