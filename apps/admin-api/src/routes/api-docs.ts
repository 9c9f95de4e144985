import { buildOpenApiDocument, SESSION_COOKIE_NAMES, INSECURE_SESSION_COOKIE_NAMES, CSRF_HEADER } from '@neurosphere/contracts';
import express, { Router } from 'express';
import type { Response } from 'express';
import path from 'node:path';

/**
 * The API reference, for tenants' developers and the platform team: the OpenAPI document generated
 * from the admin contract at GET /openapi.json, and Swagger UI at GET /docs. Swagger UI's files come
 * from the swagger-ui-dist package and are served from here (no CDN, works offline); the page's
 * own script is a file too, so the Content-Security-Policy allows scripts and styles from this
 * origin only, nothing inline, and nothing may be fetched from anywhere else.
 */
export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SWAGGER_UI_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));

const PAGE = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Admin API reference</title>
    <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
    <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png" sizes="32x32">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/assets/swagger-ui-bundle.js"></script>
    <script src="/docs/init.js"></script>
  </body>
</html>
`;

// "Try it out" from a signed-in console tab: copy the CSRF cookie into the header writes need.
const INIT_SCRIPT = `window.addEventListener('load', function () {
  var csrfCookies = ${JSON.stringify([SESSION_COOKIE_NAMES.csrf, INSECURE_SESSION_COOKIE_NAMES.csrf])};
  function csrfToken() {
    var pairs = document.cookie ? document.cookie.split('; ') : [];
    for (var i = 0; i < pairs.length; i++) {
      var at = pairs[i].indexOf('=');
      if (csrfCookies.indexOf(pairs[i].slice(0, at)) >= 0) return decodeURIComponent(pairs[i].slice(at + 1));
    }
    return null;
  }
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    requestInterceptor: function (request) {
      var token = csrfToken();
      if (token && !request.headers[${JSON.stringify(CSRF_HEADER)}]) request.headers[${JSON.stringify(CSRF_HEADER)}] = token;
      return request;
    },
  });
});
`;

function strictPage(res: Response): Response {
  return res
    .set('Content-Security-Policy', DOCS_CONTENT_SECURITY_POLICY)
    .set('X-Content-Type-Options', 'nosniff')
    .set('Referrer-Policy', 'no-referrer')
    .set('Cross-Origin-Opener-Policy', 'same-origin');
}

export function apiDocsRoutes(): Router {
  const router = Router();
  let document: string | undefined;
  router.get('/openapi.json', (_req, res) => {
    document ??= JSON.stringify(buildOpenApiDocument('admin-api'));
    res.type('application/json').send(document);
  });
  router.get(['/docs', '/docs/'], (_req, res) => {
    strictPage(res).type('html').send(PAGE);
  });
  router.get('/docs/init.js', (_req, res) => {
    strictPage(res).type('application/javascript').send(INIT_SCRIPT);
  });
  router.use(
    '/docs/assets',
    (_req, res, next) => {
      strictPage(res);
      next();
    },
    express.static(SWAGGER_UI_DIR, { index: false, maxAge: '1h' }),
  );
  return router;
}
