import { templatePlaceholders } from '@neurosphere/contracts';
import type { IndustryTemplateDefinition, TemplateFieldType } from '@neurosphere/contracts';

/** What a Quick Bio is rendered from: the caller's name and the profile's template variables. */
export interface QuickBioInput {
  name: string | null;
  variables: Record<string, unknown>;
}

/**
 * Renders the template's `quickBio.format` (e.g. `{{name}} | {{city}} | Client since
 * {{client_since}} | {{policy_summary}}`) from stored profile fields: deterministic, never model
 * free text. The format is read as segments separated by `|`; a segment whose placeholders are
 * not all known is left out (so an unknown city does not print "| |"). Values: lists joined with
 * ", ", numbers with thousands separators, booleans as yes/no, dates as stored (YYYY-MM-DD).
 * Returns null when nothing is known.
 */
export function renderQuickBio(template: IndustryTemplateDefinition, input: QuickBioInput): string | null {
  const types = new Map<string, TemplateFieldType>(template.fields.map((field) => [field.key, field.type]));
  const values: Record<string, unknown> = { ...input.variables, name: input.name };
  const segments = template.quickBio.format
    .split('|')
    .map((segment) => segment.trim())
    .filter((segment) => segment.length > 0)
    .flatMap((segment) => {
      const placeholders = templatePlaceholders(segment);
      const rendered: Record<string, string> = {};
      for (const key of placeholders) {
        const text = formatValue(values[key], types.get(key));
        if (text === null) return [];
        rendered[key] = text;
      }
      return [segment.replace(/\{\{\s*([a-z][a-z0-9_]*)\s*\}\}/g, (_match, key: string) => rendered[key] ?? '')];
    });
  return segments.length > 0 ? segments.join(' | ') : null;
}

function formatValue(value: unknown, type: TemplateFieldType | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) {
    const items = value.filter((item) => item !== null && item !== undefined && String(item).trim() !== '').map(String);
    return items.length > 0 ? items.join(', ') : null;
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    return type === 'number' || type === undefined ? value.toLocaleString('en-US') : String(value);
  }
  const text = String(value).trim();
  return text === '' ? null : text;
}
