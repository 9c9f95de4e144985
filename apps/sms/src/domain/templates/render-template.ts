/** Twilio's limit for one message body (it splits longer texts into segments up to this). */
export const MAX_SMS_BODY_LENGTH = 1600;

/** `{{ name }}` placeholders; names are letters, digits, `_`, `-` and `.`. */
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

export type RenderResult = { ok: true; text: string } | { ok: false; missing: string[] };

/**
 * Fills a template's placeholders from `values`. A placeholder without a non-empty value is
 * reported (each name once, in order of appearance) instead of being sent as an empty gap.
 */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>): RenderResult {
  const missing: string[] = [];
  const text = template.replace(PLACEHOLDER, (placeholder, name: string) => {
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (value === undefined || value.trim() === '') {
      if (!missing.includes(name)) missing.push(name);
      return placeholder;
    }
    return value;
  });
  return missing.length > 0 ? { ok: false, missing } : { ok: true, text };
}

/**
 * The string values of a caller profile's `variables` JSON: strings as they are, numbers and
 * booleans as text; nested objects, arrays and nulls are not placeholder values.
 */
export function profileValues(variables: unknown): Record<string, string> {
  if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) return {};
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(variables)) {
    if (typeof value === 'string') values[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') values[key] = String(value);
  }
  return values;
}
