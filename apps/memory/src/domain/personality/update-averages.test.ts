import { updateAverages } from './update-averages';

describe('updateAverages', () => {
  it('starts from the first call', () => {
    expect(updateAverages({ previous: null, sampleCount: 0, scores: { warmth: 80, patience: 20 } })).toEqual({
      averages: { warmth: 80, patience: 20 },
      sampleCount: 1,
    });
  });

  it('folds each new call in incrementally, equal to the mean of all calls', () => {
    const calls = [80, 40, 60, 100];
    let state: { averages: Record<string, number>; sampleCount: number } = { averages: {}, sampleCount: 0 };
    for (const warmth of calls) state = updateAverages({ previous: state.averages, sampleCount: state.sampleCount, scores: { warmth } });
    expect(state.sampleCount).toBe(4);
    expect(state.averages.warmth).toBeCloseTo(70, 10);
  });

  it('ignores keys outside the fixed scales and keeps scales the call did not score', () => {
    expect(updateAverages({ previous: { urgency: 30 }, sampleCount: 2, scores: { warmth: 50, mood: 99 } })).toEqual({
      averages: { urgency: 30, warmth: 50 },
      sampleCount: 3,
    });
  });
});
