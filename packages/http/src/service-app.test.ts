import request from 'supertest';
import { captureLogs } from '../test/log-capture';
import { createServiceApp } from './service-app';

function echoApp(options: { formBodies?: boolean } = {}) {
  const { app, finish } = createServiceApp({ service: 'test', logger: captureLogs().logger, readinessChecks: {}, ...options });
  app.post('/echo', (req, res) => {
    res.json({ body: (req.body as unknown) ?? null });
  });
  return finish();
}

describe('createServiceApp', () => {
  it('parses JSON bodies', async () => {
    const response = await request(echoApp()).post('/echo').send({ customer_id: 7 });
    expect(response.body).toEqual({ body: { customer_id: 7 } });
  });

  it('leaves form bodies unparsed unless the service asks for them', async () => {
    const response = await request(echoApp()).post('/echo').type('form').send('customer_id=7');
    expect(response.body).toEqual({ body: null });
  });

  it('parses form bodies when asked (Twilio webhooks)', async () => {
    const response = await request(echoApp({ formBodies: true }))
      .post('/echo')
      .type('form')
      .send('From=%2B15550100123&Body=hi');
    expect(response.body).toEqual({ body: { From: '+15550100123', Body: 'hi' } });
  });
});
