import { replaceTemplatePlaceholders } from '@neurosphere/contracts';
import type { IndustryTemplateDefinition, QuickBioFormatter, TemplateFieldType, TemplatePlaceholder } from '@neurosphere/contracts';

/** What a Quick Bio is rendered from: the caller's name and the profile's template variables. */
export interface QuickBioInput {
  name: string | null;
  variables: Record<string, unknown>;
}

/**
 * Renders the template's `quickBio.format` (e.g. `{{name}} | {{city}} | Client since
 * {{client_since|year}} | {{policies|count}}`) from stored profile fields: deterministic, never
 * model free text. The format is read as segments separated by `|`; a segment whose placeholders
 * are not all known is left out (so an unknown city does not print "| |"). Plain placeholders
 * show the value as stored: lists joined with ", ", numbers with thousands separators, booleans
 * as yes/no, dates as YYYY-MM-DD. Formatters (`quickBioFormatters` in contracts) show it as
 * people say it. Returns null when nothing is known.
 */
export function renderQuickBio(template: IndustryTemplateDefinition, input: QuickBioInput): string | null {
  const types = new Map<string, TemplateFieldType>(template.fields.map((field) => [field.key, field.type]));
  const values: Record<string, unknown> = { ...input.variables, name: input.name };
  const segments = template.quickBio.format
    // Segments split at "|" outside placeholders ({{key|formatter}} has its own).
    .split(/\|(?![^{]*\}\})/)
    .map((segment) => segment.trim())
    .filter((segment) => segment.length > 0)
    .flatMap((segment) => {
      let complete = true;
      const rendered = replaceTemplatePlaceholders(segment, (placeholder) => {
        const text = formatPlaceholder(placeholder, values[placeholder.key], types.get(placeholder.key));
        if (text === null) complete = false;
        return text ?? '';
      });
      return complete ? [rendered] : [];
    });
  return segments.length > 0 ? segments.join(' | ') : null;
}

function formatPlaceholder(placeholder: TemplatePlaceholder, value: unknown, type: TemplateFieldType | undefined): string | null {
  if (value === null || value === undefined) return null;
  const formatter = placeholder.formatter as QuickBioFormatter | null;
  switch (formatter) {
    case null:
      return plain(value, type);
    case 'year':
      return isoDate(value)?.slice(0, 4) ?? null;
    case 'date': {
      const date = isoDate(value);
      return date === null ? null : SPOKEN_DATE.format(new Date(`${date}T00:00:00Z`));
    }
    case 'money':
      return typeof value === 'number' && Number.isFinite(value) ? money(value, placeholder.args[0] ?? 'USD') : null;
    case 'count':
      return countItems(items(value));
    case 'capitalize': {
      const list = Array.isArray(value) ? items(value) : [String(value).trim()].filter((text) => text !== '');
      return list.length > 0 ? list.map(capitalize).join(', ') : null;
    }
    case 'flag':
      if (typeof value !== 'boolean') return null;
      return (value ? placeholder.args[0] : placeholder.args[1]) || null;
  }
}

function plain(value: unknown, type: TemplateFieldType | undefined): string | null {
  if (Array.isArray(value)) {
    const list = items(value);
    return list.length > 0 ? list.join(', ') : null;
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    return type === 'number' || type === undefined ? value.toLocaleString('en-US') : String(value);
  }
  const text = String(value).trim();
  return text === '' ? null : text;
}

function items(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.map((item) => (item === null || item === undefined ? '' : String(item).trim())).filter((item) => item !== '');
}

/** YYYY-MM-DD of a stored date (dates are stored as YYYY-MM-DD; a full ISO timestamp is accepted). */
function isoDate(value: unknown): string | null {
  const match = typeof value === 'string' ? /^(\d{4}-\d{2}-\d{2})/.exec(value.trim()) : null;
  return match?.[1] ?? null;
}

const SPOKEN_DATE = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });

/** Compact, as people say amounts: $950, $500K, $1.3M. */
function money(amount: number, currency: string): string {
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency,
    notation: 'compact',
    minimumFractionDigits: 0,
    maximumFractionDigits: Math.abs(amount) < 1000 ? 0 : 1,
  }).format(amount);
}

/** ["auto", "Auto", "home"] → "2 Auto + 1 Home": equal items in any case, in order of first mention. */
function countItems(list: string[]): string | null {
  const counts = new Map<string, { label: string; count: number }>();
  for (const item of list) {
    const key = item.toLowerCase();
    const entry = counts.get(key) ?? { label: capitalize(item), count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  if (counts.size === 0) return null;
  return [...counts.values()].map(({ label, count }) => `${count} ${label}`).join(' + ');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
