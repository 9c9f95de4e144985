import request from 'supertest';
import { z } from 'zod';
import { captureLogs } from '../test/log-capture';
import { AppError } from './errors';
import type { ErrorCode } from './errors';
import { createServiceApp } from './service-app';

function buildApp(thrown: () => unknown) {
  const { logger, lines } = captureLogs();
  const { app, finish } = createServiceApp({ service: 'test', logger, readinessChecks: {}, bodyLimit: '1kb' });
  app.all('/throw', () => {
    throw thrown();
  });
  app.post('/echo', (req, res) => {
    res.json(req.body);
  });
  app.get('/calls/:callSid', (req, res) => {
    res.json({ callSid: req.params.callSid });
  });
  return { app: finish(), lines };
}

describe('errorHandler', () => {
  it.each<[ErrorCode, number]>([
    ['BAD_REQUEST', 400],
    ['VALIDATION_FAILED', 400],
    ['UNAUTHENTICATED', 401],
    ['FORBIDDEN', 403],
    ['NOT_FOUND', 404],
    ['CONFLICT', 409],
    ['PAYLOAD_TOO_LARGE', 413],
    ['UNPROCESSABLE', 422],
    ['RATE_LIMITED', 429],
    ['UNAVAILABLE', 503],
  ])('maps AppError %s to %i', async (code, status) => {
    const { app } = buildApp(() => new AppError(code, `something about ${code}`));
    const response = await request(app).get('/throw');
    expect(response.status).toBe(status);
    expect(response.body).toEqual({ success: false, error: `something about ${code}`, code });
  });

  it('includes details when given', async () => {
    const details = [{ path: 'phone', message: 'is not a phone number' }];
    const { app } = buildApp(() => new AppError('VALIDATION_FAILED', 'Invalid phone', { details }));
    const response = await request(app).get('/throw');
    expect(response.body).toEqual({ success: false, error: 'Invalid phone', code: 'VALIDATION_FAILED', details });
  });

  it('says when to retry with Retry-After', async () => {
    const { app } = buildApp(() => new AppError('UNAVAILABLE', 'Twilio is unreachable', { retryAfterSeconds: 30 }));
    const response = await request(app).get('/throw');
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('30');
    expect(response.body).toEqual({ success: false, error: 'Twilio is unreachable', code: 'UNAVAILABLE' });
  });

  it('maps a zod error to 400 naming the first field', async () => {
    const schema = z.object({ caller: z.object({ phone: z.string() }), customer_id: z.number() });
    const { app } = buildApp(() => schema.parse({ caller: {}, customer_id: 'x' }) as unknown);
    const response = await request(app).get('/throw');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      success: false,
      error: 'Invalid caller.phone: Required',
      code: 'VALIDATION_FAILED',
      details: [
        { path: 'caller.phone', message: 'Required' },
        { path: 'customer_id', message: 'Expected number, received string' },
      ],
    });
  });

  it.each([
    ['a plain Error', () => new Error('connection to db at 10.0.0.5 failed')],
    ['a thrown string', () => 'secret internals'],
    ['AppError INTERNAL', () => new AppError('INTERNAL', 'stack details')],
  ])('answers %s with a bare 500 and logs it', async (_name, thrown) => {
    const { app, lines } = buildApp(thrown);
    const response = await request(app).get('/throw');
    expect(response.status).toBe(500);
    expect(response.body).toEqual({ success: false, error: 'Internal server error', code: 'INTERNAL' });
    expect(lines.some((line) => line.msg === 'request failed' && line.level === 'error')).toBe(true);
  });

  it('answers malformed JSON with 400', async () => {
    const { app } = buildApp(() => undefined);
    const response = await request(app).post('/echo').set('content-type', 'application/json').send('{"a":');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ success: false, error: 'Request body is not valid JSON', code: 'BAD_REQUEST' });
  });

  it('answers an oversize body with 413', async () => {
    const { app } = buildApp(() => undefined);
    const response = await request(app)
      .post('/echo')
      .send({ text: 'x'.repeat(2048) });
    expect(response.status).toBe(413);
    expect(response.body).toEqual({ success: false, error: 'Request body is too large', code: 'PAYLOAD_TOO_LARGE' });
  });

  // body-parser passes a zlib error on with a 400 status but no `type` (found by fuzzing).
  it('answers a body that is not what its Content-Encoding says with 400', async () => {
    const { app } = buildApp(() => undefined);
    const response = await request(app)
      .post('/echo')
      .set('content-type', 'application/json')
      .set('content-encoding', 'gzip')
      .send('not gzip');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      success: false,
      error: 'Request body could not be decoded: it is not what its Content-Encoding says',
      code: 'BAD_REQUEST',
    });
  });

  it('answers a path parameter that is not valid percent-encoded UTF-8 with 400', async () => {
    const { app } = buildApp(() => undefined);
    const response = await request(app).get('/calls/%ED%A0%80');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ success: false, error: 'A path parameter is not valid percent-encoded UTF-8', code: 'BAD_REQUEST' });
  });

  it('refuses a body with a character PostgreSQL cannot store with 400 naming where it is', async () => {
    const { app } = buildApp(() => undefined);
    const response = await request(app).post('/echo').set('content-type', 'application/json').send('{"metadata":{"note":"a\\u0000b"}}');
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'body.metadata.note' }] });
  });

  it('answers unknown routes with 404', async () => {
    const { app } = buildApp(() => undefined);
    const response = await request(app).get('/nope');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ success: false, error: 'Route GET /nope not found', code: 'NOT_FOUND' });
  });
});
