/**
 * The deployables of the platform, as the local stack, docker-compose.yml and its static check
 * know them. Ports are the platform's fixed ones (see the helper brief / README).
 */
export interface HttpServiceSpec {
  /** Service name: JWT iss/aud, key id prefix, .local/env/<name>.env. */
  name: 'gateway' | 'orchestrator' | 'memory' | 'sms' | 'admin-api';
  /** Folder under apps/ and the Dockerfile's APP build argument. */
  app: string;
  packageName: string;
  port: number;
  /** The variable other services use to call this one (e.g. MEMORY_URL). */
  urlVariable: string;
  /** Secrets only this service holds; dev and test generate random ones (48 bytes, base64). */
  secrets: readonly string[];
  /**
   * Provider credentials this service cannot boot without: in dev, when unset, it alone gets a random
   * stand-in (the gateway checks webhook signatures with TWILIO_AUTH_TOKEN). Given to this service
   * only, because others treat a lone Twilio token as a half-configured account.
   */
  devStandIns: readonly string[];
}

export const HTTP_SERVICES: readonly HttpServiceSpec[] = [
  {
    name: 'gateway',
    app: 'gateway',
    packageName: '@neurosphere/gateway',
    port: 5000,
    urlVariable: 'GATEWAY_URL',
    secrets: [],
    devStandIns: ['TWILIO_AUTH_TOKEN'],
  },
  {
    name: 'orchestrator',
    app: 'orchestrator',
    packageName: '@neurosphere/orchestrator',
    port: 8001,
    urlVariable: 'ORCHESTRATOR_URL',
    secrets: [],
    devStandIns: [],
  },
  {
    name: 'memory',
    app: 'memory',
    packageName: '@neurosphere/memory',
    port: 8100,
    urlVariable: 'MEMORY_URL',
    secrets: [],
    devStandIns: [],
  },
  { name: 'sms', app: 'sms', packageName: '@neurosphere/sms', port: 3000, urlVariable: 'SMS_URL', secrets: [], devStandIns: [] },
  {
    name: 'admin-api',
    app: 'admin-api',
    packageName: '@neurosphere/admin-api',
    port: 8200,
    urlVariable: 'ADMIN_API_URL',
    secrets: ['ADMIN_JWT_SECRET'],
    devStandIns: [],
  },
];

/**
 * The web console in development: Vite's dev server (apps/console), which forwards /v1 to admin-api.
 * Not an HTTP service of the platform (no /readyz, no keys): `scripts/start` checks that it answers.
 */
export const CONSOLE_DEV_SERVER = {
  name: 'console',
  app: 'console',
  packageName: '@neurosphere/console',
  port: 5173,
  portVariable: 'LOCAL_CONSOLE_PORT',
} as const;

/**
 * The console in production: its own small server (apps/console/server) serves the built app with
 * a strict Content-Security-Policy and forwards /v1/* to admin-api. It has an image and a
 * Deployment like the services, but no service key and no place in the services' JWT world.
 */
export const CONSOLE_SERVER = { name: 'console', app: 'console', packageName: '@neurosphere/console', port: 8300 } as const;

/**
 * The folders of apps/ that are platform services (service keys, compose services that call each
 * other with tokens). The console (CONSOLE_SERVER) is a static web app with its own small server.
 */
export function isServiceAppFolder(folder: string): boolean {
  return folder !== CONSOLE_DEV_SERVER.app;
}

/** Background processes without an HTTP server: reported healthy while their process runs. */
export interface WorkerSpec {
  name: 'worker';
  app: string;
  /** Entry file; its presence on a running process's command line is how the stack finds it. */
  entry: string;
  /** Its compiled entry in the app's production build (run with plain node). */
  productionEntry: string;
}

export const WORKERS: readonly WorkerSpec[] = [
  { name: 'worker', app: 'memory', entry: 'src/worker.ts', productionEntry: 'dist/worker.js' },
];

/** Every name that gets its own signing key. */
export const KEYED_SERVICE_NAMES = [...HTTP_SERVICES.map((service) => service.name), ...WORKERS.map((worker) => worker.name)];

/** GATEWAY_SERVICE_JWT_PRIVATE_JWK, ADMIN_API_SERVICE_JWT_PRIVATE_JWK, ... */
export function privateKeyVariable(serviceName: string): string {
  return `${serviceName.toUpperCase().replace(/-/g, '_')}_SERVICE_JWT_PRIVATE_JWK`;
}
