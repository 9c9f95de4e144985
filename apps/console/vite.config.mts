import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * In development Vite serves the console on http://localhost:5173 and forwards /v1/* to admin-api
 * (ADMIN_API_URL, default the dev stack's http://127.0.0.1:8200), the same single-origin shape as
 * the production server (server/app.ts). The build goes to dist/public, which that server serves.
 */
export default defineConfig({
  plugins: [react()],
  resolve: {
    // The workspace packages' TypeScript sources, as every app resolves them in development.
    conditions: ['development', 'module', 'browser', 'development|production'],
  },
  build: { outDir: 'dist/public', emptyOutDir: true, sourcemap: true },
  server: {
    port: 5173,
    strictPort: true,
    proxy: { '/v1': { target: process.env.ADMIN_API_URL ?? 'http://127.0.0.1:8200', xfwd: true } },
  },
  root: fileURLToPath(new URL('.', import.meta.url)),
});
