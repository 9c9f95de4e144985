import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The test runner's check of what the platform logged during a run: every logger writes a copy of
 * its lines (debug and above, after its own redaction) to `<dir>/<pid>.jsonl` when the runner sets
 * NEUROSPHERE_TEST_LOG_DIR (packages/http, createLogger). A line leaks when it carries a full phone
 * number, a service token, a TTS audio token, or one of the run's secrets (private keys, BYOK
 * keys, the Redis password...), which the runner knows because it made them.
 */
export interface LogLeak {
  file: string;
  line: number;
  what: string;
  /** The line, cut short around the leak. */
  excerpt: string;
}

const PATTERNS: Array<[string, RegExp]> = [
  ['a full phone number', /(?<![\w*])(?:\+|%2B)[1-9]\d{7,14}(?!\d)/i],
  ["a thread id's full phone digits", /_user_[1-9]\d{7,14}(?!\d)/],
  ['a signed token (JWT)', /\beyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}/],
  ['a TTS audio token', /\/audio\/(?!\[REDACTED\])[^/?#\s"\\]{8,}/],
  ['a link token (invitation, reset)', /[?&#][\w-]*token=(?!\[REDACTED\])[^&#\s"\\]{8,}/i],
];

export function findLogLeaks(text: string, secrets: readonly string[], file = '(text)'): LogLeak[] {
  const checked = secrets.filter((secret) => secret.length >= 12);
  const leaks: LogLeak[] = [];
  text.split('\n').forEach((content, index) => {
    const found: Array<[string, number]> = [];
    for (const [what, pattern] of PATTERNS) {
      const match = pattern.exec(content);
      if (match) found.push([what, match.index]);
    }
    for (const secret of checked) {
      const at = content.indexOf(secret);
      if (at >= 0) found.push(['a secret of this run', at]);
    }
    for (const [what, at] of found) {
      // Secrets are never echoed back, only where they were.
      const excerpt =
        what === 'a secret of this run'
          ? `${content.slice(Math.max(0, at - 80), at)}<secret>`
          : content.slice(Math.max(0, at - 80), at + 40);
      leaks.push({ file, line: index + 1, what, excerpt });
    }
  });
  return leaks;
}

/** Leaks in every `*.jsonl` file of `dir` (none when the directory does not exist). */
export function scanLogDir(dir: string, secrets: readonly string[]): { files: number; lines: number; leaks: LogLeak[] } {
  if (!existsSync(dir)) return { files: 0, lines: 0, leaks: [] };
  const files = readdirSync(dir).filter((name) => name.endsWith('.jsonl'));
  let lines = 0;
  const leaks: LogLeak[] = [];
  for (const name of files) {
    const text = readFileSync(path.join(dir, name), 'utf8');
    lines += text.split('\n').filter((line) => line.trim() !== '').length;
    leaks.push(...findLogLeaks(text, secrets, name));
  }
  return { files: files.length, lines, leaks };
}
