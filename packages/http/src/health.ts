import { Router } from 'express';
import type { Logger } from 'pino';

/** A readiness check resolves when its dependency answers and rejects (or hangs) when it does not. */
export type ReadinessCheck = () => Promise<void>;

export interface HealthRoutesOptions {
  checks: Record<string, ReadinessCheck>;
  /** A check that has not answered by then counts as failed; default 2000 ms. */
  timeoutMs?: number;
  /** Where failed checks are reported (the response only names them). */
  logger?: Logger;
}

/**
 * `GET /healthz`: the process is up (liveness). `GET /readyz`: every dependency answers
 * (readiness): 200 `{status:"ok", checks}` or 503 `{status:"unavailable", error, checks}`.
 */
export function healthRoutes({ checks, timeoutMs = 2000, logger }: HealthRoutesOptions): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const names = Object.keys(checks);
    const outcomes = await Promise.all(names.map((name) => runCheck(checks[name]!, timeoutMs)));
    const results: Record<string, 'ok' | 'failed'> = {};
    const failing: string[] = [];
    names.forEach((name, index) => {
      const failure = outcomes[index];
      results[name] = failure ? 'failed' : 'ok';
      if (failure) {
        failing.push(name);
        logger?.warn({ check: name, err: failure }, `readiness check ${name} failed`);
      }
    });
    if (failing.length === 0) {
      res.json({ status: 'ok', checks: results });
      return;
    }
    res.status(503).json({ status: 'unavailable', error: `Not ready: ${failing.join(', ')} unavailable`, checks: results });
  });
  return router;
}

/** Resolves with the failure, or undefined when the check passed in time. */
async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<Error | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([check(), timeout]);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    clearTimeout(timer);
  }
}

/** Readiness check for a pg Pool (or anything with `query`): `SELECT 1`. */
export function postgresCheck(pool: { query(sql: string): Promise<unknown> }): ReadinessCheck {
  return async () => {
    await pool.query('SELECT 1');
  };
}

/** Readiness check for an ioredis client (or anything with `ping`). */
export function redisCheck(redis: { ping(): Promise<unknown> }): ReadinessCheck {
  return async () => {
    await redis.ping();
  };
}
