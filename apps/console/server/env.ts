import { listenHost, loadEnv, logLevel, port, url } from '@neurosphere/config';
import { z } from 'zod';

export const envSchema = z.object({
  // Port the console's static server listens on (8300: the console's place in the platform's port plan).
  PORT: port.default(8300),
  // Interface to listen on: 127.0.0.1 unless set (a container sets 0.0.0.0).
  HOST: listenHost,
  // Verbosity of the JSON logs.
  LOG_LEVEL: logLevel.default('info'),
  // Where admin-api listens: the console forwards /v1/* there, so the browser sees one origin and the
  // SameSite=Strict session cookies and the API's Origin check work unchanged.
  ADMIN_API_URL: url,
});

export type Env = z.output<typeof envSchema>;

/** Parses the environment; throws one "Invalid environment: ..." line naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  return loadEnv(envSchema, source);
}
