import { personalityScaleNames } from '@neurosphere/contracts';

/**
 * Folds one call's scores into running averages without re-reading past calls:
 * avg' = avg + (score - avg) / (n + 1), per scale. Scales missing from the previous averages
 * (e.g. imported legacy data) start from this call; scores outside the fixed set are ignored.
 */
export function updateAverages(options: { previous: Record<string, number> | null; sampleCount: number; scores: Record<string, number> }): {
  averages: Record<string, number>;
  sampleCount: number;
} {
  const { previous, sampleCount, scores } = options;
  const averages: Record<string, number> = { ...(previous ?? {}) };
  for (const scale of personalityScaleNames) {
    const score = scores[scale];
    if (typeof score !== 'number' || !Number.isFinite(score)) continue;
    const before = averages[scale];
    averages[scale] = typeof before === 'number' && sampleCount > 0 ? before + (score - before) / (sampleCount + 1) : score;
  }
  return { averages, sampleCount: sampleCount + 1 };
}
