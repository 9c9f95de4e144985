import { personalityScaleNames } from '@neurosphere/contracts';
import { zodResponseFormat } from 'openai/helpers/zod';
import { insuranceTemplate } from '../../../test/templates';
import { buildExtractionSchema } from './build-extraction-schema';

describe('buildExtractionSchema', () => {
  const template = insuranceTemplate('insurance-unit');
  const schema = buildExtractionSchema(template);

  function validAnswer() {
    return {
      summary: 'Asked to add a driver.',
      key_topics: ['auto'],
      caller_name: 'John Smith',
      facts: ['Has a teenage son who just got his license.'],
      variables: {
        city: 'Orange County',
        client_since: '2020-01-01',
        policies: ['auto', 'home'],
        policy_summary: null,
        spouse: null,
        children: ['Sam'],
        open_claim: false,
      },
      personality: Object.fromEntries(personalityScaleNames.map((scale) => [scale, 40])),
    };
  }

  it('becomes a strict JSON-schema response format with every template field and every scale required', () => {
    const format = zodResponseFormat(schema, 'call_insights');
    expect(format.type).toBe('json_schema');
    expect(format.json_schema.strict).toBe(true);
    const root = format.json_schema.schema as {
      required: string[];
      properties: { variables: { required: string[] }; personality: { required: string[] } };
    };
    expect(root.required.sort()).toEqual(['caller_name', 'facts', 'key_topics', 'personality', 'summary', 'variables']);
    expect(root.properties.variables.required.sort()).toEqual(template.fields.map((field) => field.key).sort());
    expect(root.properties.personality.required.sort()).toEqual([...personalityScaleNames].sort());
  });

  it('accepts a complete answer with nulls for what the call did not mention', () => {
    expect(schema.parse(validAnswer()).variables.city).toBe('Orange County');
  });

  it.each([
    ['a date not in YYYY-MM-DD', (answer: ReturnType<typeof validAnswer>) => void (answer.variables.client_since = 'March 2020'), 'variables.client_since'],
    ['a personality score above 100', (answer: ReturnType<typeof validAnswer>) => void ((answer.personality as Record<string, number>).warmth = 140), 'personality.warmth'],
    ['a missing field', (answer: ReturnType<typeof validAnswer>) => void delete (answer.variables as Record<string, unknown>).spouse, 'variables.spouse'],
    ['a number where a list belongs', (answer: ReturnType<typeof validAnswer>) => void ((answer.variables as Record<string, unknown>).children = 2), 'variables.children'],
  ])('refuses %s', (_name, mutate, path) => {
    const answer = validAnswer();
    mutate(answer);
    const result = schema.safeParse(answer);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });
});
