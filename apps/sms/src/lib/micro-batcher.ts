export interface MicroBatcherOptions<I, O> {
  /** A batch never holds more than this many calls. */
  maxSize: number;
  /** Runs one batch for one key; resolves with one output per input, in the same order. */
  run(key: string, inputs: I[]): Promise<O[]>;
}

/**
 * Group commit per key (a tenant): calls made in the same event-loop turn run as one batch, and
 * while a key's batch runs, new calls for that key gather and run together right after it. So at
 * low load a call waits for nothing, and under load many concurrent jobs share one database
 * transaction instead of paying its round trips each. At most one batch per key runs at a time.
 * Each caller gets its own output; a failed run rejects every caller of that batch.
 */
export function createMicroBatcher<I, O>(options: MicroBatcherOptions<I, O>): (key: string, input: I) => Promise<O> {
  interface Call {
    input: I;
    resolve: (output: O) => void;
    reject: (error: unknown) => void;
  }
  interface KeyState {
    waiting: Call[];
    running: boolean;
    scheduled: boolean;
  }
  const states = new Map<string, KeyState>();

  const runNext = (key: string, state: KeyState): void => {
    state.scheduled = false;
    const calls = state.waiting.splice(0, options.maxSize);
    if (calls.length === 0) {
      states.delete(key);
      return;
    }
    state.running = true;
    void options
      .run(
        key,
        calls.map((call) => call.input),
      )
      .then((outputs) => {
        if (outputs.length !== calls.length)
          throw new Error(`batch for ${key} returned ${outputs.length} results for ${calls.length} inputs`);
        calls.forEach((call, index) => call.resolve(outputs[index] as O));
      })
      .catch((error: unknown) => calls.forEach((call) => call.reject(error)))
      .finally(() => {
        state.running = false;
        runNext(key, state);
      });
  };

  return (key, input) =>
    new Promise<O>((resolve, reject) => {
      let state = states.get(key);
      if (!state) {
        state = { waiting: [], running: false, scheduled: false };
        states.set(key, state);
      }
      state.waiting.push({ input, resolve, reject });
      if (!state.running && !state.scheduled) {
        state.scheduled = true;
        const scheduledState = state;
        setImmediate(() => runNext(key, scheduledState));
      }
    });
}
