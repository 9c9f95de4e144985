import { Writable } from 'node:stream';
import { createLogger } from '@neurosphere/http';
import { createTestTenant } from '@neurosphere/db/testing';
import request from 'supertest';
import { DOCS_CONTENT_SECURITY_POLICY } from '../src/routes/api-docs';
import { createAdmin, startHarness } from './harness';
import type { Harness } from './harness';
import { loginCookie } from './session-client';

describe('API reference', () => {
  let harness: Harness;
  beforeAll(() => {
    harness = startHarness();
  });
  afterAll(() => harness.close());

  it('serves the OpenAPI document generated from the contract', async () => {
    const response = await request(harness.app).get('/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body.openapi).toMatch(/^3\./);
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining(['/v1/auth/login', '/v1/auth/refresh', '/v1/tenants/{customerId}/api-keys']),
    );
    expect(response.body.paths['/v1/tenants/{customerId}/calls'].get['x-api-key-scope']).toBe('calls:read');
  });

  it('serves Swagger UI and its files from here, under a strict Content-Security-Policy', async () => {
    const page = await request(harness.app).get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(DOCS_CONTENT_SECURITY_POLICY);
    expect(DOCS_CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    const sources = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] as string);
    expect(sources.length).toBeGreaterThan(2);
    expect(page.text).not.toMatch(/<script>|<style>|style="/);
    for (const source of sources) {
      expect(source).toMatch(/^\/docs\//);
      const asset = await request(harness.app).get(source);
      expect({ source, status: asset.status }).toEqual({ source, status: 200 });
    }
    const bundle = await request(harness.app).get('/docs/assets/swagger-ui-bundle.js');
    expect(bundle.headers['content-type']).toMatch(/javascript/);
    expect((await request(harness.app).get('/docs/assets/no-such-file.js')).status).toBe(404);
  });
});

describe('secrets in logs', () => {
  it('never writes a password, token, API key or CSRF token to the log, even at trace level', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      service: 'admin-api-test',
      level: 'trace',
      destination: new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString('utf8'));
          done();
        },
      }),
    });
    const harness = startHarness({ logger });
    try {
      const { customerId } = await createTestTenant(harness.platformDb);
      const owner = await createAdmin(harness.platformDb, { password: true, memberships: [{ customerId, role: 'owner' }] });
      const login = await request(harness.app).post('/v1/auth/login').send({ email: owner.email, password: owner.password });
      const refreshed = await request(harness.app).post('/v1/auth/refresh').send({ refresh_token: login.body.refresh_token });
      const auth = `Bearer ${refreshed.body.access_token}`;
      const key = await request(harness.app)
        .post(`/v1/tenants/${customerId}/api-keys`)
        .set('authorization', auth)
        .send({ name: 'Log check', scopes: ['calls:read'] });
      await request(harness.app).get(`/v1/tenants/${customerId}/calls`).set('authorization', `Bearer ${key.body.key}`);
      const invited = await request(harness.app)
        .post(`/v1/tenants/${customerId}/invitations`)
        .set('authorization', auth)
        .send({ email: 'logcheck@test.example', role: 'viewer' });
      const invitationToken = decodeURIComponent(new URL(invited.body.invitation_url).hash.slice('#token='.length));
      await request(harness.app).post('/v1/auth/invitations/accept').send({ token: invitationToken, password: 'invited-user-password' });
      const { browser } = await loginCookie(harness.app, owner);
      await request(harness.app).patch(`/v1/tenants/${customerId}/settings`).set(browser.headers()).send({ agent_name: 'Logged' });
      await request(harness.app)
        .post('/v1/auth/password')
        .set('authorization', auth)
        .send({ current_password: owner.password, new_password: 'the-next-password' });

      const log = lines.join('');
      expect(log).toContain('request completed');
      const secrets = [
        owner.password,
        'the-next-password',
        'invited-user-password',
        login.body.access_token,
        login.body.refresh_token,
        refreshed.body.refresh_token,
        key.body.key,
        invitationToken,
        browser.csrfToken as string,
        browser.jar.get('__Host-ns_access') as string,
      ];
      for (const secret of secrets) expect({ secret, logged: log.includes(secret) }).toEqual({ secret, logged: false });
    } finally {
      await harness.close();
    }
  });
});
