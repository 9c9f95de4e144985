import { createLogger } from '@neurosphere/http';
import { freePort, startFakeServer } from '@neurosphere/testing';
import type { FakeServer } from '@neurosphere/testing';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { buildConsoleServer } from './app';
import { CSP_NONCE_PLACEHOLDER } from './csp-nonce';

const logger = createLogger({ service: 'console-test', level: 'silent' });

describe('the console server', () => {
  let staticDir: string;
  let adminApi: FakeServer;

  beforeAll(async () => {
    staticDir = mkdtempSync(path.join(tmpdir(), 'console-static-'));
    mkdirSync(path.join(staticDir, 'assets'));
    // What vite build writes, in miniature: the nonce placeholder on the meta tag and the script.
    writeFileSync(
      path.join(staticDir, 'index.html'),
      `<!doctype html><meta property="csp-nonce" nonce="${CSP_NONCE_PLACEHOLDER}"><script type="module" src="/assets/index-abc.js" nonce="${CSP_NONCE_PLACEHOLDER}"></script>`,
    );
    writeFileSync(path.join(staticDir, 'assets', 'index-abc.js'), 'console.log("app")');
    adminApi = await startFakeServer({
      'POST /v1/auth/login': () => ({
        status: 200,
        headers: { 'set-cookie': '__Host-ns_access=a; Path=/; Secure; HttpOnly; SameSite=Strict' },
        body: { success: true },
      }),
    });
  });
  afterAll(async () => {
    rmSync(staticDir, { recursive: true, force: true });
    await adminApi.close();
  });

  const app = () => buildConsoleServer({ staticDir, adminApiUrl: adminApi.url, logger });

  it('answers every client-side route with index.html, a fresh nonce in the page and in its Content-Security-Policy', async () => {
    const first = await request(app()).get('/customer/7/admin/calls');
    const second = await request(app()).get('/customer/7/admin/calls');
    expect(first.status).toBe(200);
    expect(first.headers['cache-control']).toBe('no-cache');
    const nonce = /nonce="([^"]+)"/.exec(first.text)?.[1];
    expect(nonce).toMatch(/^[A-Za-z0-9+/=]{24}$/);
    expect(first.text).not.toContain(CSP_NONCE_PLACEHOLDER);
    expect(first.headers['content-security-policy']).toContain(`style-src 'self' 'nonce-${nonce}'`);
    expect(first.headers['content-security-policy']).toContain("script-src 'self';");
    expect(first.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(second.text).not.toContain(`nonce="${nonce}"`);
    // index.html asked for by name gets the same treatment (never the raw file with the placeholder).
    expect((await request(app()).get('/index.html')).text).not.toContain(CSP_NONCE_PLACEHOLDER);
  });

  it('serves hashed assets for a year and a missing asset as 404, not as the page', async () => {
    const asset = await request(app()).get('/assets/index-abc.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const missing = await request(app()).get('/assets/index-old.js');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ success: false, error: 'Route GET /index-old.js not found', code: 'NOT_FOUND' });
  });

  it('answers what is neither the API nor a page with the one error shape, not an HTML error page', async () => {
    const response = await request(app()).post('/customer/7/admin/calls').send({});
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ success: false, error: 'Route POST /customer/7/admin/calls not found', code: 'NOT_FOUND' });
  });

  it('forwards /v1 to admin-api with the Origin, the cookies and the client address, and back the Set-Cookie', async () => {
    const response = await request(app())
      .post('/v1/auth/login')
      .set('origin', 'https://console.example')
      .set('cookie', '__Host-ns_csrf=c')
      .set('x-forwarded-for', '203.0.113.9')
      .send({ email: 'owner@example.com', password: 'x', session: 'cookie' });
    expect(response.status).toBe(200);
    expect(response.headers['set-cookie']).toEqual(['__Host-ns_access=a; Path=/; Secure; HttpOnly; SameSite=Strict']);
    const seen = adminApi.requests.at(-1);
    expect(seen?.headers.origin).toBe('https://console.example');
    expect(seen?.headers.cookie).toBe('__Host-ns_csrf=c');
    expect(seen?.headers['x-forwarded-for']).toMatch(/127\.0\.0\.1/);
    // What the client or an ingress sent stays in front; admin-api counts its trusted hops from the end.
    expect(seen?.headers['x-forwarded-for']).toMatch(/^203\.0\.113\.9,\s*(::ffff:)?127\.0\.0\.1$/);
    expect(seen?.body).toEqual({ email: 'owner@example.com', password: 'x', session: 'cookie' });
  });

  it('answers 503 with the one error shape when admin-api is down', async () => {
    const down = buildConsoleServer({ staticDir, adminApiUrl: `http://127.0.0.1:${await freePort()}`, logger });
    const response = await request(down).get('/v1/auth/me');
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.body).toEqual({ success: false, error: 'The admin API is unreachable; try again shortly', code: 'UNAVAILABLE' });
  });

  it('refuses to start without a build', () => {
    expect(() => buildConsoleServer({ staticDir: path.join(staticDir, 'missing'), adminApiUrl: adminApi.url, logger })).toThrow(
      /run `pnpm --filter @neurosphere\/console build` first/,
    );
  });
});
