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
});
