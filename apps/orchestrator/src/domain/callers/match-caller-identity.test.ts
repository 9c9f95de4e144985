import { detailMatches, namesMatch, spokenDate, spokenDigits, verifiableFacts } from './match-caller-identity';

describe('namesMatch', () => {
  it.each([
    ['John Smith', 'John Smith'],
    ['my name is john smith', 'John Smith'],
    ["It's JOHN   SMITH.", 'John Smith'],
    ['Jon Smith', 'John Smith'],
    ['John Smyth', 'John Smith'],
    ['John S M I T H', 'John Smith'],
    ['John Robert Smith', 'John Smith'],
    ['John Smith', 'John Robert Smith'],
    ['José Álvarez', 'Jose Alvarez'],
    ['Ana', 'Ana'],
  ])('%p matches %p', (spoken, stored) => {
    expect(namesMatch(spoken, stored)).toBe(true);
  });

  it.each([
    ['John', 'John Smith'],
    ['Smith', 'John Smith'],
    ['Jane Smith', 'John Smith'],
    ['Smith John', 'John Smith'],
    ['Al Smith', 'Ed Smith'],
    ['', 'John Smith'],
  ])('%p does not match %p', (spoken, stored) => {
    expect(namesMatch(spoken, stored)).toBe(false);
  });
});

describe('details', () => {
  it('reads digits and dates the way speech recognition writes them', () => {
    expect(spokenDigits('nine oh two one 0')).toBe('90210');
    expect(spokenDate('March 3rd, 1980')).toBe('1980-03-03');
    expect(spokenDate('the third of march 1980')).toBe('1980-03-03');
    expect(spokenDate('3/3/1980')).toBe('1980-03-03');
    expect(spokenDate('sometime in 1980')).toBeNull();
  });

  it.each([
    ['I live in Orange County', 'Orange County'],
    ['orange county', 'Orange County'],
    ['my zip is nine oh two one oh', '90210'],
    ['March 3rd 1980', '1980-03-03'],
    ['policy A B 1 2 3 4 5', 'AB-12345'],
    ["oh, it's nine oh two one oh", '90210'],
    ['My name is Dana Whitfield from Springfield', 'Springfield'],
  ])('%p matches the stored %p', (spoken, stored) => {
    expect(detailMatches(spoken, stored)).toBe(true);
  });

  it.each([
    ['I live in Orange', 'Orange County'],
    ['90211', '90210'],
    ['March 4th 1980', '1980-03-03'],
    ['county', 'Orange County'],
    // A list of guesses is not an answer, even when one of them is right.
    ['Boston, Denver, Austin, Miami, Dallas, Orange County', 'Orange County'],
    ['1234 1235 1236 1237 1238 1239 1240 1241', '1237'],
  ])('%p does not match the stored %p', (spoken, stored) => {
    expect(detailMatches(spoken, stored)).toBe(false);
  });

  it('offers only details a stranger cannot easily guess: the template’s marked ones, else text of four characters or more', () => {
    const facts = { city: 'Springfield', financing: 'FHA', open_claim: true, children: ['Sam'], budget: 650000 };
    const labels = { city: 'City', financing: 'Financing', budget: 'Budget' };
    expect(verifiableFacts(facts, { labels, verifiable: null })).toEqual([
      { label: 'City', value: 'Springfield' },
      { label: 'Budget', value: '650000' },
    ]);
    expect(verifiableFacts(facts, { labels, verifiable: ['budget'] })).toEqual([{ label: 'Budget', value: '650000' }]);
  });
});
