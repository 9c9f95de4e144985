import { Deadline, TimeoutError, withTimeout } from './timeout';

describe('withTimeout', () => {
  it('returns the result of work that finishes', async () => {
    await expect(withTimeout('quick', 1000, async () => 42)).resolves.toBe(42);
  });

  it('rejects with TimeoutError for work that never finishes, and aborts its signal', async () => {
    let signal: AbortSignal | undefined;
    const never = withTimeout('never', 20, (given) => {
      signal = given;
      return new Promise<never>(() => undefined);
    });
    await expect(never).rejects.toEqual(new TimeoutError('never', 20));
    expect(signal?.aborted).toBe(true);
  });

  it('does not start waiting when no time is left', async () => {
    await expect(withTimeout('late', 0, async () => 1)).rejects.toBeInstanceOf(TimeoutError);
  });
});

describe('Deadline', () => {
  it('shortens a wait so the reserve is left, never below zero', () => {
    let now = 1000;
    const deadline = new Deadline(3000, () => now);
    expect(deadline.allow(2500, 600)).toBe(2400);
    now = 3500;
    expect(deadline.allow(2500, 600)).toBe(0);
    expect(deadline.remainingMs()).toBe(500);
    now = 5000;
    expect(deadline.expired()).toBe(true);
  });
});
