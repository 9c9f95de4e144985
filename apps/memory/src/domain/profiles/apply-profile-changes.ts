import { isDeepStrictEqual } from 'node:util';
import type { ProfileChange } from '../templates/build-extraction-schema';

/** A change that altered the profile, as stored in call_summaries.profile_changes. */
export interface AppliedProfileChange {
  field: string;
  action: 'set' | 'unset';
  /** The new value (set only). */
  value?: unknown;
  reason: string;
}

/**
 * Applies the summarizer's changes to a profile's variables. Fields without a change keep their
 * value, so a call that does not mention something never erases it. `set` replaces the value
 * (lists included: the summarizer saw the stored list and returns the whole new one, so a list can
 * also shrink); `unset` removes it. Text is trimmed; an empty text or list counts as unset. A
 * change that would leave the value as it was is not applied and not reported.
 */
export function applyProfileChanges(
  current: Record<string, unknown>,
  changes: ProfileChange[],
): { variables: Record<string, unknown>; applied: AppliedProfileChange[] } {
  const variables: Record<string, unknown> = { ...current };
  const applied: AppliedProfileChange[] = [];
  for (const change of changes) {
    const value = change.action === 'set' ? normalize(change.value) : null;
    if (value === null) {
      if (!(change.field in variables)) continue;
      delete variables[change.field];
      applied.push({ field: change.field, action: 'unset', reason: change.reason });
      continue;
    }
    if (isDeepStrictEqual(variables[change.field], value)) continue;
    variables[change.field] = value;
    applied.push({ field: change.field, action: 'set', value, reason: change.reason });
  }
  return { variables, applied };
}

/** The value to store, or null when it means "no value". */
function normalize(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (Array.isArray(value)) {
    const items = value.map((item) => (typeof item === 'string' ? item.trim() : item)).filter((item) => item !== '' && item !== null);
    return items.length > 0 ? items : null;
  }
  return value;
}
