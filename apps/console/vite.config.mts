import optimizeLocales from '@react-aria/optimize-locales-plugin';
import react from '@vitejs/plugin-react';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * In development Vite serves the console on http://localhost:5173 (LOCAL_CONSOLE_PORT) and forwards
 * /v1/* to the dev stack's admin-api (LOCAL_ADMIN_API_PORT, default 8200): the same single-origin
 * shape as the production server (server/app.ts). The build goes to dist/public, which that server
 * serves. The dev stack's admin-api allows http://localhost:<that port> as the console's origin.
 */
const port = (variable: string, fallback: number) => Number(process.env[variable] || fallback);
export default defineConfig({
  // React Aria ships its built-in strings (e.g. "Dismiss") in 34 languages; the console is in
  // English, so only en-US goes into the bundle (React Aria's documented plugin for this).
  plugins: [react(), { ...optimizeLocales.vite({ locales: ['en-US'] }), enforce: 'pre' }],
  resolve: {
    // The workspace packages' TypeScript sources, as every app resolves them in development.
    conditions: ['development', 'module', 'browser', 'development|production'],
  },
  build: { outDir: 'dist/public', emptyOutDir: true, sourcemap: true },
  // server/csp-nonce.ts's CSP_NONCE_PLACEHOLDER: the production server swaps in a fresh nonce per
  // response (a missing swap shows as a CSP violation in the browser tests).
  html: { cspNonce: 'NEUROSPHERE_CSP_NONCE' },
  server: {
    port: port('LOCAL_CONSOLE_PORT', 5173),
    // A busy port must not stop the rest of `turbo dev`: Vite then takes the next one and says so.
    strictPort: false,
    proxy: { '/v1': { target: `http://127.0.0.1:${port('LOCAL_ADMIN_API_PORT', 8200)}`, xfwd: true } },
  },
  root: fileURLToPath(new URL('.', import.meta.url)),
  // A second local stack (NEUROSPHERE_LOCAL_DIR, e.g. the turbo dev test beside a developer's
  // stack) gets its own dependency cache and its own Vite process lock, which live in cacheDir.
  ...(process.env.NEUROSPHERE_LOCAL_DIR ? { cacheDir: path.join(process.env.NEUROSPHERE_LOCAL_DIR, 'vite') } : {}),
});
