import { industryTemplateDefinitionSchema, parseTemplatePlaceholders, templatePlaceholders } from './templates';

function definitionWith(format: string) {
  return {
    industry: 'test-industry',
    version: 1,
    name: 'Test',
    fields: [
      { key: 'city', label: 'City', type: 'string', hint: 'City.' },
      { key: 'since', label: 'Since', type: 'date', hint: 'Date.' },
      { key: 'budget', label: 'Budget', type: 'number', hint: 'Dollars.' },
      { key: 'policies', label: 'Policies', type: 'string[]', hint: 'Types.' },
      { key: 'approved', label: 'Approved', type: 'boolean', hint: 'Yes or no.' },
    ],
    promptFragments: { role: 'You answer the phone.', guidelines: [] },
    quickBio: { format },
  };
}

function formatProblems(format: string): string[] {
  const result = industryTemplateDefinitionSchema.safeParse(definitionWith(format));
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('Quick Bio placeholders', () => {
  it('parse keys, formatters and arguments', () => {
    expect(
      parseTemplatePlaceholders('{{name}} | {{ since | year }} | {{approved|flag:Pre-approved:Not pre-approved}} | {{budget|money:EUR}}'),
    ).toEqual([
      { key: 'name', formatter: null, args: [] },
      { key: 'since', formatter: 'year', args: [] },
      { key: 'approved', formatter: 'flag', args: ['Pre-approved', 'Not pre-approved'] },
      { key: 'budget', formatter: 'money', args: ['EUR'] },
    ]);
    expect(templatePlaceholders('Hi {{name}}, {{policies|count}}')).toEqual(['name', 'policies']);
  });

  it('accept every formatter on the field types it applies to', () => {
    expect(
      formatProblems(
        '{{name|capitalize}} | {{city|capitalize}} | {{since|year}} | {{since|date}} | {{budget|money}} | {{policies|count}} | {{policies|capitalize}} | {{approved|flag:Yes}}',
      ),
    ).toEqual([]);
  });

  it.each([
    ['{{shoe_size}}', 'quickBio.format: placeholder {{shoe_size}} is not a field key of this template'],
    ['{{city|shout}}', 'quickBio.format: {{city|shout}}: unknown formatter "shout" (one of: year, date, money, count, capitalize, flag)'],
    ['{{city|year}}', 'quickBio.format: {{city|year}}: formatter "year" applies to date fields, and city is string'],
    ['{{budget|count}}', 'quickBio.format: {{budget|count}}: formatter "count" applies to string[] fields, and budget is number'],
    ['{{approved|flag}}', 'quickBio.format: {{approved|flag}}: formatter "flag" takes 1 to 2 argument(s), got 0'],
    ['{{since|year:long}}', 'quickBio.format: {{since|year}}: formatter "year" takes 0 argument(s), got 1'],
    ['{{budget|money:dollars}}', 'quickBio.format: {{budget|money:dollars}}: the argument must be an ISO 4217 currency code such as USD'],
  ])('refuse %s, naming the problem', (format, problem) => {
    expect(formatProblems(format)).toEqual([problem]);
  });
});
