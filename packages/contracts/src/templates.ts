import { z } from 'zod';

/**
 * Industry templates: what the agent should learn about callers in one industry (the fields the
 * LLM extracts after each call), how the system prompt frames the agent, and how a caller's
 * one-line quick bio is rendered. Definitions are stored versioned and immutable in
 * industry_template_versions.definition; tenants pin a version.
 */

export const templateFieldTypes = ['string', 'number', 'boolean', 'date', 'string[]'] as const;
export type TemplateFieldType = (typeof templateFieldTypes)[number];

/** Placeholders a quick bio may use besides the template's own field keys (`name` is a string). */
export const quickBioBuiltInPlaceholders = ['name'] as const;

/**
 * How a Quick Bio placeholder shows its value. `{{key}}` shows it as stored (lists joined with
 * ", ", numbers with thousands separators, booleans yes/no); `{{key|formatter}}` or
 * `{{key|formatter:argument:argument}}` shows it as people say it. Each formatter applies to the
 * field types listed; the template schema refuses any other use. The memory service renders them
 * (apps/memory/src/domain/templates/render-quick-bio.ts).
 */
export const quickBioFormatters = {
  /** `2020-03-15` → `2020`. */
  year: { types: ['date'], minArgs: 0, maxArgs: 0 },
  /** `2026-03-05` → `Mar 5, 2026`. */
  date: { types: ['date'], minArgs: 0, maxArgs: 0 },
  /** `500000` → `$500K`, `1250000` → `$1.3M`, `950` → `$950`; argument: ISO 4217 currency (default USD). */
  money: { types: ['number'], minArgs: 0, maxArgs: 1 },
  /** `["auto", "Auto", "home"]` → `2 Auto + 1 Home`: equal items (any case) counted, in order of first mention. */
  count: { types: ['string[]'], minArgs: 0, maxArgs: 0 },
  /** `"buyer"` → `Buyer`; on a list, each item, joined with ", ". */
  capitalize: { types: ['string', 'string[]'], minArgs: 0, maxArgs: 0 },
  /** true → the first argument; false → the second argument, or the segment is left out without one. */
  flag: { types: ['boolean'], minArgs: 1, maxArgs: 2 },
} as const satisfies Record<string, { types: readonly TemplateFieldType[]; minArgs: number; maxArgs: number }>;
export type QuickBioFormatter = keyof typeof quickBioFormatters;

/** One `{{key}}` or `{{key|formatter:args}}` of a template string. */
export interface TemplatePlaceholder {
  key: string;
  /** null for a plain `{{key}}`. */
  formatter: string | null;
  args: string[];
}

// {{ key }}, {{ key|formatter }}, {{ key | formatter:arg one:arg two }} (arguments: no ':', '|' or '}').
const placeholderPattern = /\{\{\s*([a-z][a-z0-9_]*)\s*(?:\|\s*([a-z][a-z0-9_]*)\s*((?::[^:|}]*)*))?\}\}/g;

/** The placeholders of a template string with their formatters, in order of appearance. */
export function parseTemplatePlaceholders(text: string): TemplatePlaceholder[] {
  return [...text.matchAll(placeholderPattern)].map((match) => ({
    key: match[1] as string,
    formatter: match[2] ?? null,
    args: match[3]
      ? match[3]
          .slice(1)
          .split(':')
          .map((arg) => arg.trim())
      : [],
  }));
}

/** Replaces each placeholder of `text` with `render(placeholder)`. */
export function replaceTemplatePlaceholders(text: string, render: (placeholder: TemplatePlaceholder) => string): string {
  return text.replace(placeholderPattern, (_match, key: string, formatter: string | undefined, args: string | undefined) =>
    render({
      key,
      formatter: formatter ?? null,
      args: args
        ? args
            .slice(1)
            .split(':')
            .map((arg) => arg.trim())
        : [],
    }),
  );
}

/** The `{{placeholder}}` names used in a template string, in order of appearance. */
export function templatePlaceholders(text: string): string[] {
  return parseTemplatePlaceholders(text).map((placeholder) => placeholder.key);
}

function isQuickBioFormatter(name: string): name is QuickBioFormatter {
  return Object.hasOwn(quickBioFormatters, name);
}

