import { BENCHMARKS, parseBenchArgs } from '../run';

describe('pnpm bench arguments', () => {
  it('runs every benchmark by default, in the listed order', () => {
    expect(parseBenchArgs([])).toEqual({ benchmarks: BENCHMARKS, smoke: false, list: false });
  });

  it('runs the named benchmarks in the listed order, once each', () => {
    const { benchmarks, smoke } = parseBenchArgs(['worker', '--smoke', 'memory', 'worker']);
    expect(benchmarks.map((benchmark) => benchmark.name)).toEqual(['memory', 'worker']);
    expect(smoke).toBe(true);
  });

  it('refuses an unknown name, naming the known ones', () => {
    expect(() => parseBenchArgs(['memroy'])).toThrow(
      /unknown benchmark or option "memroy"[\s\S]*names: memory, call-turn, sms, worker, onboarding, relay, idle-memory/,
    );
  });
});
