import path from 'node:path';
import pino from 'pino';
import type { DestinationStream, Logger } from 'pino';
import type { LogLevel } from '@neurosphere/config';
import { redactLogLine } from './log-redaction';

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

/** Standard output as pino picks it: fd 1 through sonic-boom, unless something replaced process.stdout.write. */
function standardOutput(): DestinationStream {
  const replaced = process.stdout.write !== (process.stdout.constructor as { prototype: NodeJS.WriteStream }).prototype.write;
  return replaced ? process.stdout : pino.destination(process.stdout.fd || 1);
}

/** Every line written to `stream` goes through redactLogLine first. */
function redacting(stream: DestinationStream): DestinationStream {
  return { write: (line: string) => stream.write(redactLogLine(line)) };
}

/**
 * The test runner (scripts/test) sets this to a directory: every logger then also writes each line
 * at debug and above, redacted, to `<dir>/<pid>.jsonl`, whatever level the test asked for, and the
 * runner scans those files for phone numbers, tokens and secrets after the run. Read here, not in
 * an app's env.ts, because test harnesses make most loggers.
 */
const TEST_LOG_DIR_VARIABLE = 'NEUROSPHERE_TEST_LOG_DIR';
let testLogCopy: DestinationStream | undefined;

function testLogCopyStream(): DestinationStream | undefined {
  const dir = process.env[TEST_LOG_DIR_VARIABLE];
  if (!dir) return undefined;
  testLogCopy ??= pino.destination({ dest: path.join(dir, `${process.pid}.jsonl`), mkdir: true, sync: true });
  return testLogCopy;
}

/**
 * JSON logs, one object per line: secrets redacted by key (REDACT_PATHS), and phone numbers and
 * capability tokens masked wherever they appear in the line (redactLogLine).
 */
export function createLogger({ service, level, destination }: CreateLoggerOptions): Logger {
  const options = {
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
  };
  const out = redacting(destination ?? standardOutput());
  const copy = testLogCopyStream();
  if (!copy) return pino({ ...options, level }, out);
  const streams: pino.StreamEntry[] = [{ level: 'debug', stream: redacting(copy) }];
  if (level !== 'silent') streams.push({ level, stream: out });
  const lowest = level === 'trace' ? 'trace' : 'debug';
  // The logger itself runs at the lowest level either stream takes; each stream filters its own.
  return pino({ ...options, level: lowest }, pino.multistream(streams));
}
