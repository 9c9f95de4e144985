// Template definitions for tests: industry-shaped but generic (no tenant data), each under the
// industry key the test chooses so parallel test files never share a template row.
import { industryTemplateDefinitionSchema } from '@neurosphere/contracts';
import type { IndustryTemplateDefinition } from '@neurosphere/contracts';

/** An insurance-like template: the fields the issue names, with a Quick Bio like the original's. */
export function insuranceTemplate(industry: string, version = 1): IndustryTemplateDefinition {
  return industryTemplateDefinitionSchema.parse({
    industry,
    version,
    name: 'Insurance agency (test)',
    fields: [
      { key: 'city', label: 'City', type: 'string', hint: 'Where the caller lives.' },
      { key: 'client_since', label: 'Client since', type: 'date', hint: 'YYYY-MM-DD.' },
      { key: 'policies', label: 'Policies', type: 'string[]', hint: 'Policy types held.' },
      { key: 'policy_summary', label: 'Policy summary', type: 'string', hint: 'e.g. 2 Auto + 1 Home.' },
      { key: 'spouse', label: 'Spouse', type: 'string', hint: 'First name of the spouse.' },
      { key: 'children', label: 'Children', type: 'string[]', hint: 'First names.' },
      { key: 'open_claim', label: 'Open claim', type: 'boolean', hint: 'A claim in progress.' },
    ],
    promptFragments: {
      role: 'You answer the phone for an insurance agency.',
      guidelines: ['Never quote prices.'],
      knownFactsIntro: 'What you already know about this client:',
    },
    quickBio: { format: '{{name}} | {{city}} | Client since {{client_since}} | {{policy_summary}}' },
  });
}

/** A real-estate-like template (a different field set: tenants of two industries side by side). */
export function realEstateTemplate(industry: string, version = 1): IndustryTemplateDefinition {
  return industryTemplateDefinitionSchema.parse({
    industry,
    version,
    name: 'Real estate agency (test)',
    fields: [
      { key: 'buyer_or_seller', label: 'Buyer or seller', type: 'string', hint: 'buyer, seller or both.' },
      { key: 'city', label: 'City', type: 'string', hint: 'Where they want to buy or sell.' },
      { key: 'budget', label: 'Budget', type: 'number', hint: 'Dollars.' },
      { key: 'financing', label: 'Financing', type: 'string', hint: 'cash, conventional, FHA, VA.' },
      { key: 'properties', label: 'Properties', type: 'string[]', hint: 'Listings asked about.' },
    ],
    promptFragments: { role: 'You answer the phone for a real estate agency.', guidelines: [] },
    quickBio: { format: '{{name}} | {{buyer_or_seller}} | {{city}} | Budget {{budget}} | {{financing}}' },
  });
}
