import type { Db } from '@neurosphere/db';
import type { Logger } from '@neurosphere/http';
import type { CallFinishScheduler } from '../domain/call-runtime/call-runtime';
import { findCallsToFinish, findTenantsWithCallsToFinish } from '../domain/calls/find-calls-to-finish';

export interface CallReaperOptions {
  db: Db;
  callFinishes: CallFinishScheduler;
  logger: Logger;
  /** CALL_REAP_INTERVAL_SECONDS, in ms. */
  intervalMs: number;
  /** CALL_REAP_AFTER_SECONDS, in ms: an open call older than this is checked with Twilio. */
  reapAfterMs: number;
}

export interface CallReaper {
  /** One sweep: a finish-call job for every call to finish, of `customerId` only when given. Returns how many were scheduled. */
  sweep(options?: { customerId?: number; now?: Date }): Promise<number>;
  close(): void;
}

/**
 * Hands calls with no end (or an end kept in the outbox) to finish-call jobs, every intervalMs.
 * It is a timer rather than a BullMQ repeatable job because every job here belongs to one tenant;
 * each orchestrator process sweeps, and the jobs' deterministic ids make the overlap harmless. A
 * sweep that fails (PostgreSQL or Redis down) is logged; the next one tries again.
 */
export function startCallReaper(options: CallReaperOptions): CallReaper {
  const { db, logger } = options;
  let running = false;

  async function sweep(sweepOptions: { customerId?: number; now?: Date } = {}): Promise<number> {
    const openBefore = new Date((sweepOptions.now ?? new Date()).getTime() - options.reapAfterMs);
    const tenants =
      sweepOptions.customerId === undefined ? await findTenantsWithCallsToFinish({ db, openBefore }) : [sweepOptions.customerId];
    let scheduled = 0;
    for (const customerId of tenants) {
      for (const call of await findCallsToFinish({ db, customerId, openBefore })) {
        await options.callFinishes.schedule(call);
        scheduled += 1;
      }
    }
    return scheduled;
  }

  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweep()
      .then((scheduled) => scheduled > 0 && logger.info({ scheduled }, 'call reaper scheduled calls to finish'))
      .catch((error: unknown) => logger.error({ err: error }, 'call reaper sweep failed; the next one retries'))
      .finally(() => {
        running = false;
      });
  }, options.intervalMs);
  timer.unref();

  return { sweep, close: () => clearInterval(timer) };
}
