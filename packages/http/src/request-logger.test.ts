import request from 'supertest';
import { captureLogs } from '../test/log-capture';
import { createServiceApp } from './service-app';

function buildApp() {
  const { logger, lines } = captureLogs('memory');
  const { app, finish } = createServiceApp({ service: 'memory', logger, readinessChecks: {} });
  app.post('/calls', (req, res) => {
    // Stands in for the service-auth middleware, which sets res.locals.auth.
    res.locals.auth = { customerId: 42, issuer: 'gateway', callId: undefined, tokenId: 't' };
    req.log?.info({ credentials: { password: 'hunter2', apiKey: 'sk-live' } }, 'handling call');
    res.status(201).json({ ok: true });
  });
  app.get('/missing-thing', (_req, res) => {
    res.status(404).json({ success: false });
  });
  app.get('/broken', () => {
    throw new Error('boom');
  });
  app.get('/v2/callers/:phone', (req, res) => {
    req.log?.warn({ to: req.query.to }, `no memories for ${req.params.phone}`);
    res.status(404).json({ success: false });
  });
  app.get('/audio/:token', (_req, res) => {
    res.status(404).end();
  });
  app.get('/fails-with-a-number', () => {
    throw new Error('could not text +12125550123');
  });
  // Never answers: the client gives up first.
  app.get('/hangs', () => {});
  return { app: finish(), lines };
}

describe('requestLogger', () => {
  it('echoes an incoming x-request-id and logs it with the tenant', async () => {
    const { app, lines } = buildApp();
    const response = await request(app).post('/calls').set('x-request-id', 'req-abc.1');
    expect(response.headers['x-request-id']).toBe('req-abc.1');
    const completed = lines.find((line) => line.msg === 'request completed');
    expect(completed).toMatchObject({ service: 'memory', requestId: 'req-abc.1', customer_id: 42, level: 'info' });
    expect(lines.find((line) => line.msg === 'handling call')).toMatchObject({ requestId: 'req-abc.1' });
  });

  it('generates a request id when none (or an unsafe one) is sent', async () => {
    const { app } = buildApp();
    const none = await request(app).post('/calls');
    expect(none.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const unsafe = await request(app).post('/calls').set('x-request-id', 'bad id\twith spaces');
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('redacts the authorization header, twilio signature and nested secrets', async () => {
    const { app, lines } = buildApp();
    await request(app)
      .post('/calls')
      .set('Authorization', 'Bearer eyJ.secret.token')
      .set('X-Twilio-Signature', 'sig-value')
      .set('Cookie', 'session=abc');
    const text = JSON.stringify(lines);
    expect(text).not.toContain('eyJ.secret.token');
    expect(text).not.toContain('sig-value');
    expect(text).not.toContain('session=abc');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('sk-live');
    const completed = lines.find((line) => line.msg === 'request completed') as { req: { headers: Record<string, string> } };
    expect(completed.req.headers.authorization).toBe('[REDACTED]');
  });

  it('masks phone numbers in paths, queries, messages and errors, and drops audio tokens', async () => {
    const { app, lines } = buildApp();
    await request(app).get('/v2/callers/%2B12125550123').query({ to: '+447700900123' });
    await request(app).get('/audio/Zm9vYmFyYmF6cXV4cXV1eA');
    await request(app).get('/fails-with-a-number');
    const text = JSON.stringify(lines);
    for (const secret of ['12125550123', '447700900123', 'Zm9vYmFyYmF6cXV4cXV1eA']) expect(text).not.toContain(secret);
    expect(lines.find((line) => line.msg === 'no memories for +1212***0123')).toMatchObject({ to: '+4477***0123' });
    const urls = lines.filter((line) => line.msg === 'request completed').map((line) => (line.req as { url: string }).url);
    expect(urls).toEqual(['/v2/callers/+1212***0123?to=+4477***0123', '/audio/[REDACTED]', '/fails-with-a-number']);
    expect(text).toContain('could not text +1212***0123');
  });

  it('logs one completion line per request, at warn for 4xx and error for 5xx, with status and time', async () => {
    const { app, lines } = buildApp();
    await request(app).post('/calls');
    await request(app).get('/missing-thing');
    await request(app).get('/broken');
    const completed = lines.filter((line) => line.msg === 'request completed');
    expect(completed).toHaveLength(3);
    expect(completed.map((line) => [line.level, (line.res as { statusCode: number }).statusCode])).toEqual([
      ['info', 201],
      ['warn', 404],
      ['error', 500],
    ]);
    for (const line of completed) expect(typeof line.responseTime).toBe('number');
    expect(completed[1]!.req as { method: string; url: string }).toMatchObject({ method: 'GET', url: '/missing-thing' });
  });

  it('logs once, as not completed, when the client goes away before the response', async () => {
    const { app, lines } = buildApp();
    await expect(request(app).get('/hangs').timeout(100)).rejects.toThrow(/Timeout/);
    for (let attempt = 0; attempt < 50 && !lines.some((line) => line.msg === 'request completed'); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const completed = lines.filter((line) => line.msg === 'request completed');
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({ req: { url: '/hangs' }, res: { completed: false } });
  });
});
