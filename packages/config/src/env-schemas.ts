import { z } from 'zod';

// Reusable zod pieces for env schemas. Each message reads after the variable name:
// "PORT must be a number", "REDIS_URL must be a URL".

/** TCP port 1..65535 from a string. */
export const port = z.coerce
  .number({ invalid_type_error: 'must be a number' })
  .int('must be an integer')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

/**
 * The interface an app listens on (HOST): loopback unless set, so a local run is not reachable from
 * the network; the container image sets 0.0.0.0 (Dockerfile), where the container is the boundary.
 */
export const listenHost = z.string().trim().min(1, 'must be an interface address such as 127.0.0.1 or 0.0.0.0').default('127.0.0.1');

/**
 * METRICS_PORT: where a process serves GET /metrics, apart from its own port (never the public
 * one). Unset: no metrics listener (local runs, where fixed ports would collide); the Kubernetes
 * manifests set 9464.
 */
export const metricsPort = port.optional();

/** Any absolute URL (postgres://, redis://, https://...). */
export const url = z.string().url('must be a URL');

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const logLevel = z.enum(LOG_LEVELS, {
  errorMap: () => ({ message: `must be one of ${LOG_LEVELS.join(', ')}` }),
});
export type LogLevel = z.infer<typeof logLevel>;

/** A JSON document in a string (e.g. SERVICE_JWKS), parsed and then validated with `schema`. */
export function jsonString<T extends z.ZodTypeAny>(schema: T) {
  return z
    .string()
    .transform((text, ctx): unknown => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

/** "true" or "false" (nothing else, so a typo fails at boot instead of meaning false). Default with `.default('false')`. */
export const booleanFlag = z
  .enum(['true', 'false'], { errorMap: () => ({ message: 'must be true or false' }) })
  .transform((text) => text === 'true');

/** "a, b,,c" → ["a", "b", "c"]. */
export const commaList = z.string().transform((text) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);
