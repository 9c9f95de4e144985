import { UnrecoverableError } from 'bullmq';

/**
 * The one way to say that retrying a job cannot help (a payload that does not parse, data that
 * will stay malformed, a request the other side refused as invalid): the job goes to the failed
 * set at once, whatever attempts it has left. Anything else a handler throws is retried with the
 * job's backoff.
 *
 * It is a BullMQ `UnrecoverableError` (the worker tests `instanceof`), so it stops retries from
 * anywhere in the handler's call stack; `failedReason` is `reason`.
 */
export class PermanentJobError extends UnrecoverableError {
  override readonly name = 'PermanentJobError';

  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason);
    if (options && 'cause' in options) this.cause = options.cause;
  }
}
