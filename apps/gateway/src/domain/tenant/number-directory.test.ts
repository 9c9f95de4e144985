import { createNumberDirectory, NumberLookupTimeoutError } from './number-directory';
import type { NumberDirectoryOptions } from './number-directory';
import type { NumberOwner } from './resolve-number-owner';

const NUMBER = '+12015550101';
const TTL_MS = 15_000;

function owner(overrides: Partial<NumberOwner> = {}): NumberOwner {
  return {
    customerId: 7,
    status: 'active',
    twilioAccount: 'platform',
    twilioAuthToken: 'platform-token',
    suspendedMessage: null,
    transferNumber: null,
    speechTimeoutSeconds: 3,
    voiceMode: 'gather',
    speech: { language: 'en-US', voice: 'Polly.Joanna-Neural' },
    ...overrides,
  };
}

/**
 * A directory whose database is a queue of answers the test releases by hand, on a clock the
 * test moves: every lookup is recorded and stays pending until `answer` or `fail` is called.
 */
function setUp(overrides: Partial<NumberDirectoryOptions> = {}) {
  let now = 1_000_000;
  const pending: Array<{ resolve: (owner: NumberOwner | null) => void; reject: (error: Error) => void }> = [];
  const refreshFailures: unknown[] = [];
  const directory = createNumberDirectory({
    lookup: () => new Promise((resolve, reject) => pending.push({ resolve, reject })),
    cacheTtlMs: TTL_MS,
    lookupTimeoutMs: 1_000,
    onRefreshFailed: (_e164, error) => refreshFailures.push(error),
    nowMs: () => now,
    ...overrides,
  });
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return {
    directory,
    lookups: () => pending.length,
    answer: async (found: NumberOwner | null) => {
      pending.at(-1)!.resolve(found);
      await settle();
    },
    fail: async (error: Error) => {
      pending.at(-1)!.reject(error);
      await settle();
    },
    advance: (ms: number) => (now += ms),
    /** The number found once, so the cache holds its owner from now on. */
    prime: async () => {
      const first = directory.find(NUMBER);
      pending.at(-1)!.resolve(owner());
      await first;
    },
    refreshFailures,
  };
}

describe('createNumberDirectory', () => {
  it('reads a number once while its owner is fresh, and shares one lookup between concurrent webhooks', async () => {
    const t = setUp();
    const first = t.directory.find(NUMBER);
    const second = t.directory.find(NUMBER);
    expect(t.lookups()).toBe(1);
    await t.answer(owner());
    expect(await first).toEqual(owner());
    expect(await second).toEqual(owner());

    t.advance(TTL_MS - 1);
    expect(await t.directory.find(NUMBER)).toEqual(owner());
    expect(t.lookups()).toBe(1);
  });

  it('after the TTL answers at once with the owner read before and refreshes it in the background', async () => {
    const t = setUp();
    await t.prime();

    t.advance(TTL_MS);
    // The refresh is still pending, yet the webhook has its answer.
    expect(await t.directory.find(NUMBER)).toEqual(owner());
    expect(t.lookups()).toBe(2);
    expect(await t.directory.find(NUMBER)).toEqual(owner()); // no second refresh while one runs
    expect(t.lookups()).toBe(2);

    await t.answer(owner({ status: 'suspended', suspendedMessage: 'Closed today.' }));
    expect(await t.directory.find(NUMBER)).toMatchObject({ status: 'suspended', suspendedMessage: 'Closed today.' });
    expect(t.lookups()).toBe(2);
  });

  it('waits for the database once the owner is more than twice the TTL old', async () => {
    const t = setUp();
    await t.prime();

    t.advance(2 * TTL_MS);
    let settled = false;
    const found = t.directory.find(NUMBER).then((result) => {
      settled = true;
      return result;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    await t.answer(owner({ customerId: 8 }));
    expect(await found).toMatchObject({ customerId: 8 });
  });

  it('forgets a number whose refresh finds no owner, and never caches an unknown number', async () => {
    const t = setUp();
    await t.prime();

    t.advance(TTL_MS);
    await t.directory.find(NUMBER);
    await t.answer(null); // released from the tenant meanwhile

    const afterRelease = t.directory.find(NUMBER);
    expect(t.lookups()).toBe(3);
    await t.answer(null);
    expect(await afterRelease).toBeNull();

    const again = t.directory.find(NUMBER);
    expect(t.lookups()).toBe(4);
    await t.answer(null);
    expect(await again).toBeNull();
  });

  it('keeps the owner read before when a background refresh fails, and reports the failure', async () => {
    const t = setUp();
    await t.prime();

    t.advance(TTL_MS);
    expect(await t.directory.find(NUMBER)).toEqual(owner());
    expect(await t.directory.find(NUMBER)).toEqual(owner()); // a second webhook during the refresh
    await t.fail(new Error('connection refused'));
    expect(t.refreshFailures).toEqual([new Error('connection refused')]); // one failure, reported once

    expect(await t.directory.find(NUMBER)).toEqual(owner()); // still usable, and a new refresh starts
    expect(t.lookups()).toBe(3);
  });

  it('gives up on a lookup a webhook waits for after the lookup budget', async () => {
    const t = setUp({ lookupTimeoutMs: 20 });
    await expect(t.directory.find(NUMBER)).rejects.toBeInstanceOf(NumberLookupTimeoutError);
  });

  it('reads every time when caching is off', async () => {
    const t = setUp({ cacheTtlMs: 0 });
    const first = t.directory.find(NUMBER);
    await t.answer(owner());
    await first;
    const second = t.directory.find(NUMBER);
    expect(t.lookups()).toBe(2);
    await t.answer(owner());
    await second;
  });
});
