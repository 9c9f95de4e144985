import { loadSeedFiles } from '@neurosphere/db';
import type { IndustryTemplateDefinition } from '@neurosphere/contracts';
import { SHIPPED_QUICK_BIO_FIXTURES } from '../../../test/quick-bio-fixtures';
import { insuranceTemplate, realEstateTemplate } from '../../../test/templates';
import { renderQuickBio } from './render-quick-bio';

describe('renderQuickBio', () => {
  const insurance = insuranceTemplate('insurance-unit');

  it("renders the template's format from the stored fields", () => {
    expect(
      renderQuickBio(insurance, {
        name: 'John Smith',
        variables: { city: 'Orange County', client_since: '2020-01-01', policy_summary: '2 Auto + 1 Home' },
      }),
    ).toBe('John Smith | Orange County | Client since 2020-01-01 | 2 Auto + 1 Home');
  });

  it('leaves out segments whose placeholders are unknown instead of printing empty ones', () => {
    expect(renderQuickBio(insurance, { name: 'John Smith', variables: { policy_summary: '1 Home', city: '  ' } })).toBe(
      'John Smith | 1 Home',
    );
  });

  it('formats numbers, lists and booleans readably', () => {
    const realEstate = realEstateTemplate('real-estate-unit');
    expect(
      renderQuickBio(realEstate, {
        name: null,
        variables: { buyer_or_seller: 'buyer', city: 'Austin', budget: 650000, financing: 'FHA' },
      }),
    ).toBe('buyer | Austin | Budget 650,000 | FHA');
  });

  it('is null when nothing is known', () => {
    expect(renderQuickBio(insurance, { name: null, variables: {} })).toBeNull();
  });

  it('shows values as people say them with formatters', () => {
    const template: IndustryTemplateDefinition = {
      ...insurance,
      fields: [
        ...insurance.fields,
        { key: 'budget', label: 'Budget', type: 'number', hint: 'Dollars.' },
        { key: 'visit', label: 'Visit', type: 'date', hint: 'Date.' },
        { key: 'status', label: 'Status', type: 'string', hint: 'Status.' },
      ],
      quickBio: {
        format:
          '{{client_since|year}} | {{visit|date}} | {{budget|money}} | {{budget|money:EUR}} | {{policies|count}} | {{children|capitalize}} | {{status|capitalize}} | {{open_claim|flag:Open claim}} | {{open_claim|flag:Claim:No claim}}',
      },
    };
    const render = (variables: Record<string, unknown>) => renderQuickBio(template, { name: null, variables });
    expect(
      render({
        client_since: '2020-03-15',
        visit: '2026-03-05',
        budget: 500_000,
        policies: ['auto', 'home', 'Auto', ' ', 'umbrella'],
        children: ['sam', 'ana'],
        status: 'existing client',
        open_claim: true,
      }),
    ).toBe('2020 | Mar 5, 2026 | $500K | €500K | 2 Auto + 1 Home + 1 Umbrella | Sam, Ana | Existing client | Open claim | Claim');
    expect(render({ budget: 1_250_000, open_claim: false })).toBe('$1.3M | €1.3M | No claim');
    expect(render({ budget: 950, policies: [], client_since: 'soon' })).toBe('$950 | €950');
  });
});

describe('Quick Bio of every shipped template', () => {
  let templates: IndustryTemplateDefinition[];

  beforeAll(async () => {
    ({ templates } = await loadSeedFiles());
  });

  it('has a fixture for each shipped template version', () => {
    expect(templates.map((template) => `${template.industry}@${template.version}`).sort()).toEqual(
      Object.keys(SHIPPED_QUICK_BIO_FIXTURES).sort(),
    );
  });

  it.each(Object.entries(SHIPPED_QUICK_BIO_FIXTURES))('%s renders its format from stored fields', (key, fixtures) => {
    const template = templates.find((candidate) => `${candidate.industry}@${candidate.version}` === key);
    expect(template).toBeDefined();
    for (const { input, quickBio } of fixtures) expect(renderQuickBio(template!, input)).toBe(quickBio);
  });
});
