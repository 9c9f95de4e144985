import { createServiceTokenSigner, generateServiceKeyPair, getAuth } from '@neurosphere/auth';
import request from 'supertest';
import { captureLogs } from '../test/log-capture';
import { authenticateService } from './authenticate-service';
import { createServiceApp } from './service-app';

describe('authenticateService', () => {
  it('puts the tenant on every line the handler logs', async () => {
    const { privateJwk, publicJwk } = await generateServiceKeyPair('gateway-k1');
    const { logger, lines } = captureLogs('memory');
    const { app, finish } = createServiceApp({ service: 'memory', logger, readinessChecks: {} });
    app.use(authenticateService({ audience: 'memory', allowedIssuers: ['gateway'], jwks: { keys: [publicJwk] } }));
    app.get('/calls', (req, res) => {
      req.log?.info('listing calls');
      res.json({ customerId: getAuth(res).customerId });
    });
    finish();

    const token = await createServiceTokenSigner({ issuer: 'gateway', privateJwk }).sign({ audience: 'memory', customerId: 9 });
    const response = await request(app).get('/calls').set('Authorization', `Bearer ${token}`);
    expect(response.body).toEqual({ customerId: 9 });
    expect(lines.find((line) => line.msg === 'listing calls')).toMatchObject({ customer_id: 9 });
    expect(lines.find((line) => line.msg === 'request completed')).toMatchObject({ customer_id: 9 });

    const rejected = await request(app).get('/calls');
    expect(rejected.status).toBe(401);
  });
});
