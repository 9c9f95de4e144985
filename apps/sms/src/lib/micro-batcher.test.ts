import { createMicroBatcher } from './micro-batcher';

describe('createMicroBatcher', () => {
  it('runs calls made together for one key as one batch, and keys apart', async () => {
    const runs: Array<[string, number[]]> = [];
    const double = createMicroBatcher<number, number>({
      maxSize: 100,
      run: async (key, inputs) => {
        runs.push([key, inputs]);
        return inputs.map((input) => input * 2);
      },
    });
    const results = await Promise.all([double('a', 1), double('b', 10), double('a', 2), double('a', 3)]);
    expect(results).toEqual([2, 20, 4, 6]);
    expect(runs).toEqual([
      ['a', [1, 2, 3]],
      ['b', [10]],
    ]);
  });

  it('gathers calls that arrive while a batch runs into the next one, one batch per key at a time', async () => {
    const runs: number[][] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let running = 0;
    let maxRunning = 0;
    const echo = createMicroBatcher<number, number>({
      maxSize: 100,
      run: async (_key, inputs) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        runs.push(inputs);
        if (runs.length === 1) await gate;
        running--;
        return inputs;
      },
    });
    const first = echo('k', 1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [echo('k', 2), echo('k', 3)];
    release();
    expect(await Promise.all([first, ...later])).toEqual([1, 2, 3]);
    expect(runs).toEqual([[1], [2, 3]]);
    expect(maxRunning).toBe(1);
  });

  it('splits a crowd into batches of at most maxSize', async () => {
    const runs: number[][] = [];
    const echo = createMicroBatcher<number, number>({
      maxSize: 2,
      run: async (_key, inputs) => {
        runs.push(inputs);
        return inputs;
      },
    });
    expect(await Promise.all([echo('k', 1), echo('k', 2), echo('k', 3)])).toEqual([1, 2, 3]);
    expect(runs).toEqual([[1, 2], [3]]);
  });

  it('rejects every caller of a failed batch, and a batch with the wrong number of results, and keeps going', async () => {
    let fail = true;
    const flaky = createMicroBatcher<number, number>({
      maxSize: 10,
      run: async (_key, inputs) => {
        if (fail) throw new Error('database down');
        return inputs;
      },
    });
    const outcomes = await Promise.allSettled([flaky('k', 1), flaky('k', 2)]);
    expect(outcomes).toEqual([
      { status: 'rejected', reason: new Error('database down') },
      { status: 'rejected', reason: new Error('database down') },
    ]);
    fail = false;
    expect(await flaky('k', 3)).toBe(3);

    const short = createMicroBatcher<number, number>({ maxSize: 10, run: async () => [1] });
    await expect(Promise.all([short('k', 1), short('k', 2)])).rejects.toThrow('batch for k returned 1 results for 2 inputs');
  });
});
