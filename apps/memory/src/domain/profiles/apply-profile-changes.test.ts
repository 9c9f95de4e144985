import { applyProfileChanges } from './apply-profile-changes';

describe('applyProfileChanges', () => {
  const current = { city: 'Springfield', policies: ['auto', 'home'], children: ['Ana'], spouse: 'Lee' };

  it('keeps every field the call did not change', () => {
    expect(applyProfileChanges(current, [])).toEqual({ variables: current, applied: [] });
  });

  it('sets scalars and whole lists, unsets what no longer holds, and reports each with its reason', () => {
    const result = applyProfileChanges(current, [
      { field: 'city', action: 'set', value: ' Shelbyville ', reason: 'The caller said they moved.' },
      { field: 'children', action: 'set', value: ['Ana', 'Ben'], reason: 'The caller has a new son, Ben.' },
      { field: 'policies', action: 'set', value: ['auto'], reason: 'The caller cancelled the home policy.' },
      { field: 'spouse', action: 'unset', value: null, reason: 'The caller said they divorced.' },
    ]);
    expect(result.variables).toEqual({ city: 'Shelbyville', children: ['Ana', 'Ben'], policies: ['auto'] });
    expect(result.applied).toEqual([
      { field: 'city', action: 'set', value: 'Shelbyville', reason: 'The caller said they moved.' },
      { field: 'children', action: 'set', value: ['Ana', 'Ben'], reason: 'The caller has a new son, Ben.' },
      { field: 'policies', action: 'set', value: ['auto'], reason: 'The caller cancelled the home policy.' },
      { field: 'spouse', action: 'unset', reason: 'The caller said they divorced.' },
    ]);
    expect(current.policies).toEqual(['auto', 'home']);
  });

  it('keeps repeated list items (two auto policies are two policies)', () => {
    expect(applyProfileChanges({}, [{ field: 'policies', action: 'set', value: ['auto', 'auto', 'home'], reason: 'r' }]).variables).toEqual(
      {
        policies: ['auto', 'auto', 'home'],
      },
    );
  });

  it('does not report changes that change nothing, and treats empty values as unset', () => {
    const result = applyProfileChanges(current, [
      { field: 'city', action: 'set', value: 'Springfield', reason: 'same' },
      { field: 'open_claim', action: 'unset', value: null, reason: 'never stored' },
      { field: 'children', action: 'set', value: [' '], reason: 'empty list' },
      { field: 'spouse', action: 'set', value: '  ', reason: 'empty text' },
    ]);
    expect(result.variables).toEqual({ city: 'Springfield', policies: ['auto', 'home'] });
    expect(result.applied.map((change) => [change.field, change.action])).toEqual([
      ['children', 'unset'],
      ['spouse', 'unset'],
    ]);
  });
});
