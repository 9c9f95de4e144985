import { servicePrivateJwkSchema, serviceJwksSchema } from '@neurosphere/auth';
import { jsonString, loadEnv, logLevel, port, url } from '@neurosphere/config';
import { z } from 'zod';

export const envSchema = z.object({
  // Port the HTTP server listens on (8001 is this service's place in the platform's port plan).
  PORT: port.default(8001),
  // Verbosity of the JSON logs.
  LOG_LEVEL: logLevel.default('info'),
  // PostgreSQL as the neurosphere_app role: row-level security keeps every query inside one tenant.
  DATABASE_URL: url,
  // Redis: queues, caches and rate limits.
  REDIS_URL: url,
  // This service's Ed25519 private JWK (with kid): signs the short-lived tokens it sends to other services.
  SERVICE_JWT_PRIVATE_JWK: jsonString(servicePrivateJwkSchema),
  // Public keys of every service ({"keys":[...]}): verifies the tokens other services send here.
  SERVICE_JWKS: jsonString(serviceJwksSchema),
});

export type Env = z.output<typeof envSchema>;

/** Parses the environment; throws one "Invalid environment: ..." line naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  return loadEnv(envSchema, source);
}
