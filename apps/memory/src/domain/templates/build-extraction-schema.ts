import { personalityScaleNames, personalityScales } from '@neurosphere/contracts';
import type { IndustryTemplateDefinition, IndustryTemplateField, PersonalityScale } from '@neurosphere/contracts';
import { z } from 'zod';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The zod type of one template field as the LLM must return it (null = not mentioned in this call). */
function fieldSchema(field: IndustryTemplateField): z.ZodTypeAny {
  const description = `${field.label}. ${field.hint} Null if the call did not mention it.`;
  switch (field.type) {
    case 'string':
      return z.string().nullable().describe(description);
    case 'number':
      return z.number().nullable().describe(description);
    case 'boolean':
      return z.boolean().nullable().describe(description);
    case 'date':
      return z.string().regex(ISO_DATE, 'must be a date as YYYY-MM-DD').nullable().describe(`${description} Format YYYY-MM-DD.`);
    case 'string[]':
      return z.array(z.string()).nullable().describe(description);
  }
}

/**
 * The structured output the summarization model must produce for a tenant's pinned template:
 * a summary, key topics, the caller's name, durable facts, one value per template field, and one
 * score per personality scale. Every key is required and "unknown" is null, as OpenAI's strict
 * JSON-schema mode requires; the answer is re-validated by this same schema.
 */
export function buildExtractionSchema(template: IndustryTemplateDefinition) {
  const variables = z
    .object(Object.fromEntries(template.fields.map((field) => [field.key, fieldSchema(field)])))
    .describe(`Facts about the caller for a ${template.name}; null for anything not said in this call.`);
  const personality = z
    .object(
      Object.fromEntries(
        personalityScaleNames.map((scale) => [
          scale,
          z.number().int().min(0).max(100).describe(personalityScales[scale]),
        ]),
      ) as Record<PersonalityScale, z.ZodNumber>,
    )
    .describe('How the caller came across in this call, each scale an integer from 0 to 100.');
  return z.object({
    summary: z.string().min(1).describe('Two or three sentences: why the caller called and what was agreed.'),
    key_topics: z.array(z.string()).describe('A few short topic labels, e.g. "new driver", "renewal".'),
    caller_name: z.string().nullable().describe("The caller's full name if they said it, else null."),
    facts: z
      .array(z.string())
      .describe('Durable facts worth remembering for future calls, one short sentence each; empty if none.'),
    variables,
    personality,
  });
}

export type ExtractionSchema = ReturnType<typeof buildExtractionSchema>;
export type CallInsights = z.infer<ExtractionSchema>;
