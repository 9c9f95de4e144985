import type { ByokKeyring } from './byok-keyring';
import { byokEnvironment } from './byok-keyring';
import { portFromEnv } from './local-ports';
import { CONSOLE_DEV_SERVER, HTTP_SERVICES } from './service-catalog';
import type { HttpServiceSpec } from './service-catalog';
import type { ServiceKeyring } from './service-keys';

export interface DatabaseUrls {
  /** neurosphere_app: no table ownership, no BYPASSRLS; all service traffic. */
  app: string;
  /** neurosphere_platform: audited cross-tenant work through withPlatform (seed, onboarding). */
  platform: string;
  /** Table owner: migrations only. */
  owner: string;
}

export function databaseEnvironment(urls: DatabaseUrls): Record<string, string> {
  return { DATABASE_URL: urls.app, DATABASE_PLATFORM_URL: urls.platform, DATABASE_OWNER_URL: urls.owner };
}

/** URLs of the two application roles on a cluster we run ourselves (passwords are dev-only). */
export function localDatabaseUrls(port: number, database: string, ownerUrl: string): DatabaseUrls {
  const at = `127.0.0.1:${port}/${database}`;
  return { app: `postgres://neurosphere_app:app@${at}`, platform: `postgres://neurosphere_platform:platform@${at}`, owner: ownerUrl };
}

/**
 * Database URLs given by the user. DATABASE_URL alone is not enough: migrations need the owner and
 * the seed the platform role, and guessing them would connect as the wrong role.
 */
export function databaseUrlsFromEnvironment(env: NodeJS.ProcessEnv): DatabaseUrls {
  const missing = ['DATABASE_PLATFORM_URL', 'DATABASE_OWNER_URL'].filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(
      `DATABASE_URL is set, so the local PostgreSQL is not started; then ${missing.join(' and ')} must be set too (see .env.example)`,
    );
  }
  return { app: env.DATABASE_URL!, platform: env.DATABASE_PLATFORM_URL!, owner: env.DATABASE_OWNER_URL! };
}

/** What every dev process shares: infrastructure, public keys of all services, where the others listen. */
export function sharedDevEnvironment(options: {
  databaseUrls: DatabaseUrls;
  redisUrl: string;
  keyring: ServiceKeyring;
  byok: ByokKeyring;
  /** Where each service listens (localServicePorts). */
  ports: Record<HttpServiceSpec['name'], number>;
  env: NodeJS.ProcessEnv;
}): Record<string, string> {
  const serviceUrls = Object.fromEntries(
    HTTP_SERVICES.map((service) => [service.urlVariable, `http://127.0.0.1:${options.ports[service.name]}`]),
  );
  const gatewayPort = options.ports.gateway;
  return {
    NODE_ENV: 'development',
    LOG_LEVEL: options.env.LOG_LEVEL || 'info',
    ...databaseEnvironment(options.databaseUrls),
    REDIS_URL: options.redisUrl,
    SERVICE_JWKS: JSON.stringify(options.keyring.jwks),
    ...byokEnvironment(options.byok),
    ...serviceUrls,
    PUBLIC_BASE_URL: options.env.PUBLIC_BASE_URL || `http://localhost:${gatewayPort}`,
    // admin-api's links in mails and its cookie Origin check point at the console's dev server.
    CONSOLE_URL:
      options.env.CONSOLE_URL || `http://localhost:${portFromEnv(options.env, CONSOLE_DEV_SERVER.portVariable, CONSOLE_DEV_SERVER.port)}`,
    // A developer's webhook receiver runs on this machine; deployments refuse private addresses.
    WEBHOOK_ALLOW_PRIVATE_ADDRESSES: options.env.WEBHOOK_ALLOW_PRIVATE_ADDRESSES || 'true',
  };
}

export interface ProviderNote {
  provider: string;
  mode: 'configured' | 'simulated';
  message: string;
}

/**
 * Which external providers are real. With no key, the services use local simulated providers (their
 * `*_BASE_URL` is left empty and the service decides); nothing here calls a provider.
 */
export function describeProviders(env: NodeJS.ProcessEnv): ProviderNote[] {
  const providers = [
    { provider: 'OpenAI', key: 'OPENAI_API_KEY', baseUrl: 'OPENAI_BASE_URL' },
    { provider: 'ElevenLabs', key: 'ELEVENLABS_API_KEY', baseUrl: 'ELEVENLABS_BASE_URL' },
    { provider: 'Twilio', key: 'TWILIO_AUTH_TOKEN', baseUrl: 'TWILIO_API_BASE_URL' },
  ];
  return providers.map(({ provider, key, baseUrl }) => {
    if (env[key]) {
      const where = env[baseUrl] ? ` at ${env[baseUrl]}` : '';
      return { provider, mode: 'configured', message: `${provider}: ${key} is set, using the real API${where}` };
    }
    return { provider, mode: 'simulated', message: `${provider}: no ${key} configured, using the local simulated provider` };
  });
}

/** Provider credentials are never handed to tests: they run against fake servers on 127.0.0.1. */
export const PROVIDER_VARIABLES = [
  'OPENAI_API_KEY',
  'OPENAI_BASE_URL',
  'ELEVENLABS_API_KEY',
  'ELEVENLABS_BASE_URL',
  'TWILIO_ACCOUNT_SID',
  'TWILIO_AUTH_TOKEN',
  'TWILIO_API_BASE_URL',
] as const;
