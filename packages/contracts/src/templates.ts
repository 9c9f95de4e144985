import { z } from 'zod';

/**
 * Industry templates: what the agent should learn about callers in one industry (the fields the
 * LLM extracts after each call), how the system prompt frames the agent, and how a caller's
 * one-line quick bio is rendered. Definitions are stored versioned and immutable in
 * industry_template_versions.definition; tenants pin a version.
 */

export const templateFieldTypes = ['string', 'number', 'boolean', 'date', 'string[]'] as const;
export type TemplateFieldType = (typeof templateFieldTypes)[number];

/** Placeholders a quick bio may use besides the template's own field keys. */
export const quickBioBuiltInPlaceholders = ['name'] as const;

const placeholderPattern = /\{\{\s*([a-z][a-z0-9_]*)\s*\}\}/g;

/** The `{{placeholder}}` names used in a template string, in order of appearance. */
export function templatePlaceholders(text: string): string[] {
  return [...text.matchAll(placeholderPattern)].map((match) => match[1] as string);
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
        /** e.g. "{{name}} | {{city}} | Client since {{client_since}} | {{policy_summary}}" */
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
    const known = new Set<string>([...keys, ...quickBioBuiltInPlaceholders]);
    for (const placeholder of templatePlaceholders(definition.quickBio.format)) {
      if (!known.has(placeholder)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['quickBio', 'format'],
          message: `placeholder {{${placeholder}}} is not a field key of this template`,
        });
      }
    }
  });
export type IndustryTemplateDefinition = z.infer<typeof industryTemplateDefinitionSchema>;
