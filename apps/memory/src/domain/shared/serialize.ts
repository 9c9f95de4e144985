/** A timestamp as the API returns it: ISO 8601 in UTC (`2026-11-29T10:00:00.000Z`). */
export function toIso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

export function toIsoOrNull(value: Date | string | null | undefined): string | null {
  return value === null || value === undefined ? null : toIso(value);
}

/** JSON columns typed as objects: anything else (corrupt or legacy data) reads as empty. */
export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function asStringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export function asNumberRecord(value: unknown): Record<string, number> {
  const numbers: Record<string, number> = {};
  for (const [key, item] of Object.entries(asRecord(value))) {
    if (typeof item === 'number' && Number.isFinite(item)) numbers[key] = item;
  }
  return numbers;
}
