/** Our own deadline passed (as opposed to a provider answering with an error). */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
  ) {
    super(`${operation} timed out after ${timeoutMs} ms`);
  }
}

/**
 * Runs `work` and rejects with a TimeoutError after `timeoutMs`, whether or not `work` honours the
 * abort signal it is given (a hung Redis socket does not). The signal is aborted on timeout so
 * SDKs that do honour it release their sockets.
 */
export async function withTimeout<T>(operation: string, timeoutMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  if (timeoutMs <= 0) {
    controller.abort();
    throw new TimeoutError(operation, 0);
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new TimeoutError(operation, timeoutMs);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  const running = work(controller.signal);
  // A late rejection after the timeout won must not become an unhandled rejection.
  running.catch(() => undefined);
  try {
    return await Promise.race([running, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The time left to answer one webhook. Every step asks it how long it may take, so a slow
 * provider early in the turn shortens the waits after it instead of pushing the answer late.
 */
export class Deadline {
  private readonly endsAt: number;

  constructor(
    budgetMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.endsAt = now() + budgetMs;
  }

  remainingMs(): number {
    return Math.max(0, this.endsAt - this.now());
  }

  /** `preferredMs`, shortened so that `reserveMs` is still left afterwards (never negative). */
  allow(preferredMs: number, reserveMs = 0): number {
    return Math.max(0, Math.min(preferredMs, this.remainingMs() - reserveMs));
  }

  expired(): boolean {
    return this.remainingMs() === 0;
  }
}
