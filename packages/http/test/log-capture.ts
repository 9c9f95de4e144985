import { Writable } from 'node:stream';
import { createLogger } from '../src/logger';

/** A real pino logger whose JSON lines are kept in memory for assertions. */
export function captureLogs(service = 'test') {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      callback();
    },
  });
  return { logger: createLogger({ service, level: 'debug', destination }), lines };
}
