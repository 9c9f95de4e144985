/// <reference types="jest" />
// A test-suite helper run inside jest: its globals (beforeAll, afterAll) are in scope there.

/**
 * Starts a harness (or anything else a block of tests shares) before the tests of the enclosing
 * describe block (or file) and closes it after them, if it has a close(), in place of a `let` with
 * its own beforeAll and afterAll in every file:
 *
 *   const harness = useHarness(() => startHarness({ retry }));
 *
 * The value returned stands for the harness once started: read it inside tests and hooks (hooks
 * declared after this call run after the start), never while the tests are being declared. If
 * starting fails, every test of the block fails with that error and there is nothing to close.
 * jest runs afterAll hooks in declaration order too, so the harness closes before the afterAll
 * hooks declared after this call: stop what uses the harness (workers, pollers) in an afterEach,
 * or in an afterAll declared before it.
 */
export function useHarness<T extends object>(start: () => Promise<T> | T): T {
  let current: T | undefined;
  beforeAll(async () => {
    current = await start();
  });
  afterAll(async () => {
    const started = current as { close?: () => unknown } | undefined;
    current = undefined;
    if (typeof started?.close === 'function') await started.close();
  });
  const started = (): T => {
    if (current === undefined) throw new Error('the harness is used before it started (or after it closed): use it inside a test or hook');
    return current;
  };
  return new Proxy({} as T, {
    // Values are handed out as they are (an Express app is a function with its own `bind`); a
    // method called on the stand-in gets it as `this`, which reads through to the harness.
    get: (_target, key) => Reflect.get(started(), key),
    has: (_target, key) => key in started(),
    // `{ ...harness }` copies the started harness's own fields.
    ownKeys: () => Reflect.ownKeys(started()),
    getOwnPropertyDescriptor(_target, key) {
      const descriptor = Reflect.getOwnPropertyDescriptor(started(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}
