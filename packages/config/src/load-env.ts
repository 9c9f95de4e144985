import type { z } from 'zod';

/** Thrown by `loadEnv` when the environment does not satisfy the schema; `message` is one line. */
export class EnvValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment: ${problems.join('; ')}`);
    this.name = 'EnvValidationError';
  }
}

/**
 * Parses `source` (default `process.env`) with `schema`. On failure throws an
 * `EnvValidationError` whose message names every bad variable on one line, e.g.
 * `Invalid environment: DATABASE_URL is required; PORT must be a number`.
 * Blank strings count as absent, so `PORT=` falls back to the default like an unset PORT.
 */
export function loadEnv<S extends z.ZodTypeAny>(schema: S, source: Record<string, string | undefined> = process.env): z.output<S> {
  const cleaned: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value !== undefined && value.trim() !== '') cleaned[name] = value;
  }
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data as z.output<S>;
  throw new EnvValidationError(result.error.issues.map(describeIssue));
}

function describeIssue(issue: z.ZodIssue): string {
  const name = issue.path.join('.') || '(environment)';
  if (issue.code === 'invalid_type') {
    if (issue.received === 'undefined') return `${name} is required`;
    // Our own pieces set messages like "must be a number"; zod's defaults ("Expected array, received string") get rephrased.
    if (!issue.message.startsWith('Expected')) return `${name} ${issue.message}`;
    return `${name} must be ${issue.expected} (got ${issue.received})`;
  }
  // Messages from the shared pieces read after the name ("must be a URL"); zod's defaults are sentences.
  return /^(must|is|should) /.test(issue.message) ? `${name} ${issue.message}` : `${name}: ${issue.message}`;
}
