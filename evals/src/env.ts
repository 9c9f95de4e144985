import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';

/** The dev stack's shared env file (scripts/start writes it): where `pnpm eval` finds PostgreSQL and Redis by default. */
const devEnvFile = path.join(process.env.NEUROSPHERE_LOCAL_DIR ?? path.resolve(__dirname, '..', '..', '.local'), 'env', 'shared.env');
/** Only these are taken from the dev stack's file: its provider variables point at its own simulated providers. */
const FROM_DEV_STACK = ['DATABASE_URL', 'DATABASE_PLATFORM_URL', 'REDIS_URL'] as const;

const envSchema = z.object({
  // The database the evaluation tenants are created in, as the services' role and as the platform role.
  DATABASE_URL: z.string().url(),
  DATABASE_PLATFORM_URL: z.string().url(),
  // The Redis the services' queues and call state use.
  REDIS_URL: z.string().url(),
  // Set: the real model answers (through this key); unset: the scenarios' scripted simulated model.
  OPENAI_API_KEY: z.string().min(1).optional(),
  // Where the real model is (an OpenAI-compatible API).
  OPENAI_BASE_URL: z.string().url().default('https://api.openai.com/v1'),
  // Calls played at once on the shared stack.
  EVAL_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(8),
});

export type EvalEnv = z.infer<typeof envSchema>;

/**
 * The evaluation run's configuration: the shell's variables (scripts/test sets the database and
 * Redis), else the running dev stack's PostgreSQL and Redis. Fails naming what is missing.
 */
export function loadEvalEnv(env: NodeJS.ProcessEnv = process.env): EvalEnv {
  const fromDevStack: Record<string, string> = {};
  if (!env.DATABASE_URL && existsSync(devEnvFile)) {
    const devEnv = parseEnv(readFileSync(devEnvFile, 'utf8'));
    for (const name of FROM_DEV_STACK) if (devEnv[name]) fromDevStack[name] = devEnv[name];
  }
  const parsed = envSchema.safeParse({ ...fromDevStack, ...Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')) });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(
      `pnpm eval needs a PostgreSQL and a Redis: run scripts/start first, or set DATABASE_URL, DATABASE_PLATFORM_URL and REDIS_URL (${problems})`,
    );
  }
  return parsed.data;
}
