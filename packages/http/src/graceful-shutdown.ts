import type { Logger } from 'pino';

export interface GracefulShutdownOptions {
  logger: Logger;
  /** Run in order; a failing step is logged, the rest still run, and the exit code becomes 1. */
  steps: Array<() => Promise<void>>;
  /** Give up and exit 1 after this long; default 10 000 ms. */
  timeoutMs?: number;
  /** Process exit; tests inject their own. */
  exit?: (code: number) => void;
}

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Runs `steps` then exits on the first SIGTERM/SIGINT (or when the returned function is called).
 * For processes without an HTTP server, such as BullMQ workers; `startServer` uses it too.
 */
export function handleShutdownSignals(options: GracefulShutdownOptions): (reason: string) => Promise<void> {
  const { logger, steps, timeoutMs = 10_000, exit = (code) => process.exit(code) } = options;
  let running: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals) => void shutdown(signal);

  async function run(reason: string): Promise<void> {
    for (const signal of SIGNALS) process.off(signal, onSignal);
    logger.info({ reason }, 'shutting down');
    const forceExit = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out; forcing exit');
      exit(1);
    }, timeoutMs);
    forceExit.unref();

    let failed = false;
    for (const step of steps) {
      try {
        await step();
      } catch (error) {
        failed = true;
        logger.error({ err: error }, 'shutdown step failed');
      }
    }
    clearTimeout(forceExit);
    logger.info('shutdown complete');
    exit(failed ? 1 : 0);
  }

  function shutdown(reason: string): Promise<void> {
    running ??= run(reason);
    return running;
  }

  for (const signal of SIGNALS) process.once(signal, onSignal);
  return shutdown;
}
