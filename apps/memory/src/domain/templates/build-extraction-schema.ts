import { personalityScaleNames, personalityScales } from '@neurosphere/contracts';
import type { IndustryTemplateDefinition, IndustryTemplateField, PersonalityScale } from '@neurosphere/contracts';
import { z } from 'zod';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** One change the summarizer proposes to one profile field. */
export interface ProfileChange {
  /** A field key of the tenant's pinned template. */
  field: string;
  /** set: the field's new value (lists: the whole new list); unset: the stored value no longer holds. */
  action: 'set' | 'unset';
  /** The new value for set (typed as the field), null for unset. */
  value: unknown;
  /** Why, from what was said in the call. */
  reason: string;
}

/** What the summarizer returns for one call (the extraction schema's output). */
export interface CallInsights {
  summary: string;
  key_topics: string[];
  caller_name: string | null;
  facts: string[];
  changes: ProfileChange[];
  /** null when the call was not scored (short, voicemail) or gave too little to judge. */
  personality: Record<PersonalityScale, number> | null;
}

export interface ExtractionSchemaOptions {
  /** false: the schema has no personality key at all, so the model is not asked (short calls, voicemail). */
  scorePersonality: boolean;
}

/** The zod type of one template field's value as the model must return it. */
function valueSchema(field: IndustryTemplateField): z.ZodTypeAny {
  switch (field.type) {
    case 'string':
      return z.string();
    case 'number':
      return z.number();
    case 'boolean':
      return z.boolean();
    case 'date':
      return z.string().regex(ISO_DATE, 'must be a date as YYYY-MM-DD');
    case 'string[]':
      return z.array(z.string());
  }
}

function changeSchema(field: IndustryTemplateField) {
  return z.object({
    field: z.literal(field.key),
    action: z.enum(['set', 'unset']),
    value: valueSchema(field)
      .nullable()
      .describe(
        `${field.label} (${field.type}${field.type === 'date' ? ', YYYY-MM-DD' : ''}). ${field.hint} The new value for set; null for unset.`,
      ),
    reason: z.string().describe('What the caller said in this call that makes this change, in a few words.'),
  });
}

/**
 * The structured output the summarization model must produce for a tenant's pinned template: a
 * summary, key topics, the caller's name, durable facts, the CHANGES this call makes to the
 * caller's profile (per field: set with the whole new value, or unset, each with its reason;
 * fields the call did not change are left out), and, when the call is long enough to judge, one
 * score per personality scale or null. Every key is required and unknown is null, as OpenAI's
 * strict JSON-schema mode requires. Strict mode cannot express refinements, so parseInsights
 * re-validates the answer with this schema and then checks what the schema cannot: set carries a
 * value, unset none, and a field changes at most once.
 */
export function buildExtractionSchema(template: IndustryTemplateDefinition, options: ExtractionSchemaOptions) {
  const [first, ...rest] = template.fields.map(changeSchema);
  if (!first) throw new Error(`template ${template.industry} v${template.version} has no fields`);
  const changes = z
    .array(z.discriminatedUnion('field', [first, ...rest]))
    .describe(
      `Changes this call makes to the caller's profile for a ${template.name}, compared with the current profile; ` +
        'an empty list when the call changes nothing.',
    );
  const base = {
    summary: z
      .string()
      .min(1)
      .describe('Two or three sentences in the third person: what the caller wanted and what was agreed ("The caller said ...").'),
    key_topics: z.array(z.string()).describe('A few short topic labels, e.g. "new driver", "renewal".'),
    caller_name: z.string().nullable().describe("The caller's full name if they said it in this call, else null."),
    facts: z
      .array(z.string())
      .describe('Durable facts worth remembering for future calls, each one sentence starting "The caller said"; empty if none.'),
    changes,
  };
  if (!options.scorePersonality) return z.object(base);
  const personality = z
    .object(
      Object.fromEntries(
        personalityScaleNames.map((scale) => [scale, z.number().int().min(0).max(100).describe(personalityScales[scale])]),
      ) as Record<PersonalityScale, z.ZodNumber>,
    )
    .nullable()
    .describe('How the caller came across in this call, each scale an integer from 0 to 100; null if the call gives too little to judge.');
  return z.object({ ...base, personality });
}

/**
 * Parses the model's answer into CallInsights (personality null when the schema had none). Throws
 * a ZodError, like the schema itself, for changes that contradict themselves.
 */
export function parseInsights(schema: ReturnType<typeof buildExtractionSchema>, answer: unknown): CallInsights {
  const parsed = schema.parse(answer) as Omit<CallInsights, 'personality'> & { personality?: CallInsights['personality'] };
  const issues: z.ZodIssue[] = [];
  const seen = new Set<string>();
  parsed.changes.forEach((change, index) => {
    if (seen.has(change.field)) {
      issues.push({ code: z.ZodIssueCode.custom, path: ['changes', index, 'field'], message: `${change.field} is changed more than once` });
    }
    seen.add(change.field);
    if ((change.action === 'set') !== (change.value !== null)) {
      const message = change.action === 'set' ? 'set needs a value' : 'unset takes no value (null)';
      issues.push({ code: z.ZodIssueCode.custom, path: ['changes', index, 'value'], message });
    }
  });
  if (issues.length > 0) throw new z.ZodError(issues);
  return { ...parsed, personality: parsed.personality ?? null };
}
