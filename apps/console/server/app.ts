import { healthRoutes, requestLogger } from '@neurosphere/http';
import type { Logger } from '@neurosphere/http';
import express from 'express';
import type { Express, Response } from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { existsSync } from 'node:fs';
import path from 'node:path';

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
 * React sets styles through the CSSOM (not blocked by style-src). No framing (clickjacking).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "media-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export interface ConsoleServerOptions {
  /** The Vite build output (index.html and assets/). */
  staticDir: string;
  /** admin-api's base URL (http://admin-api:8200). */
  adminApiUrl: string;
  logger: Logger;
  trustProxyHops?: number;
}

function securityHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
}

export function buildConsoleServer(options: ConsoleServerOptions): Express {
  const indexFile = path.join(options.staticDir, 'index.html');
  if (!existsSync(indexFile)) throw new Error(`console: ${indexFile} does not exist (run \`pnpm --filter @neurosphere/console build\` first)`);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxyHops ?? 0);
  // Ready as soon as it listens: admin-api has its own probes, and an API outage must not take the
  // console's error pages away with it.
  app.use(healthRoutes({ checks: {}, logger: options.logger }));
  app.use(requestLogger(options.logger));

  app.use(
    createProxyMiddleware({
      target: options.adminApiUrl,
      pathFilter: ['/v1/**'],
      // X-Forwarded-For carries the browser's address: admin-api throttles logins per address.
      xfwd: true,
      proxyTimeout: 30_000,
      logger: options.logger,
      on: {
        error: (error, _req, res) => {
          options.logger.warn({ err: error }, 'admin-api unreachable');
          if ('writeHead' in res && !res.headersSent) {
            res.writeHead(502, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ success: false, error: 'The admin API is unreachable; try again shortly', code: 'UPSTREAM_UNAVAILABLE' }));
          }
        },
      },
    }),
  );

  // Hashed file names: cache for a year. index.html: always revalidate, so a release shows at once.
  app.use(
    '/assets',
    express.static(path.join(options.staticDir, 'assets'), {
      immutable: true,
      maxAge: '365d',
      fallthrough: false,
      setHeaders: (res) => securityHeaders(res),
    }),
  );
  app.use(express.static(options.staticDir, { index: false, setHeaders: (res) => securityHeaders(res) }));
  // Every other GET is a client-side route (/customer/1/admin/calls, /accept-invitation, ...).
  app.get('/{*path}', (_req, res) => {
    securityHeaders(res);
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexFile);
  });
  return app;
}
