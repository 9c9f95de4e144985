import { personalityScaleNames } from '@neurosphere/contracts';
import { zodResponseFormat } from 'openai/helpers/zod';
import { ZodError } from 'zod';
import { insuranceTemplate } from '../../../test/templates';
import { buildExtractionSchema, parseInsights } from './build-extraction-schema';

describe('buildExtractionSchema', () => {
  const template = insuranceTemplate('insurance-unit');
  const schema = buildExtractionSchema(template, { scorePersonality: true });

  function validAnswer() {
    return {
      summary: 'The caller asked to add a driver.',
      key_topics: ['auto'],
      caller_name: 'John Smith',
      facts: ['The caller said their son Sam just got his license.'],
      changes: [
        { field: 'city', action: 'set', value: 'Orange County', reason: 'The caller said they live in Orange County.' },
        { field: 'policies', action: 'set', value: ['auto', 'home'], reason: 'The caller holds auto and home.' },
        { field: 'spouse', action: 'unset', value: null, reason: 'The caller said they divorced.' },
      ] as Array<{ field: string; action: string; value: unknown; reason: string }>,
      personality: Object.fromEntries(personalityScaleNames.map((scale) => [scale, 40])) as Record<string, number> | null,
    };
  }

  it('becomes a strict JSON-schema response format: changes typed per field, every scale required', () => {
    const format = zodResponseFormat(schema, 'call_insights');
    expect(format.type).toBe('json_schema');
    expect(format.json_schema.strict).toBe(true);
    const root = format.json_schema.schema as {
      required: string[];
      properties: {
        changes: { items: { anyOf: Array<{ properties: { field: { const: string }; value: unknown }; required: string[] }> } };
        personality: { anyOf: Array<{ required?: string[] }> };
      };
    };
    expect(root.required.sort()).toEqual(['caller_name', 'changes', 'facts', 'key_topics', 'personality', 'summary']);
    const options = root.properties.changes.items.anyOf;
    expect(options.map((option) => option.properties.field.const).sort()).toEqual(template.fields.map((field) => field.key).sort());
    for (const option of options) expect(option.required.sort()).toEqual(['action', 'field', 'reason', 'value']);
    expect(root.properties.personality.anyOf[0]?.required?.sort()).toEqual([...personalityScaleNames].sort());
  });

  it('has no personality at all when the call is not scored', () => {
    const unscored = buildExtractionSchema(template, { scorePersonality: false });
    const root = zodResponseFormat(unscored, 'call_insights').json_schema.schema as { required: string[] };
    expect(root.required).not.toContain('personality');
    const { personality, ...answer } = validAnswer();
    expect(personality).not.toBeNull();
    expect(parseInsights(unscored, answer).personality).toBeNull();
    // Scores the model sends although it was not asked for them are not taken either.
    expect(parseInsights(unscored, validAnswer()).personality).toBeNull();
  });

  it('accepts a complete answer, and null personality', () => {
    expect(parseInsights(schema, validAnswer()).changes).toHaveLength(3);
    expect(parseInsights(schema, { ...validAnswer(), personality: null }).personality).toBeNull();
  });

  it.each([
    [
      'a date not in YYYY-MM-DD',
      (answer: ReturnType<typeof validAnswer>) =>
        void answer.changes.push({ field: 'client_since', action: 'set', value: 'March 2020', reason: 'r' }),
      'changes.3.value',
    ],
    [
      'a personality score above 100',
      (answer: ReturnType<typeof validAnswer>) => void (answer.personality!.warmth = 140),
      'personality.warmth',
    ],
    [
      'a field the template does not have',
      (answer: ReturnType<typeof validAnswer>) => void answer.changes.push({ field: 'shoe_size', action: 'set', value: '9', reason: 'r' }),
      'changes.3.field',
    ],
    [
      'a number where a list belongs',
      (answer: ReturnType<typeof validAnswer>) => void answer.changes.push({ field: 'children', action: 'set', value: 2, reason: 'r' }),
      'changes.3.value',
    ],
    [
      'a set without a value',
      (answer: ReturnType<typeof validAnswer>) => void answer.changes.push({ field: 'children', action: 'set', value: null, reason: 'r' }),
      'changes.3.value',
    ],
    [
      'an unset with a value',
      (answer: ReturnType<typeof validAnswer>) =>
        void answer.changes.push({ field: 'children', action: 'unset', value: ['Sam'], reason: 'r' }),
      'changes.3.value',
    ],
    [
      'a field changed twice',
      (answer: ReturnType<typeof validAnswer>) => void answer.changes.push({ field: 'city', action: 'unset', value: null, reason: 'r' }),
      'changes.3.field',
    ],
  ])('refuses %s', (_name, mutate, path) => {
    const answer = validAnswer();
    mutate(answer);
    let caught: unknown;
    try {
      parseInsights(schema, answer);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ZodError);
    expect((caught as ZodError).issues.map((issue) => issue.path.join('.'))).toContain(path);
  });
});
