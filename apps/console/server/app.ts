import { errorHandler, healthRoutes, HTTP_STATUS_BY_CODE, notFoundHandler, requestLogger } from '@neurosphere/http';
import type { ErrorBody, Logger } from '@neurosphere/http';
import express from 'express';
import type { Express, Response } from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CSP_NONCE_PLACEHOLDER } from './csp-nonce';

/**
 * The console in production: the built single-page app and a same-origin path to admin-api.
 *
 * Serving the API under the console's own origin (`/v1/*` forwarded to admin-api) is what lets the
 * session cookies stay SameSite=Strict and host-only (`__Host-`), and lets admin-api's Origin check
 * name exactly one origin (CONSOLE_URL). It is also the deployment shape infra/k8s expects: the
 * console is the only pod reachable from outside besides the gateway, and the only caller of admin-api.
 */

/**
 * Everything the page loads comes from this origin: Vite emits no inline script or style, and
 * React sets styles through the CSSOM (not blocked by style-src). The one `<style>` element React
 * Aria adds (touch-action for pressable elements) carries the page's nonce, which React Aria reads
 * from the csp-nonce meta tag. No framing (clickjacking).
 */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "media-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export interface ConsoleServerOptions {
  /** The Vite build output (index.html and assets/). */
  staticDir: string;
  /** admin-api's base URL (http://admin-api:8200). */
  adminApiUrl: string;
  logger: Logger;
}

function securityHeaders(res: Response, nonce = randomBytes(16).toString('base64')): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy(nonce));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
}

export function buildConsoleServer(options: ConsoleServerOptions): Express {
  const indexFile = path.join(options.staticDir, 'index.html');
  if (!existsSync(indexFile))
    throw new Error(`console: ${indexFile} does not exist (run \`pnpm --filter @neurosphere/console build\` first)`);
  const app = express();
  app.disable('x-powered-by');
  // Ready as soon as it listens: admin-api has its own probes, and an API outage must not take the
  // console's error pages away with it.
  app.use(healthRoutes({ checks: {}, logger: options.logger }));
  app.use(requestLogger(options.logger));

  app.use(
    createProxyMiddleware({
      target: options.adminApiUrl,
      pathFilter: ['/v1/**'],
      // X-Forwarded-For gets the address this server sees appended (whatever the client sent stays
      // in front): admin-api throttles logins per address and believes ADMIN_TRUST_PROXY_HOPS of it.
      xfwd: true,
      proxyTimeout: 30_000,
      logger: options.logger,
      on: {
        error: (error, _req, res) => {
          options.logger.warn({ err: error }, 'admin-api unreachable');
          if ('writeHead' in res && !res.headersSent) {
            const body: ErrorBody = { success: false, error: 'The admin API is unreachable; try again shortly', code: 'UNAVAILABLE' };
            res.writeHead(HTTP_STATUS_BY_CODE.UNAVAILABLE, { 'content-type': 'application/json', 'retry-after': '5' });
            res.end(JSON.stringify(body));
          }
        },
      },
    }),
  );

  const indexHtml = readFileSync(indexFile, 'utf8');
  const sendIndex = (_req: unknown, res: Response) => {
    const nonce = randomBytes(16).toString('base64');
    securityHeaders(res, nonce);
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(indexHtml.replaceAll(CSP_NONCE_PLACEHOLDER, nonce));
  };
  app.get('/index.html', sendIndex);
  // Hashed file names: cache for a year. index.html: always revalidate, so a release shows at once.
  // A missing asset (an old tab asking for the previous release's file) is a 404, never the page.
  app.use(
    '/assets',
    express.static(path.join(options.staticDir, 'assets'), {
      immutable: true,
      maxAge: '365d',
      setHeaders: (res) => securityHeaders(res),
    }),
    notFoundHandler,
  );
  app.use(express.static(options.staticDir, { index: false, setHeaders: (res) => securityHeaders(res) }));
  // Every other GET is a client-side route (/customer/1/admin/calls, /accept-invitation, ...).
  app.get('/{*path}', sendIndex);
  // Anything else (a POST outside /v1, a failure while serving a file) gets the one error shape,
  // not Express's HTML page, which shows the stack trace unless NODE_ENV is production.
  app.use(notFoundHandler);
  app.use(errorHandler(options.logger));
  return app;
}
