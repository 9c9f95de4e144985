import type { QuickBioInput } from '../src/domain/templates/render-quick-bio';

/**
 * The Quick Bio of every shipped template version, from stored fields: the plan's formats for
 * insurance and real estate, and the ones chosen for the industries added since. A template
 * added to packages/db/seed/templates needs an entry here. Used by the renderer's unit test and
 * by the worker test that has the fake model extract these fields.
 */
export const SHIPPED_QUICK_BIO_FIXTURES: Record<string, Array<{ input: QuickBioInput; quickBio: string | null }>> = {
  'insurance@1': [
    {
      input: { name: 'John Smith', variables: { city: 'Orange County', client_since: '2020-01-01', policy_summary: '2 Auto + 1 Home' } },
      quickBio: 'John Smith | Orange County | Client since 2020-01-01 | 2 Auto + 1 Home',
    },
  ],
  'insurance@2': [
    {
      input: {
        name: 'John Smith',
        variables: {
          city: 'Orange County',
          client_since: '2020-06-01',
          policies: ['auto', 'auto', 'home'],
          policies_asked_about: ['life'],
        },
      },
      quickBio: 'John Smith | Orange County | Client since 2020 | 2 Auto + 1 Home',
    },
    { input: { name: 'Ana Lopez', variables: { policies_asked_about: ['renters'] } }, quickBio: 'Ana Lopez' },
  ],
  'real-estate@1': [
    {
      input: { name: 'Jane Doe', variables: { buyer_or_seller: 'buyer', city: 'Austin', budget: 500000, financing: 'FHA' } },
      quickBio: 'Jane Doe | buyer | Austin | Budget 500,000 | FHA',
    },
  ],
  'real-estate@2': [
    {
      input: { name: 'Jane Doe', variables: { buyer_or_seller: 'buyer', city: 'Austin', budget: 500000, preapproved: true } },
      quickBio: 'Jane Doe | Buyer | $500K budget | Pre-approved',
    },
    {
      input: { name: 'Sam Lee', variables: { buyer_or_seller: 'seller', budget: 1_250_000, preapproved: false } },
      quickBio: 'Sam Lee | Seller | $1.3M budget | Not pre-approved',
    },
  ],
  'mortgage@1': [
    {
      input: {
        name: 'Maria Lopez',
        variables: { loan_purpose: 'refinance', loan_amount: 350000, loan_type: 'FHA', credit_score_range: '700-749', preapproved: true },
      },
      quickBio: 'Maria Lopez | Refinance | $350K loan | FHA | Credit 700-749 | Pre-approved',
    },
  ],
  'medical-office@1': [
    {
      input: {
        name: 'Ana Lopez',
        variables: {
          patient_status: 'existing',
          patient_since: '2019-04-02',
          insurance_provider: 'Delta Dental',
          next_appointment: '2026-03-05',
        },
      },
      quickBio: 'Ana Lopez | Existing patient | Since 2019 | Delta Dental | Next visit Mar 5, 2026',
    },
  ],
  'law-office@1': [
    {
      input: {
        name: 'Chris Park',
        variables: { practice_area: 'personal injury', client_status: 'new inquiry', court_date: '2026-02-10', attorney: 'R. Alvarez' },
      },
      quickBio: 'Chris Park | Personal injury | New inquiry | Court date Feb 10, 2026 | Attorney R. Alvarez',
    },
  ],
};

// Versions that only added speech hints render exactly as the version before them.
for (const [added, previous] of [
  ['insurance@3', 'insurance@2'],
  ['real-estate@3', 'real-estate@2'],
  ['mortgage@2', 'mortgage@1'],
  ['medical-office@2', 'medical-office@1'],
  ['law-office@2', 'law-office@1'],
] as const) {
  SHIPPED_QUICK_BIO_FIXTURES[added] = SHIPPED_QUICK_BIO_FIXTURES[previous]!;
}
