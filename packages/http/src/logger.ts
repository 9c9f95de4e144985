import pino from 'pino';
import type { DestinationStream, Logger } from 'pino';
import type { LogLevel } from '@neurosphere/config';

/** Object keys whose values never reach a log, wherever they sit (top level or one level down). */
const SECRET_KEYS = [
  'password',
  'authToken',
  'apiKey',
  'secret',
  'token',
  'accessToken',
  'refreshToken',
  'privateJwk',
  'authorization',
  'cookie',
  // Wire names of the admin API's credentials (request bodies are never logged; errors might carry them).
  'access_token',
  'refresh_token',
  'csrf_token',
  'current_password',
  'new_password',
];

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-twilio-signature"]',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-twilio-signature"]',
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`]),
];

export interface CreateLoggerOptions {
  /** Service name, on every line. */
  service: string;
  level: LogLevel;
  /** Where lines go; stdout by default. Tests pass a stream to read them. */
  destination?: DestinationStream;
}

/** JSON logs, one object per line, secrets redacted. */
export function createLogger({ service, level, destination }: CreateLoggerOptions): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    },
    destination,
  );
}