/** What is wrong with one Quick Bio placeholder of a template whose fields have `types`, or null. */
function quickBioPlaceholderProblem(placeholder: TemplatePlaceholder, types: Map<string, TemplateFieldType>): string | null {
  const { key, formatter, args } = placeholder;
  const type = types.get(key);
  if (type === undefined) return `placeholder {{${key}}} is not a field key of this template`;
  if (formatter === null) return null;
  if (!isQuickBioFormatter(formatter)) {
    return `{{${key}|${formatter}}}: unknown formatter "${formatter}" (one of: ${Object.keys(quickBioFormatters).join(', ')})`;
  }
  const rule = quickBioFormatters[formatter];
  if (!(rule.types as readonly TemplateFieldType[]).includes(type)) {
    return `{{${key}|${formatter}}}: formatter "${formatter}" applies to ${rule.types.join(' or ')} fields, and ${key} is ${type}`;
  }
  if (args.length < rule.minArgs || args.length > rule.maxArgs) {
    const expected = rule.minArgs === rule.maxArgs ? `${rule.minArgs}` : `${rule.minArgs} to ${rule.maxArgs}`;
    return `{{${key}|${formatter}}}: formatter "${formatter}" takes ${expected} argument(s), got ${args.length}`;
  }
  if (formatter === 'money' && args[0] !== undefined && !/^[A-Z]{3}$/.test(args[0])) {
    return `{{${key}|money:${args[0]}}}: the argument must be an ISO 4217 currency code such as USD`;
  }
  return null;
}

export const industryTemplateFieldSchema = z
  .object({
    /** snake_case key under which the value is stored in caller_profiles.variables. */
    key: z.string().regex(/^[a-z][a-z0-9_]*$/, 'key must be snake_case (a-z, 0-9, _)'),
    label: z.string().trim().min(1, 'label is required'),
    type: z.enum(templateFieldTypes),
    /** Extraction hint for the LLM: what to listen for and how to normalize it. */
    hint: z.string().trim().min(1, 'hint is required'),
    /**
     * A caller may name this detail to prove who they are (with their name) before the agent uses
     * what is stored about them. Mark details a stranger cannot guess (a date of birth, a zip code,
     * a policy number), not ones with a few possible values. When no field of a template is marked,
     * every stored date, number and text of four or more characters counts.
     */
    verifiable: z.boolean().optional(),
  })
  .strict();
export type IndustryTemplateField = z.infer<typeof industryTemplateFieldSchema>;

export const industryTemplateDefinitionSchema = z
  .object({
    /** Stable industry key, e.g. "insurance", "real-estate". */
    industry: z.string().regex(/^[a-z][a-z0-9-]*$/, 'industry must be a lower-case key (a-z, 0-9, -)'),
    version: z.number().int().positive(),
    name: z.string().trim().min(1, 'name is required'),
    fields: z.array(industryTemplateFieldSchema).min(1, 'a template needs at least one field'),
    promptFragments: z
      .object({
        /** Who the agent is for this industry, e.g. "the front desk of an insurance agency". */
        role: z.string().trim().min(1, 'role is required'),
        guidelines: z.array(z.string().trim().min(1)),
        /** Introduces the caller's known facts in the prompt. */
        knownFactsIntro: z.string().trim().min(1).optional(),
      })
      .strict(),
    /** Industry words speech recognition should expect on this industry's calls ("deductible", "escrow"). */
    speechHints: z.array(z.string().trim().min(1).max(100)).max(50, 'at most 50 speech hints').optional(),
    quickBio: z
      .object({
        /**
         * Segments separated by "|", e.g. "{{name}} | {{city}} | Client since {{client_since|year}} |
         * {{policies|count}}"; a segment whose values are not all known is left out. Formatters:
         * quickBioFormatters.
         */
        format: z.string().trim().min(1, 'format is required'),
      })
      .strict(),
  })
  .strict()
  .superRefine((definition, ctx) => {
    const keys = new Set<string>();
    definition.fields.forEach((field, index) => {
      if (keys.has(field.key)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['fields', index, 'key'],
          message: `duplicate field key "${field.key}"`,
        });
      }
      keys.add(field.key);
    });
    const types = new Map<string, TemplateFieldType>([
      ...definition.fields.map((field) => [field.key, field.type] as const),
      ...quickBioBuiltInPlaceholders.map((key) => [key, 'string'] as const),
    ]);
    for (const placeholder of parseTemplatePlaceholders(definition.quickBio.format)) {
      const problem = quickBioPlaceholderProblem(placeholder, types);
      if (problem !== null) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['quickBio', 'format'], message: problem });
    }
  });
export type IndustryTemplateDefinition = z.infer<typeof industryTemplateDefinitionSchema>;
